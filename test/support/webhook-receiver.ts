import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAtMs: number;
}

/** A status to answer with, or 'hang' to never answer. */
export type Answer = number | 'hang';

export interface Receiver {
  url: string;
  received: ReceivedHook[];
  /** The received hooks whose webhook-id is `id`. */
  of(id: string): ReceivedHook[];
  close(): Promise<void>;
}

/** A local HTTP endpoint for webhooks; `answer` decides each reply from the request and how many came before it. */
export async function startReceiver(answer: (hook: ReceivedHook, index: number) => Answer = () => 200): Promise<Receiver> {
  const received: ReceivedHook[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const hook = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAtMs: Date.now() };
      received.push(hook);
      const reply = answer(hook, received.length - 1);
      if (reply === 'hang') return void hanging.add(res);
      res.writeHead(reply).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    of: (id) => received.filter((hook) => hook.headers['webhook-id'] === id),
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/**
 * The Standard Webhooks check, written here from the spec with node:crypto (the service signs
 * with the standardwebhooks package): HMAC-SHA256 with the key bytes behind `whsec_` over
 * `${id}.${timestamp}.${body}`, base64, in a space-separated list of `v1,<signature>`.
 */
export function signatureValid(secret: string, hook: ReceivedHook): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${hook.headers['webhook-id']}.${hook.headers['webhook-timestamp']}.${hook.body}`;
  const expected = Buffer.from(createHmac('sha256', key).update(signed).digest('base64'));
  return String(hook.headers['webhook-signature'])
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .some((entry) => {
      const given = Buffer.from(entry.slice(3));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
