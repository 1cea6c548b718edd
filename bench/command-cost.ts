/**
 * `npx tsx bench/command-cost.ts [--commands 10] [--rounds 3] [--batch 80]`: what an open and a
 * command cost, next to the raw no-ops, in measures a loaded machine does not blur:
 * - history: opens one case and one no-op on the same dev server, sends each the same number of
 *   commands, and prints the events by type and their payload bytes (workflow input, update
 *   arguments and results, activity inputs, search attributes, markers); and the opening of the
 *   floor workflow (bench/noop-workflow.ts), which should match the case's;
 * - CPU per operation: of the Temporal server process and of this process (client, API, both
 *   workers; all threads), from batches of each measure interleaved over rounds as in
 *   `npm run bench`. CPU time, unlike throughput, is what the operation costs whatever else
 *   runs on the machine.
 */
import './quiet';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { temporal } from '@temporalio/proto';
import type { FloorPart } from './noop-workflow';
import { operations, startStack, KOMMUNE, type BenchCase } from './stack';
import { caseWorkflowId } from '../workflows/search-attributes';

const { values } = parseArgs({
  options: {
    commands: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '80' },
    concurrency: { type: 'string', default: '8' },
  },
});
const COMMANDS = Number(values.commands);
const ROUNDS = Number(values.rounds);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);

/** CPU seconds (user + system) a process has used so far, from /proc. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

type Event = temporal.api.history.v1.IHistoryEvent;

const FLOOR_PARTS: FloorPart[] = ['config', 'marker', 'attributes', 'log', 'timer'];

/** Bytes of every payload an event carries, by where it sits (one level of nesting is enough). */
function payloadBytes(event: Event): Record<string, number> {
  const out: Record<string, number> = {};
  const visit = (value: unknown, path: string, depth: number): void => {
    if (!value || typeof value !== 'object' || depth > 8) return;
    if (value instanceof Uint8Array) {
      out[path] = (out[path] ?? 0) + value.byteLength;
      return;
    }
    for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k, depth + 1);
  };
  visit(event, '', 0);
  return out;
}

function summarise(label: string, events: Event[], commands: number): void {
  const byType = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  for (const e of events) {
    const type = Object.keys(e).find((k) => k.endsWith('EventAttributes') && e[k as keyof Event])!;
    const bytes = Object.values(payloadBytes(e)).reduce((a, b) => a + b, 0);
    total += bytes;
    const row = byType.get(type) ?? { count: 0, bytes: 0 };
    row.count++;
    row.bytes += bytes;
    byType.set(type, row);
  }
  console.log(
    `\n${label}: ${events.length} events, ${(total / 1024).toFixed(1)} KB of payloads (open + ${commands} commands)`,
  );
  for (const [type, { count, bytes }] of [...byType].sort((a, b) => b[1].count - a[1].count))
    console.log(
      `  ${type.replace('EventAttributes', '').padEnd(40)} ${String(count).padStart(4)}  ${String(bytes).padStart(7)} B`,
    );
}

async function main(): Promise<void> {
  const stack = await startStack();
  try {
    const op = operations(stack);
    const sluse = await op.sluseOpen();
    const raw = await op.rawOpen();
    const sluseOpenEvents = (
      await stack.client.workflow.getHandle(caseWorkflowId(KOMMUNE, sluse.id)).fetchHistory()
    ).events!;
    const rawOpenEvents = (await stack.client.workflow.getHandle(raw.id).fetchHistory()).events!;
    const floor = await op.floorOpen();
    await new Promise((r) => setTimeout(r, 500));
    const floorEvents = (await stack.client.workflow.getHandle(floor.id).fetchHistory()).events!;
    for (let i = 0; i < COMMANDS; i++) {
      await op.sluseCommand(sluse, 'activity');
      await op.rawCommand(raw);
    }
    // Let background work of the last command (log writes) land in history.
    await new Promise((r) => setTimeout(r, 2000));
    const sluseEvents = (
      await stack.client.workflow.getHandle(caseWorkflowId(KOMMUNE, sluse.id)).fetchHistory()
    ).events!;
    const rawEvents = (await stack.client.workflow.getHandle(raw.id).fetchHistory()).events!;
    summarise('sluse: open', sluseOpenEvents, 0);
    summarise('raw: open', rawOpenEvents, 0);
    summarise("floor: an opening's Temporal work", floorEvents, 0);
    summarise('sluse: after commands', sluseEvents.slice(sluseOpenEvents.length), COMMANDS);
    summarise('raw: after commands', rawEvents.slice(rawOpenEvents.length), COMMANDS);
    await cpuPerOperation(stack);
  } finally {
    await stack.stop();
  }
}

async function cpuPerOperation(stack: Awaited<ReturnType<typeof startStack>>): Promise<void> {
  const op = operations(stack);
  const serverPid = stack.dev.process.pid!;
  const lanes = (open: () => Promise<BenchCase>) =>
    Promise.all(Array.from({ length: CONCURRENCY }, open));
  const [sluseCases, rawCases, apiCases] = [
    await lanes(op.sluseOpen),
    await lanes(op.rawOpen),
    await lanes(op.apiOpen),
  ];
  interface CpuMeasure {
    label: string;
    run: (lane: number) => Promise<unknown>;
    server: number;
    own: number;
    count: number;
    errors: number;
  }
  const measure = (label: string, run: CpuMeasure['run']): CpuMeasure => ({
    label,
    run,
    server: 0,
    own: 0,
    count: 0,
    errors: 0,
  });
  const measures = [
    measure('raw: no-op update-with-start', () => op.rawOpen()),
    measure('floor: open, Temporal part', () => op.floorOpen()),
    // The floor with one part left out: what that part of an opening costs Temporal and the SDK.
    ...FLOOR_PARTS.map((part) => measure(`floor without ${part}`, () => op.floorOpen([part]))),
    measure('sluse: open case', () => op.sluseOpen()),
    measure('API: open case', () => op.apiOpen()),
    measure('raw: no-op update', (lane) => op.rawCommand(rawCases[lane])),
    measure('sluse: case command', (lane) => op.sluseCommand(sluseCases[lane], 'activity')),
    measure('API: case command', (lane) => op.apiCommand(apiCases[lane], 'activity')),
  ];
  // The server works when idle too (timers, housekeeping): its idle rate is taken off each batch.
  const idle0 = [processCpuMs(serverPid), performance.now()];
  await new Promise((r) => setTimeout(r, 5000));
  const idleRate = (processCpuMs(serverPid) - idle0[0]) / (performance.now() - idle0[1]);
  for (let round = -1; round < ROUNDS; round++) {
    for (let i = 0; i < measures.length; i++) {
      const m = measures[(i + Math.max(round, 0)) % measures.length];
      // Let the previous batch's background work (log writes, timers) settle first.
      await new Promise((r) => setTimeout(r, 300));
      const [server0, own0, t0] = [processCpuMs(serverPid), ownCpuMs(), performance.now()];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, lane) => {
          while (next < BATCH) {
            next++;
            // A loaded machine times out now and then: counted, and the lane starts a new case
            // (a command that timed out may have gone through, leaving the lane's revision stale).
            await m.run(lane).catch(async () => {
              m.errors++;
              sluseCases[lane] = await op.sluseOpen();
              rawCases[lane] = await op.rawOpen();
              apiCases[lane] = await op.apiOpen();
            });
          }
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
      if (round < 0) continue; // warm-up
      m.server += processCpuMs(serverPid) - server0 - idleRate * (performance.now() - t0);
      m.own += ownCpuMs() - own0;
      m.count += BATCH;
    }
  }
  console.log(
    `\nCPU ms per operation (${ROUNDS} rounds × ${BATCH}, ${CONCURRENCY} in flight, after a warm-up round; the server's idle rate, ${(idleRate * 1000).toFixed(0)} ms/s, taken off)`,
  );
  console.log(`${'measure'.padEnd(30)}  server  this process  errors`);
  for (const m of measures)
    console.log(
      `${m.label.padEnd(30)} ${(m.server / m.count).toFixed(2).padStart(7)} ${(m.own / m.count).toFixed(2).padStart(12)} ${String(m.errors).padStart(7)}`,
    );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
