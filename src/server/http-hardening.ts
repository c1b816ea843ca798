import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import helmet from 'helmet';
import type { Server } from 'node:http';

/** Responses smaller than this are sent as they are: compressing them costs more CPU than it saves. */
const COMPRESSION_THRESHOLD_BYTES = 1_024;

/**
 * Security headers and compression. helmet's default CSP (`default-src 'self'`, scripts
 * from 'self' only, inline styles allowed) fits both the Swagger UI at /docs (external
 * scripts, inline <style>) and the console at / (a Vite build: external JS and CSS).
 * `upgrade-insecure-requests` is dropped: it breaks the UI when served over plain HTTP
 * (docker compose, a LAN), and TLS, where there is any, ends at the load balancer.
 */
export function applyHttpHardening(app: NestExpressApplication): void {
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.use(compression({ threshold: COMPRESSION_THRESHOLD_BYTES }));
}

/**
 * How often Node checks the header and request deadlines. Its default, 30 s, would let a
 * client that trickles bytes hold a socket that much past REQUEST_TIMEOUT_MS.
 */
const DEADLINE_CHECK_MS = 1_000;

/**
 * REQUEST_TIMEOUT_MS bounds receiving the whole request, headers included: a client sending
 * one byte every few seconds is answered 408 and disconnected, instead of holding a socket
 * for Node's default 300 s. Set before `listen`, which is when Node starts its checks.
 */
export function boundSlowClients(server: Server, requestTimeoutMs: number): void {
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = requestTimeoutMs;
  // Public since Node 18.12, read when the server starts listening, but not in @types/node's Server.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(DEADLINE_CHECK_MS, requestTimeoutMs);
}
