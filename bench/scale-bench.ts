/**
 * `npm run bench:scale -- --cases 10000 [--concurrency 32]`: opens that many cases through the
 * HTTP API of one process (API and worker, as `npm start`), on a dev server keeping SQLite in a
 * file, then prints:
 * - the opening rate next to raw no-op update-with-starts on the same server (interleaved in
 *   chunks of 500, so both see the same server size and machine load), and the errors by status,
 *   with the history of up to five failed opens (where each waited);
 * - memory after each 1,000 cases (and the seconds since the start), and whether it stays flat
 *   once the worker's cache is full;
 * - peak memory: this process (API + worker, its workflow thread included; sampled after
 *   start-up, whose bundling would otherwise be the peak) and the Temporal server (its high-water
 *   mark), and the worker's cache size and heap limit;
 * - the SQLite file's size;
 * - p50/p95 of the overdue list and of a list page (50 cases), read as a leader (sees them all).
 */
import './quiet';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import { cachedWorkflowsFor } from '../runtime/worker';
import { caseWorkflowId } from '../workflows/search-attributes';
import { HttpError, KOMMUNE, operations, peakRssMib, startStack } from './stack';
import { percentile } from './stats';

const EventType = temporal.api.enums.v1.EventType;

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    reads: { type: 'string', default: '50' },
  },
});
const CASES = Number(values.cases);
const CONCURRENCY = Number(values.concurrency);
const READS = Number(values.reads);
const CHUNK = 500;

/** Cases whose open failed (at most a few), to show what Temporal did with each at the end. */
const failedCases: string[] = [];

/** Runs `count` operations over `CONCURRENCY` lanes; counts failures by status instead of stopping. */
async function run(
  count: number,
  fn: () => Promise<unknown>,
  errors: Map<string, number>,
): Promise<{ ms: number; ok: number }> {
  let next = 0;
  let ok = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++;
        try {
          await fn();
          ok++;
        } catch (err) {
          const key = err instanceof HttpError ? String(err.status) : (err as Error).name;
          errors.set(key, (errors.get(key) ?? 0) + 1);
          if (err instanceof HttpError && err.caseId && failedCases.length < 5)
            failedCases.push(err.caseId);
        }
      }
    }),
  );
  return { ms: performance.now() - t0, ok };
}

async function timedReads(url: string, token: string): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < READS; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 200)
      throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    await res.arrayBuffer();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

/**
 * A failed open's history on one line: each event's type and its time after the start, so a
 * slow answer shows where it waited (the server, a workflow task, a timeout).
 */
async function timeline(client: Client, caseId: string): Promise<string> {
  try {
    const history = await client.workflow.getHandle(caseWorkflowId(KOMMUNE, caseId)).fetchHistory();
    const events = history.events ?? [];
    const t0 = tsToMs(events[0]?.eventTime);
    return events
      .map((e) => {
        const type = String(EventType[e.eventType ?? 0]).replace('EVENT_TYPE_', '');
        return `+${tsToMs(e.eventTime) - t0} ms ${type}`;
      })
      .join(', ');
  } catch (err) {
    return `no history: ${(err as Error).message}`;
  }
}

async function main(): Promise<void> {
  const sqliteFile = join(mkdtempSync(join(tmpdir(), 'sluse-scale-')), 'temporal.db');
  const stack = await startStack({ sqliteFile });
  const op = operations(stack);
  const apiErrors = new Map<string, number>();
  const rawErrors = new Map<string, number>();
  let api = { ms: 0, ok: 0 };
  let raw = { ms: 0, ok: 0 };
  let peakCached = 0;
  /** After each chunk: the cases opened so far, the worker's cached cases, the process's RSS. */
  const memory: Array<{ opened: number; cached: number; s: number } & ReturnType<typeof mib>> = [];
  // Sampled from here on: the process's own high-water mark would be the bundling at start-up.
  let peakRss = 0;
  // The API, the worker's activities and the embedded store share this event loop: a stall of it
  // delays every answer at once.
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  const sampler = setInterval(() => {
    peakCached = Math.max(peakCached, stack.caseWorker.getStatus().numCachedWorkflows);
    peakRss = Math.max(peakRss, process.memoryUsage().rss / 2 ** 20);
  }, 500);
  try {
    const runStart = performance.now();
    // A short warm-up of both (not counted), then chunks of each in turn.
    await run(CONCURRENCY, op.apiOpen, new Map());
    await run(CONCURRENCY, op.rawOpen, new Map());
    for (let done = 0; done < CASES; done += CHUNK) {
      const n = Math.min(CHUNK, CASES - done);
      const a = await run(n, op.apiOpen, apiErrors);
      const r = await run(n, op.rawOpen, rawErrors);
      api = { ms: api.ms + a.ms, ok: api.ok + a.ok };
      raw = { ms: raw.ms + r.ms, ok: raw.ok + r.ok };
      memory.push({
        opened: done + n,
        s: (performance.now() - runStart) / 1000,
        cached: stack.caseWorker.getStatus().numCachedWorkflows,
        ...mib(process.memoryUsage()),
      });
      process.stderr.write(`\r${done + n} / ${CASES} opened`);
    }
    process.stderr.write('\n');
    const overdue = await timedReads(
      `${stack.casesUrl}?overdue=true&pageSize=50`,
      stack.leaderToken,
    );
    const page = await timedReads(`${stack.casesUrl}?pageSize=50`, stack.leaderToken);

    const f = (x: number | undefined, d = 1) => (x === undefined ? 'n/a' : x.toFixed(d));
    const errs = (m: Map<string, number>) =>
      m.size ? [...m].map(([k, v]) => `${v} × ${k}`).join(', ') : 'none';
    const apiRate = (api.ok / api.ms) * 1000;
    const rawRate = (raw.ok / raw.ms) * 1000;
    const heapLimit = getHeapStatistics().heap_size_limit / 2 ** 20;
    console.log(
      `\nnpm run bench:scale: ${CASES} cases through the API, ${CONCURRENCY} in flight, one process (API + worker), one dev server\n`,
    );
    console.log(
      `opening rate        API ${f(apiRate)}/s   raw no-op update-with-start ${f(rawRate)}/s   API / raw ${f(apiRate / rawRate, 2)}`,
    );
    console.log(`errors              API: ${errs(apiErrors)}   raw: ${errs(rawErrors)}`);
    for (const id of failedCases)
      console.log(`  failed open ${id}: ${await timeline(stack.client, id)}`);
    console.log(
      `peak memory (RSS)   this process ${f(peakRss, 0)} MiB (sampled while opening and reading)   Temporal server ${f(stack.dev.process.pid ? peakRssMib(stack.dev.process.pid) : undefined, 0)} MiB`,
    );
    // A worker that failed (a workflow thread out of memory) would have stopped running.
    console.log(`worker state        ${stack.caseWorker.getState()} at the end`);
    console.log(
      `worker cache        at most ${peakCached} cached of ${cachedWorkflowsFor()} allowed (heap limit ${f(heapLimit, 0)} MiB)`,
    );
    console.log(
      `memory by cases    ${memory
        .filter((m, i) => m.opened % 1000 === 0 || i === memory.length - 1)
        .map(
          (m) =>
            `${m.opened} (${f(m.s, 0)} s): ${f(m.rssMib, 0)} MiB (heap ${f(m.heapMib, 0)}, external ${f(m.externalMib, 0)}; ${m.cached} cached)`,
        )
        .join(', ')}`,
    );
    console.log(`after warm-up       ${afterWarmUp(memory)}`);
    loop.disable();
    console.log(
      `event loop delay    p99 ${f(loop.percentile(99) / 1e6)} ms   max ${f(loop.max / 1e6)} ms`,
    );
    const sqliteMib = ['', '-wal']
      .map((s) => `${sqliteFile}${s}`)
      .filter(existsSync)
      .reduce((sum, file) => sum + statSync(file).size / 2 ** 20, 0);
    console.log(`SQLite file         ${f(sqliteMib)} MiB with its WAL (${sqliteFile})`);
    console.log(
      `overdue list        p50 ${f(overdue.p50)} ms   p95 ${f(overdue.p95)} ms   (${READS} reads)`,
    );
    console.log(
      `list page (50)      p50 ${f(page.p50)} ms   p95 ${f(page.p95)} ms   (${READS} reads)\n`,
    );
  } finally {
    clearInterval(sampler);
    await stack.stop();
  }
}

/** The process's memory in MiB: all of it, the main thread's heap, and outside V8's heaps. */
function mib(m: NodeJS.MemoryUsage) {
  return {
    rssMib: m.rss / 2 ** 20,
    heapMib: m.heapUsed / 2 ** 20,
    externalMib: m.external / 2 ** 20,
  };
}

/**
 * Whether memory stays flat once the cache is full (the warm-up): the RSS growth per 1,000 cases
 * from the first chunk where the worker's cache stopped growing to the last.
 */
function afterWarmUp(memory: ReadonlyArray<{ opened: number; cached: number; rssMib: number }>) {
  const full = Math.max(...memory.map((m) => m.cached));
  const from = memory.findIndex((m) => m.cached >= full * 0.98);
  const last = memory[memory.length - 1];
  if (from < 0 || last.opened - memory[from].opened < 1000)
    return `the cache (${full} cases) did not fill with 1,000 cases to spare: run more cases or with a smaller heap (NODE_OPTIONS=--max-old-space-size=…)`;
  const per1000 = (a: (typeof memory)[number]) =>
    (((last.rssMib - a.rssMib) / (last.opened - a.opened)) * 1000).toFixed(1);
  // The threads' heaps grow towards their limit for a while after the cache is full.
  const half = memory[Math.max(from, Math.floor(memory.length / 2) - 1)];
  return (
    `cache full (${full}) at ${memory[from].opened} cases; RSS ${memory[from].rssMib.toFixed(0)} → ${last.rssMib.toFixed(0)} MiB by ${last.opened} ` +
    `(${per1000(memory[from])} MiB per 1,000 cases; ${per1000(half)} over the last ${last.opened - half.opened})`
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
