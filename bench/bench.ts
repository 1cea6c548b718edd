/**
 * `npm run bench`: what Sluse costs over raw Temporal, from one run on one dev server.
 *
 *   npm run bench -- [--rounds 5] [--batch 40] [--concurrency 8]
 *
 * Eleven measures, each against its baseline on the same server, worker process and moment:
 * - open a case (update-with-start of the case workflow)  vs a no-op update-with-start
 * - the floor under an opening: the same Temporal work with none of Sluse's code
 *   (`floorWorkflow`: config as input, a marker, the search attributes, a local activity, a
 *   timer) vs the same no-op, so what is Temporal's and what is Sluse's shows apart
 * - a case command (update: record an activity, as most commands are) vs a no-op update
 * - the floor under a command: an update to the floor workflow taking the same input and
 *   answering with what a real command answered (its shape and size), vs the same no-op
 * - a handover (update: the case to another veiviser; lists change) vs a no-op update
 * - the same three through the HTTP API (token, zod, access check, JSON over HTTP) vs the same no-ops
 * - the floor under the API's command: the same command through a bare `node:http` server that
 *   only parses JSON and sends it on (no express, token or checks), vs the same no-op update
 * A warm-up round of everything runs first and is not counted (worker cache, JIT, connections).
 * Then each round runs a batch of every measure, in an order that rotates by round, so load
 * from elsewhere on the machine falls on all measures alike. Throughput is operations per second
 * of the time spent in that measure's batches. Last, `bench/machine-bench.ts` (pure machine
 * events/s and compile time per seed config) runs with the servers stopped.
 */
import './quiet';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from './stats';
import { operations, startStack, type BenchCase } from './stack';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    batch: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '8' },
  },
});
const ROUNDS = Number(values.rounds);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);

interface Measure {
  label: string;
  baseline?: string;
  /** One operation by lane `lane`. */
  run: (lane: number) => Promise<unknown>;
  latencies: number[];
  ms: number;
  count: number;
}

/** `BATCH` operations over `CONCURRENCY` lanes; adds to the measure's totals when `counted`. */
async function batch(m: Measure, counted: boolean): Promise<void> {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, lane) => {
      while (next < BATCH) {
        next++;
        const t = performance.now();
        await m.run(lane);
        latencies.push(performance.now() - t);
      }
    }),
  );
  if (!counted) return;
  m.ms += performance.now() - t0;
  m.count += latencies.length;
  m.latencies.push(...latencies);
}

async function main(): Promise<void> {
  const stack = await startStack();
  try {
    const op = operations(stack);
    const lanes = async (open: () => Promise<BenchCase>) =>
      Promise.all(Array.from({ length: CONCURRENCY }, open));
    // Each lane works on a case of its own, as a coordinator's UI would.
    const [sluseCases, handoverCases, rawCases, apiCases, apiHandoverCases, bareCases] = [
      await lanes(op.sluseOpen),
      await lanes(op.sluseOpen),
      await lanes(op.rawOpen),
      await lanes(op.apiOpen),
      await lanes(op.apiOpen),
      await lanes(op.sluseOpen),
    ];
    // The floor under a command answers with what a real command answered.
    const answer = await op.sluseCommand(await op.sluseOpen(), 'activity');
    const floorCases = await lanes(() => op.floorOpen([], answer));
    const measure = (label: string, run: Measure['run'], baseline?: string): Measure => ({
      label,
      run,
      baseline,
      latencies: [],
      ms: 0,
      count: 0,
    });
    const measures = [
      measure('raw: no-op update-with-start', () => op.rawOpen()),
      measure('floor: open, Temporal part', () => op.floorOpen(), 'raw: no-op update-with-start'),
      measure('sluse: open case', () => op.sluseOpen(), 'raw: no-op update-with-start'),
      measure('API: open case', () => op.apiOpen(), 'raw: no-op update-with-start'),
      measure('raw: no-op update', (lane) => op.rawCommand(rawCases[lane])),
      measure(
        'sluse: case command',
        (lane) => op.sluseCommand(sluseCases[lane], 'activity'),
        'raw: no-op update',
      ),
      measure(
        'floor: command, Temporal part',
        (lane) => op.floorCommand(floorCases[lane], 'activity'),
        'raw: no-op update',
      ),
      measure(
        'floor: bare HTTP + command',
        (lane) => op.bareCommand(bareCases[lane], 'activity'),
        'raw: no-op update',
      ),
      measure(
        'API: case command',
        (lane) => op.apiCommand(apiCases[lane], 'activity'),
        'raw: no-op update',
      ),
      measure(
        'sluse: handover',
        (lane) => op.sluseCommand(handoverCases[lane], 'handover'),
        'raw: no-op update',
      ),
      measure(
        'API: handover',
        (lane) => op.apiCommand(apiHandoverCases[lane], 'handover'),
        'raw: no-op update',
      ),
    ];
    for (const m of measures) await batch(m, false);
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < measures.length; i++)
        await batch(measures[(i + round) % measures.length], true);
    }

    console.log(
      `\nnpm run bench: ${ROUNDS} rounds × ${BATCH} of each, ${CONCURRENCY} in flight, one dev server, after a warm-up round\n`,
    );
    const byLabel = new Map(measures.map((m) => [m.label, m]));
    const row = (m: Measure) => {
      const sorted = [...m.latencies].sort((a, b) => a - b);
      return {
        perSecond: (m.count / m.ms) * 1000,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
      };
    };
    const n = (x: number, w = 8) => x.toFixed(1).padStart(w);
    console.log(`${'measure'.padEnd(30)}    ops/s   p50 ms   p99 ms   vs raw: ops/s   p50    p99`);
    for (const m of measures) {
      const r = row(m);
      const base = m.baseline ? row(byLabel.get(m.baseline)!) : undefined;
      const ratios = base
        ? `   ${n(r.perSecond / base.perSecond, 11)}x ${n(r.p50 / base.p50, 5)}x ${n(r.p99 / base.p99, 5)}x`
        : '';
      console.log(`${m.label.padEnd(30)} ${n(r.perSecond)} ${n(r.p50)} ${n(r.p99)}${ratios}`);
    }
    console.log(
      '(ops/s ratio 0.80: Sluse does 80 % of what raw Temporal does per second; latency ratio 2.0: twice as long)\n',
    );
  } finally {
    await stack.stop();
  }
  process.exitCode =
    spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'machine-bench.ts')], {
      stdio: 'inherit',
    }).status ?? 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
