/**
 * Benchmark of the pure machine, per seed config in config/kommuner: how many commands per
 * second the engine applies, and how long compiling takes, each next to its target (#12).
 *
 * Commands come from generic walks through the model: at each point an event the holder's roles
 * may send now, with a payload sampled from its form, or the next due timer, so no model needs
 * code of its own. The walks are recorded once, untimed, and then replayed against the engine:
 * the figure is the engine's own work (`openCase`, `applyEvent`, `fireTimer`), not the walk's
 * choosing and sampling. Replays are checked to end where the recording did.
 *
 * Compiles: "case start" is what a worker pays before the first case of a config version opens
 * (the machine and the intake form; other forms compile on first use), "publish" is the engine's
 * check before publishing (`compileErrors`), which compiles every form. Both cold: no form of the
 * config compiled before in the process (the compiled-form memo is emptied first), as for a
 * config whose every form is new. "publish after validation" is the same check where publishing
 * runs it, right after `validateConfig` compiled the forms with the same compiler.
 *
 * Every figure is measured in several rounds after a warm-up and printed as the median with the
 * range over rounds, since a shared machine's load moves it. Figures are per core: the process's
 * CPU time, not the wall clock, so a busy machine that takes the core away part of the time does
 * not count against the engine (a loaded machine still slows it through shared caches).
 * Run with `npm run bench:machine [-- rounds]`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { forgetCompiledPayloadSchemas } from '../config/create-ajv';
import type { KommuneConfig } from '../config/types';
import { validateConfig } from '../config/validate-config';
import {
  allowedEvents,
  applyEvent,
  fireTimer,
  openCase,
  type CaseEvent,
  type CaseState,
  type CompiledKommune,
  type OpenCaseInput,
  type StepResult,
} from '../machines';
import { compileKommuneFresh } from '../machines/compile-kommune';
import { prng, sample } from '../test/machines/support';

const ROUNDS = Number(process.argv[2] ?? 5);
const COMPILES = 15;
const WALKS = 300;
const STEPS_PER_WALK = 40;
/** Targets of #12: per core, on every seed config. */
const TARGET_COMMANDS_PER_S = 50_000;
const TARGET_COMPILE_MS = 20;
const dir = join(__dirname, '..', 'config', 'kommuner');

type Command =
  | { kind: 'open'; input: OpenCaseInput }
  | { kind: 'event'; event: CaseEvent; now: string }
  | { kind: 'timer'; key: string; now: string };

interface Walk {
  commands: Command[];
  /** Where the recording ended, to check that a replay did the same work. */
  revision: number;
}

/** One walk, recorded: the commands sent in order. */
function record(k: CompiledKommune, seed: number): Walk {
  const pick = prng(seed);
  const config = k.config;
  let now = '2027-01-04T08:00:00.000Z';
  const input: OpenCaseInput = {
    caseId: `b-${seed}`,
    referralSource: Object.keys(config.referralSources)[0]!,
    payload: sample(config.intake.payload, pick),
    actor: { id: 'u-0', role: config.intake.roles[0]! },
    now,
  };
  const commands: Command[] = [{ kind: 'open', input }];
  const opened = openCase(k, input);
  if (!opened.ok) return { commands, revision: 0 };
  let state: CaseState = opened.state;
  const roles = Object.keys(config.roles);
  for (let i = 0; i < STEPS_PER_WALK && state.status === 'open'; i++) {
    const timer = state.timers[0];
    if (timer && pick() < 0.25) {
      now = timer.dueAt > now ? timer.dueAt : now;
      commands.push({ kind: 'timer', key: timer.key, now });
      const r = fireTimer(k, state, timer.key, now);
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
    const payload = sample(event.payloadSchema, pick);
    commands.push({
      kind: 'event',
      event: { type: event.type, actor: { id, role }, payload },
      now,
    });
    const r = applyEvent(k, state, { type: event.type, actor: { id, role }, payload }, now);
    if (r.ok) state = r.state;
  }
  return { commands, revision: state.revision };
}

/** Sends a recorded walk's commands to the engine; the revision it ends at. */
function replay(k: CompiledKommune, walk: Walk): number {
  let state: CaseState | undefined;
  for (const c of walk.commands) {
    let r: StepResult;
    if (c.kind === 'open') r = openCase(k, c.input);
    else if (c.kind === 'event') r = applyEvent(k, state!, c.event, c.now);
    else r = fireTimer(k, state!, c.key, c.now);
    if (r.ok) state = r.state;
  }
  return state?.revision ?? 0;
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

/** Median of several rounds, the range over them, and whether the median meets the target. */
function spread(xs: number[], digits: number, meets: (x: number) => boolean): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (x: number): string =>
    x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${f(median(s))} (${f(s[0]!)}–${f(s[s.length - 1]!)}) ${meets(median(s)) ? 'ok' : 'MISSED'}`;
}

/** Median CPU milliseconds of `COMPILES` runs of `fn`, each after `before` (untimed). */
function medianMs(fn: () => void, before: () => void = forgetCompiledPayloadSchemas): number {
  const ms: number[] = [];
  for (let i = 0; i < COMPILES; i++) {
    before();
    const t = cpuMs();
    fn();
    ms.push(cpuMs() - t);
  }
  return median(ms);
}

const rows: string[][] = [];
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const text = readFileSync(join(dir, file), 'utf8');
  // A fresh object and no memo: each compile does all the work a new config version costs.
  const compile = (): CompiledKommune => compileKommuneFresh(JSON.parse(text) as KommuneConfig, 1);
  const caseStart = (): void => void compile().validators.intake;
  const publish = (): void => compile().compileAllForms();
  const validated = (): void => {
    forgetCompiledPayloadSchemas();
    if (!validateConfig(JSON.parse(text)).ok) throw new Error(`${file} does not validate`);
  };
  for (let i = 0; i < 5; i++) publish(); // warm-up
  const k = compile();
  const walks = Array.from({ length: WALKS }, (_, i) => record(k, i));
  const commands = walks.reduce((n, w) => n + w.commands.length, 0);
  for (const w of walks) if (replay(k, w) !== w.revision) throw new Error('replay diverged');
  for (let i = 0; i < 3; i++) for (const w of walks) replay(k, w); // warm-up
  const caseStartMs: number[] = [];
  const publishMs: number[] = [];
  const afterValidationMs: number[] = [];
  const perSecond: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    caseStartMs.push(medianMs(caseStart));
    publishMs.push(medianMs(publish));
    afterValidationMs.push(medianMs(publish, validated));
    const t = cpuMs();
    for (const w of walks) replay(k, w);
    perSecond.push(commands / ((cpuMs() - t) / 1000));
  }
  const underTarget = (ms: number): boolean => ms < TARGET_COMPILE_MS;
  rows.push([
    k.config.id,
    String(Object.keys(k.config.steps).length),
    String(commands),
    spread(perSecond, 0, (x) => x >= TARGET_COMMANDS_PER_S),
    spread(
      perSecond.map((x) => 1e6 / x),
      1,
      () => true,
    ).replace(/ ok$/, ''),
    spread(caseStartMs, 1, underTarget),
    spread(publishMs, 1, underTarget),
    spread(afterValidationMs, 1, underTarget),
  ]);
}

const header = [
  'config',
  'steps',
  'commands/round',
  `commands/s (target ≥ ${TARGET_COMMANDS_PER_S.toLocaleString('en-US')})`,
  'µs/command',
  `case-start compile ms (target < ${TARGET_COMPILE_MS})`,
  `publish compile ms (target < ${TARGET_COMPILE_MS})`,
  'publish after validation ms',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(
  `Pure machine, per core (CPU time of this process): ${ROUNDS} rounds per config, each ${WALKS} recorded walks of up to ${STEPS_PER_WALK} commands (events and timers) replayed, and the median of ${COMPILES} compiles of each kind. Median over rounds (range).\n`,
);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
