/**
 * Benchmark of the pure machine: for each config in config/kommuner, how long compiling takes
 * (median of N fresh compiles) and how many commands per second the engine applies on walks
 * through the model. The walk is generic: at each point it sends an event the holder's roles
 * may send now, with a payload sampled from the event's form, or fires the next due timer, so
 * no model needs code of its own. Run with `npx tsx bench/machine-bench.ts`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JsonSchema, KommuneConfig } from '../config/types';
import { allowedEvents, applyEvent, compileKommune, fireTimer, openCase, type CaseState, type CompiledKommune } from '../machines';

const COMPILES = 15;
const WALKS = 300;
const STEPS_PER_WALK = 40;
const dir = join(__dirname, '..', 'config', 'kommuner');

/** A small deterministic PRNG, so runs are comparable. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** A value that fits a simple form; `pick` chooses among alternatives. */
function sample(schema: JsonSchema | undefined, pick: () => number): unknown {
  const s = (schema ?? {}) as Record<string, unknown>;
  const choose = <T>(xs: T[]): T => xs[Math.floor(pick() * xs.length)]!;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return choose(s.enum as unknown[]);
  switch (s.type) {
    case 'boolean':
      return pick() < 0.5;
    case 'integer':
    case 'number':
      return Math.round(((s.minimum as number) ?? 1) + pick() * (((s.maximum as number) ?? 4) - ((s.minimum as number) ?? 1)));
    case 'string':
      return s.format === 'date' ? `2027-0${1 + Math.floor(pick() * 9)}-1${Math.floor(pick() * 9)}` : `u-${Math.floor(pick() * 5)}`;
    case 'array':
      return Array.from({ length: Math.max((s.minItems as number) ?? 0, 1) }, () => sample(s.items as JsonSchema, pick));
    default: {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sample(v, pick)]));
    }
  }
}

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
    const options = allowedEvents(k, state, role);
    if (options.length === 0) continue;
    const event = options[Math.floor(pick() * options.length)]!;
    now = new Date(Date.parse(now) + 3_600_000 * (1 + Math.floor(pick() * 72))).toISOString();
    const r = applyEvent(k, state, { type: event.type, actor: { id: 'u-1', role }, payload: sample(event.payloadSchema, pick) }, now);
    commands += 1;
    if (r.ok) state = r.state;
  }
  return commands;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const rows: string[][] = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const text = readFileSync(join(dir, file), 'utf8');
  const compileMs: number[] = [];
  let k: CompiledKommune | undefined;
  for (let i = 0; i < COMPILES; i++) {
    const config = JSON.parse(text) as KommuneConfig; // a fresh object: compileKommune memoises per object
    const t = performance.now();
    k = compileKommune(config, 1);
    compileMs.push(performance.now() - t);
  }
  for (let i = 0; i < 20; i++) walk(k!, 10_000 + i); // warm-up
  let commands = 0;
  const t = performance.now();
  for (let i = 0; i < WALKS; i++) commands += walk(k!, i);
  const seconds = (performance.now() - t) / 1000;
  rows.push([k!.config.id, String(Object.keys(k!.config.steps).length), median(compileMs).toFixed(1), String(commands), Math.round(commands / seconds).toLocaleString('en-US'), ((seconds * 1e6) / commands).toFixed(0)]);
}

const header = ['config', 'steps', 'compile ms (median)', 'commands', 'commands/s', 'µs/command'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`Pure machine: ${COMPILES} compiles per config; ${WALKS} walks of up to ${STEPS_PER_WALK} commands (events and timers)\n`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
