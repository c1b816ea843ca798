import type { NextFunction, Request, Response } from 'express';
import { httpDuration, httpRequests } from './metrics';

/** Counts and times every request by its route pattern (not the raw URL: ids would explode the labels). */
export function metricsMiddleware(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const routePath = (req.route as { path?: string } | undefined)?.path;
    const route = routePath === undefined ? 'unmatched' : `${req.baseUrl}${routePath}`;
    const labels = { method: req.method, route, status: String(res.statusCode) };
    httpRequests.inc(labels);
    httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  });
  next();
}
