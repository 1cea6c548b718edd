/**
 * Prometheus metrics of this process: HTTP requests, commands, notifications, Node's own figures
 * and (where a worker runs) the Temporal SDK's worker metrics. Labels hold route patterns,
 * kommune ids, channel names and result codes only: never a case id, a person or a URL as sent.
 *
 * Served only with `METRICS_TOKEN` set: by the API at `/metrics` on its own port, and by a
 * worker-only process on `METRICS_PORT`; a scraper sends `Authorization: Bearer <token>`.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SettingsError } from './temporal-settings';

/** The metrics of this process; counters live here so the API and the activities share them. */
export const processMetrics = new Registry();

export const httpRequests = new Counter({
  name: 'sluse_http_requests_total',
  help: 'HTTP requests answered, by route pattern, method and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [processMetrics],
});

export const httpDuration = new Histogram({
  name: 'sluse_http_request_duration_seconds',
  help: 'Time from request to the answer sent, by route pattern and method',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processMetrics],
});

export const commands = new Counter({
  name: 'sluse_commands_total',
  help: 'Commands on cases by kommune, command and result (accepted, or the error code)',
  labelNames: ['kommune', 'command', 'result'] as const,
  registers: [processMetrics],
});

export const notifications = new Counter({
  name: 'sluse_notifications_total',
  help: 'Messages to recipients by channel (none: no channel could be tried) and result (sent, down, or the failure code)',
  labelNames: ['channel', 'result'] as const,
  registers: [processMetrics],
});

let defaultsOn = false;
/** Node's process figures (CPU, memory, event-loop delay), once metrics are served at all. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: processMetrics, prefix: 'sluse_' });
}

export interface MetricsSettings {
  token: string;
  /** A worker-only process's port for `/metrics` (default 9464). */
  port: number;
}

/** `METRICS_TOKEN` (at least 32 characters) and `METRICS_PORT`; unset token: no metrics served. */
export function loadMetricsSettings(env = process.env): MetricsSettings | undefined {
  const token = env.METRICS_TOKEN?.trim();
  if (!token) return undefined;
  if (token.length < 32)
    throw new SettingsError('METRICS_TOKEN: use at least 32 random characters');
  const port = Number(env.METRICS_PORT ?? '9464');
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new SettingsError('METRICS_PORT: expected a port number 1–65535');
  return { token, port };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether an `Authorization` header carries the metrics token (compared in constant time). */
export function metricsTokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  return m !== null && timingSafeEqual(digest(m[1]), digest(token));
}

/**
 * The text of every metric this process has: its own, and the SDK exporter's at `sdkUrl` when a
 * worker runs here (left out if it does not answer within 2 s: the rest still scrapes).
 */
export async function metricsText(registry: Registry, sdkUrl: string | undefined): Promise<string> {
  const own = await registry.metrics();
  if (!sdkUrl) return own;
  try {
    const res = await fetch(sdkUrl, { signal: AbortSignal.timeout(2000) });
    return res.ok ? `${own}\n${await res.text()}` : own;
  } catch {
    return own;
  }
}

/**
 * `/metrics` of a worker-only process on its own port: plain Node HTTP, so a worker loads no
 * Express. The API serves the same text (with case counts) at its own `/metrics`.
 */
export async function serveWorkerMetrics(
  settings: MetricsSettings & { sdkUrl?: string },
  host: string,
): Promise<Server> {
  collectProcessMetrics();
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    if (!metricsTokenMatches(req.headers.authorization, settings.token)) {
      res
        .writeHead(401, {
          'content-type': 'text/plain',
          'www-authenticate': 'Bearer realm="metrics"',
        })
        .end('metrics need the METRICS_TOKEN as a bearer token\n');
      return;
    }
    metricsText(processMetrics, settings.sdkUrl).then(
      (text) => res.writeHead(200, { 'content-type': processMetrics.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, host, resolve);
  });
  return server;
}
