import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import helmet from 'helmet';

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
