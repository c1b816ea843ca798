import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { DrainState } from './drain-state';

/** Keep-alive connections that finish their last response after close() are idle; sweep them this often. */
const IDLE_SWEEP_MS = 50;

/** During a drain, tell every client to reconnect (to another instance) after this response. */
export function connectionCloseWhileDraining(drain: DrainState) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (drain.draining) res.setHeader('Connection', 'close');
    next();
  };
}

/**
 * Stops accepting connections, lets in-flight requests finish and closes keep-alive
 * connections as soon as they are idle, so they cannot hold the server open. Whatever is
 * still running after `graceMs` is cut: its database transaction commits or rolls back
 * whole, and a retry with the same Idempotency-Key is safe.
 */
export async function drainHttpServer(server: Server, drain: DrainState, graceMs: number): Promise<void> {
  drain.start();
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweeper = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  let graceTimer: NodeJS.Timeout | undefined;
  const grace = new Promise<'late'>((resolve) => (graceTimer = setTimeout(() => resolve('late'), graceMs)));
  try {
    if ((await Promise.race([closed, grace])) === 'late') {
      new Logger('Shutdown').warn(`requests still running after ${graceMs} ms: closing their connections`);
      server.closeAllConnections();
      await closed;
    }
  } finally {
    clearInterval(sweeper);
    clearTimeout(graceTimer);
  }
}
