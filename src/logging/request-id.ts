import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's id is kept when it is 1-128 visible ASCII characters; anything else is replaced. */
const VALID_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The id of one request in every log line and problem response: the caller's (or the
 * load balancer's) X-Request-Id when it is sane, else a new UUID; echoed in the response.
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && VALID_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
