/**
 * Benchmark of the pure machine: for each config in config/kommuner, how long compiling takes
 * (median of N fresh compiles) and how many commands per second the engine applies on walks
 * through the model. The walk is generic: at each point it sends an event the holder's roles
 * may send now, with a payload sampled from the event's form, or fires the next due timer, so
 * no model needs code of its own. Each figure is measured in several rounds after a warm-up and
 * printed as the median with the range over rounds, since a shared machine's load moves it.
 * Figures are per core: the process's CPU time, not the wall clock, so a busy machine that
 * takes the core away part of the time does not count against the engine.
 * Run with `npm run bench:machine [-- rounds]`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KommuneConfig } from '../config/types';
import {
  allowedEvents,
  applyEvent,
  fireTimer,
  openCase,
  type CaseState,
  type CompiledKommune,
} from '../machines';
import { compileKommuneFresh } from '../machines/compile-kommune';
import { prng, sample } from '../test/machines/support';

const ROUNDS = Number(process.argv[2] ?? 5);
const COMPILES = 15;
const WALKS = 300;
const STEPS_PER_WALK = 40;
const dir = join(__dirname, '..', 'config', 'kommuner');

function walk(k: CompiledKommune, seed: number): number {
  const pick = prng(seed);
  const config = k.config;
  let now = '2027-01-04T08:00:00.000Z';
  const opened = openCase(k, {
    caseId: `b-${seed}`,
    referralSource: Object.keys(config.referralSources)[0]!,
    payload: sample(config.intake.payload, pick),
    actor: { id: 'u-0', role: config.intake.roles[0]! },
    now,
  });
  let commands = 1;
  if (!opened.ok) return commands;
  let state: CaseState = opened.state;
  const roles = Object.keys(config.roles);
  for (let i = 0; i < STEPS_PER_WALK && state.status === 'open'; i++) {
    const timer = state.timers[0];
    if (timer && pick() < 0.25) {
      now = timer.dueAt > now ? timer.dueAt : now;
      const r = fireTimer(k, state, timer.key, now);
      commands += 1;
      if (r.ok) state = r.state;
      continue;
    }
    const role = roles[Math.floor(pick() * roles.length)]!;
    // Someone in that role: the holder when it is the holder's role (events may be theirs only).
    const id = state.holder?.role === role ? state.holder.id : 'u-1';
    const options = allowedEvents(k, state, { role, id });
    if (options.length === 0) continue;
    const event = options[Math.floor(pick() * options.length)]!;
    now = new Date(Date.parse(now) + 3_600_000 * (1 + Math.floor(pick() * 72))).toISOString();
    const r = applyEvent(
      k,
      state,
      { type: event.type, actor: { id, role }, payload: sample(event.payloadSchema, pick) },
      now,
    );
    commands += 1;
    if (r.ok) state = r.state;
  }
  return commands;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Milliseconds of CPU this process used (user and system, all its threads, GC included). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Median of several rounds, and the range over them. */
function spread(xs: number[], digits: number): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (x: number): string =>
    x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${f(median(s))} (${f(s[0]!)}–${f(s[s.length - 1]!)})`;
}

const rows: string[][] = [];
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const text = readFileSync(join(dir, file), 'utf8');
  // A fresh object and no memo: each compile does all the work a new config version costs.
  const compile = (): CompiledKommune => compileKommuneFresh(JSON.parse(text) as KommuneConfig, 1);
  for (let i = 0; i < 5; i++) compile(); // warm-up
  const compileMedians: number[] = [];
  const allFormsMedians: number[] = [];
  const perSecond: number[] = [];
  let k = compile();
  for (let i = 0; i < 20; i++) walk(k, 10_000 + i); // warm-up
  let commands = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const compileMs: number[] = [];
    for (let i = 0; i < COMPILES; i++) {
      const t = cpuMs();
      k = compile();
      compileMs.push(cpuMs() - t);
    }
    compileMedians.push(median(compileMs));
    // Forms compile on first use; publishing's check (`compileErrors`) compiles them all.
    const allFormsMs: number[] = [];
    for (let i = 0; i < COMPILES; i++) {
      const t = cpuMs();
      compile().compileAllForms();
      allFormsMs.push(cpuMs() - t);
    }
    allFormsMedians.push(median(allFormsMs));
    commands = 0;
    const t = cpuMs();
    for (let i = 0; i < WALKS; i++) commands += walk(k, i);
    perSecond.push(commands / ((cpuMs() - t) / 1000));
  }
  rows.push([
    k.config.id,
    String(Object.keys(k.config.steps).length),
    spread(compileMedians, 1),
    spread(allFormsMedians, 1),
    String(commands),
    spread(perSecond, 0),
    spread(
      perSecond.map((x) => 1e6 / x),
      0,
    ),
  ]);
}

const header = [
  'config',
  'steps',
  'compile ms (median of medians, range)',
  'with every form ms',
  'commands/round',
  'commands/s (range)',
  'µs/command (range)',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(
  `Pure machine: ${ROUNDS} rounds per config, each ${COMPILES} compiles and ${WALKS} walks of up to ${STEPS_PER_WALK} commands (events and timers); CPU time of this process\n`,
);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
