import type { RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

export const HTTP_METRICS = {
  requests: 'choreo_http_requests_total',
  duration: 'choreo_http_request_duration_seconds',
} as const;

/**
 * Rate, errors and duration per route: `route` is the matched path template (`/orders/:orderId`),
 * never the raw URL, so ids do not explode the series; anything unmatched is `unmatched`.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const registers = [registry];
  const requests = new Counter({
    name: HTTP_METRICS.requests,
    help: 'HTTP requests answered, by route, method and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const duration = new Histogram({
    name: HTTP_METRICS.duration,
    help: 'Time to answer an HTTP request, by route and method',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  return (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const path = (req.route as { path?: string } | undefined)?.path;
      const labels = { method: req.method, route: path === undefined ? 'unmatched' : `${req.baseUrl}${path}` };
      end(labels);
      requests.inc({ ...labels, status: String(res.statusCode) });
    });
    next();
  };
}
