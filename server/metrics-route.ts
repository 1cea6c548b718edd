/**
 * `/metrics` for Prometheus, behind `METRICS_TOKEN`: the process's counters (runtime/metrics.ts),
 * the SDK worker metrics passed on when a worker runs here, and per-kommune case counts from
 * visibility. The counts are one visibility count per kommune and level plus one for late cases,
 * so they are cached: a scrape every few seconds costs Temporal one round per `CASE_COUNTS_TTL_MS`.
 *
 * @module
 */
import type { Client } from '@temporalio/client';
import type express from 'express';
import { Gauge, Registry } from 'prom-client';
import { BtiLevels } from '../config/types';
import {
  collectProcessMetrics,
  httpDuration,
  httpRequests,
  metricsText,
  metricsTokenMatches,
  processMetrics,
} from '../runtime/metrics';
import { caseSearchAttributes as sa } from '../workflows/search-attributes';
import { q } from '../workflows/visibility-query';
import type { ConfigSource } from './config-source';

export interface MetricsDeps {
  token: string;
  /** The SDK exporter of a worker in this process. */
  sdkUrl?: string;
  /** Where case counts come from; left out (a worker-only process), none are given. */
  cases?: { client: Client; configs: Pick<ConfigSource, 'kommuner'> };
  /** How long case counts are reused (default 30 s). */
  caseCountsTtlMs?: number;
}

const CASE_COUNTS_TTL_MS = 30_000;
/** Visibility counts run this many at a time, so a scrape never floods Temporal. */
const COUNT_CONCURRENCY = 4;

interface CaseCounts {
  open: { kommune: string; level: number; count: number }[];
  late: { kommune: string; count: number }[];
}

/** Counts every request by its route pattern (never the path as sent: ids, cardinality). */
export const countRequests: express.RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer();
  res.on('finish', () => {
    const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
    const labels = { method: req.method, route };
    end(labels);
    httpRequests.inc({ ...labels, status: String(res.statusCode) });
  });
  next();
};

export function metricsHandler(deps: MetricsDeps): express.RequestHandler {
  collectProcessMetrics();
  const caseMetrics = new Registry();
  const openCases = new Gauge({
    name: 'sluse_open_cases',
    help: 'Open cases per kommune and BTI level (visibility, at most 30 s old)',
    labelNames: ['kommune', 'level'] as const,
    registers: [caseMetrics],
  });
  const lateCases = new Gauge({
    name: 'sluse_late_cases',
    help: 'Open cases past a deadline (the step’s or an action point’s), per kommune',
    labelNames: ['kommune'] as const,
    registers: [caseMetrics],
  });
  let counts: { at: number; value: Promise<CaseCounts> } | undefined;

  async function countCases({
    client,
    configs,
  }: NonNullable<MetricsDeps['cases']>): Promise<CaseCounts> {
    const kommuner = await configs.kommuner();
    const now = new Date().toISOString();
    const jobs = kommuner.flatMap((kommune) => [
      ...BtiLevels.map((level) => ({
        kommune,
        level,
        query: q.and(
          q.kommune(kommune),
          q.running(),
          q.eq(sa.status.name, 'open'),
          q.eq(sa.level.name, level),
        ),
      })),
      { kommune, level: undefined, query: q.and(q.kommune(kommune), q.running(), q.late(now)) },
    ]);
    const results: number[] = new Array(jobs.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: COUNT_CONCURRENCY }, async () => {
        while (next < jobs.length) {
          const i = next++;
          results[i] = (await client.workflow.count(jobs[i].query)).count;
        }
      }),
    );
    const out: CaseCounts = { open: [], late: [] };
    jobs.forEach((job, i) => {
      if (job.level === undefined) out.late.push({ kommune: job.kommune, count: results[i] });
      else out.open.push({ kommune: job.kommune, level: job.level, count: results[i] });
    });
    return out;
  }

  /** The cached counts; a failed count is not cached, and the gauges keep their last values. */
  async function refreshCaseGauges(): Promise<void> {
    if (!deps.cases) return;
    if (!counts || Date.now() - counts.at >= (deps.caseCountsTtlMs ?? CASE_COUNTS_TTL_MS)) {
      const value = countCases(deps.cases);
      counts = { at: Date.now(), value };
      value.catch(() => (counts = undefined));
    }
    try {
      const { open, late } = await counts.value;
      for (const c of open) openCases.set({ kommune: c.kommune, level: String(c.level) }, c.count);
      for (const c of late) lateCases.set({ kommune: c.kommune }, c.count);
    } catch {
      // Temporal does not answer: the scrape still has the process's own metrics.
    }
  }

  return async (req, res) => {
    if (!metricsTokenMatches(req.get('authorization'), deps.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.status(401).type('text/plain').send('metrics need the METRICS_TOKEN as a bearer token\n');
      return;
    }
    await refreshCaseGauges();
    const registry = Registry.merge([processMetrics, caseMetrics]);
    res
      .type(registry.contentType)
      .setHeader('Cache-Control', 'no-store')
      .send(await metricsText(registry, deps.sdkUrl));
  };
}
