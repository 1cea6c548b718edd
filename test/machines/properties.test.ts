/**
 * Property tests: random command sequences on every seed model never throw, never leave the
 * config's steps, and every rejection carries a code and a reason. Plus: every step is
 * reachable from intake in the compiled machine.
 */
import fc from 'fast-check';
import type { JsonSchema, KommuneConfig } from '../../config/types';
import {
  RejectionCodes,
  SYSTEM_ROLE,
  addDuration,
  applyEvent,
  fireTimer,
  openCase,
  reopenCase,
  type CaseState,
  type CompiledKommune,
  type StepResult,
} from '../../machines';
import { compileSeed, seedIds } from './support';

/** Values that fit a simple payload form: enough to get past the forms and exercise gates. */
function valueFor(schema: JsonSchema | boolean | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema !== 'object' || schema === null || depth > 6) return fc.constant(null);
  const s = schema as Record<string, unknown>;
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  switch (s.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: (s.minimum as number) ?? 0, max: (s.maximum as number) ?? 20 });
    case 'number':
      return fc.double({ min: 0, max: 20, noNaN: true });
    case 'string':
      if (s.format === 'date')
        return fc
          .date({ min: new Date('2027-01-01'), max: new Date('2029-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      return fc.constantFrom('a', 'los-1', 'rt-1', 'P1M', 'Tekst');
    case 'array': {
      const min = (s.minItems as number) ?? 0;
      return fc.array(valueFor(s.items as JsonSchema, depth + 1), {
        minLength: min,
        maxLength: Math.max(min, (s.maxItems as number) ?? 3),
      });
    }
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((s.required ?? []) as string[]);
      const entries: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, p] of Object.entries(props)) entries[name] = valueFor(p, depth + 1);
      return fc.record(entries, {
        requiredKeys: Object.keys(props).filter((n) => required.has(n) || Math.random() < 2),
      });
    }
    default:
      return fc.constant({});
  }
}

type Command =
  | { kind: 'event'; type: string; role: string; payload: unknown; advanceMinutes: number }
  | { kind: 'timer'; pick: number; bogus: boolean }
  | { kind: 'reopen'; role: string; payload: unknown; advanceMinutes: number };

function commands(config: KommuneConfig): fc.Arbitrary<Command[]> {
  const eventTypes = [...Object.keys(config.events), 'finnesIkke'];
  const roles = [...Object.keys(config.roles), SYSTEM_ROLE, 'inntrenger'];
  const payloadFor = (type: string): fc.Arbitrary<unknown> =>
    fc.oneof(
      { weight: 4, arbitrary: valueFor(config.events[type]?.payload ?? { type: 'object' }) },
      { weight: 1, arbitrary: fc.anything() },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
  const event = fc.constantFrom(...eventTypes).chain((type) =>
    fc.record({
      kind: fc.constant('event' as const),
      type: fc.constant(type),
      role: fc.constantFrom(...roles),
      payload: payloadFor(type),
      advanceMinutes: fc.integer({ min: 0, max: 60 * 24 * 60 }),
    }),
  );
  const timer = fc.record({
    kind: fc.constant('timer' as const),
    pick: fc.nat(),
    bogus: fc.boolean(),
  });
  const reopen = fc.record({
    kind: fc.constant('reopen' as const),
    role: fc.constantFrom(...roles),
    payload: valueFor(config.reopen?.payload ?? { type: 'object' }),
    advanceMinutes: fc.integer({ min: 0, max: 60 * 24 * 200 }),
  });
  return fc.array(
    fc.oneof(
      { weight: 6, arbitrary: event },
      { weight: 3, arbitrary: timer },
      { weight: 1, arbitrary: reopen },
    ),
    { maxLength: 30 },
  );
}

function checkResult(k: CompiledKommune, before: CaseState | null, result: StepResult): void {
  const steps = Object.keys(k.config.steps);
  if (!result.ok) {
    expect(RejectionCodes).toContain(result.rejection.code);
    expect(result.rejection.message.length).toBeGreaterThan(0);
    // The reason in bokmål too, for the caseworker who acted; each field's reason as well.
    expect(result.rejection.nb).toMatch(/\S/);
    expect(Array.isArray(result.rejection.details)).toBe(true);
    for (const d of result.rejection.details) expect(d.nb).toMatch(/\S/);
    return;
  }
  const s = result.state;
  expect(steps).toContain(s.step);
  expect(s.revision).toBe(before ? before.revision + 1 : 1);
  expect(s.status === 'open').toBe(k.config.steps[s.step]!.final === undefined);
  for (const t of s.timers) expect(t.step).toBe(s.step);
  expect(steps).toEqual(expect.arrayContaining(s.path));
}

describe.each(seedIds())('random command sequences on %s', (id) => {
  const k = compileSeed(id);
  const intake = valueFor(k.config.intake.payload ?? { type: 'object' });

  it('when any sequence of events, timers and reopenings arrives, then nothing throws, the case stays in the config’s steps and every rejection has a code and a reason in English and bokmål', () => {
    fc.assert(
      fc.property(
        intake,
        fc.constantFrom(...Object.keys(k.config.referralSources)),
        commands(k.config),
        (payload, source, cmds) => {
          let now = '2027-01-04T08:00:00.000Z';
          const opener = { id: 'u-0', role: k.config.intake.roles[0]! };
          const opened = openCase(k, {
            caseId: 'p-1',
            referralSource: source,
            payload,
            actor: opener,
            now,
          });
          checkResult(k, null, opened);
          if (!opened.ok) return;
          let state = opened.state;
          for (const cmd of cmds) {
            let result: StepResult;
            if (cmd.kind === 'event') {
              now = addDuration(now, `PT${cmd.advanceMinutes}M`);
              result = applyEvent(
                k,
                state,
                { type: cmd.type, actor: { id: 'u-1', role: cmd.role }, payload: cmd.payload },
                now,
              );
            } else if (cmd.kind === 'timer') {
              const armed = state.timers[cmd.pick % Math.max(1, state.timers.length)];
              if (armed && Date.parse(armed.dueAt) > Date.parse(now)) now = armed.dueAt;
              result = fireTimer(
                k,
                state,
                cmd.bogus || !armed ? 'ingen/slik/timer' : armed.key,
                now,
              );
            } else {
              now = addDuration(now, `PT${cmd.advanceMinutes}M`);
              result = reopenCase(k, state, {
                actor: { id: 'u-2', role: cmd.role },
                payload: cmd.payload,
                now,
              });
            }
            checkResult(k, state, result);
            if (result.ok) state = result.state;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when the compiled machine is searched from intake, then every step is reachable', () => {
    const root = k.machine.root;
    const seen = new Set<string>([k.config.intake.step]);
    const queue = [k.config.intake.step];
    while (queue.length > 0) {
      const key = queue.shift()!;
      const node = root.states[key]!;
      const targets = [...node.transitions.values()]
        .flat()
        .flatMap((t) => (t.target ?? []).map((n) => n.key));
      // The short way back and timers' sends leave the machine's own edges.
      if (k.config.reopen && node.type === 'final') targets.push(k.config.reopen.step);
      for (const timer of k.config.steps[key]!.timers ?? []) {
        for (const effect of timer.onExpiry) {
          if (effect.type !== 'send') continue;
          const gates = [k.config.steps[key]!.on?.[effect.event] ?? []].flat();
          targets.push(...gates.map((g) => g.target ?? key));
        }
      }
      for (const t of targets) {
        if (!seen.has(t)) {
          seen.add(t);
          queue.push(t);
        }
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(k.config.steps).sort());
  });
});
