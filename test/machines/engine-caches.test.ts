/**
 * The engine's caches and its one inert machine scope must not change a single result: a
 * workflow replays commands years later, in another process, with the caches cold or full.
 */
import { isDeepStrictEqual } from 'node:util';
import { initialTransition, transition } from 'xstate';
import { parseDuration as parseDurationUncached } from '../../config/duration';
import {
  addDuration,
  allowedEvents,
  applyEvent,
  compileKommune,
  createCommandMemo,
  fireTimer,
  openCase,
  parseDuration,
  type CaseState,
  type CompiledKommune,
  type StepResult,
} from '../../machines';
import { compileKommuneFresh } from '../../machines/compile-kommune';
import { addDurationMs } from '../../machines/durations';
import {
  compileMachine,
  enterFirstStep,
  stepMachine,
  type MachineEvent,
} from '../../machines/compile-machine';
import { withSharedEvents } from '../../config/shared-events';
import {
  boundedMemo,
  computeSummerTime,
  daysInMonth,
  instant,
  osloOffsetMinutes,
  parseInstant,
  shiftDate,
  summerTime,
  toIso,
  toOsloLocal,
} from '../../machines/oslo-time';
import { isWorkingDay, shiftWorkingDays } from '../../machines/working-days';
import { loadSeed, prng, sample, seedIds } from './support';

const HOUR = 3_600_000;

/**
 * The cases whose actual and expected values differ (the first ten, each with its input):
 * compared in plain code, since tens of thousands of `expect` calls cost tens of seconds.
 */
function differing<T>(cases: readonly T[], check: (c: T) => [unknown, unknown]): unknown[] {
  const out: unknown[] = [];
  for (const c of cases) {
    const [actual, expected] = check(c);
    if (!isDeepStrictEqual(actual, expected)) out.push({ case: c, actual, expected });
    if (out.length === 10) break;
  }
  return out;
}

/** What a step gives, to compare ours with xstate's own: where, whether done, the case, the actions. */
function comparable([snapshot, actions]: readonly [
  { value: unknown; status: unknown; context: unknown },
  ReadonlyArray<{ type: string; params?: unknown }>,
]): unknown[] {
  return [
    snapshot.value,
    snapshot.status,
    snapshot.context,
    actions.map((a) => [a.type, a.params]),
  ];
}

/** Oslo's offset as the time-zone database has it, independent of the engine's rule. */
function offsetByTzdata(ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Oslo',
    timeZoneName: 'shortOffset',
  }).formatToParts(ms);
  const name = parts.find((p) => p.type === 'timeZoneName')!.value; // "GMT+1" or "GMT+2"
  return Number(name.replace('GMT', '')) * 60;
}

describe('Oslo summer time, memoised per year', () => {
  it('when asked for every year 2020–2040, twice, then the memo gives what the rule computes and the time-zone database agrees hour by hour around each change', () => {
    for (let year = 2020; year <= 2040; year++) {
      for (const _ of [1, 2]) expect(summerTime(year)).toEqual(computeSummerTime(year));
      const [start, end] = summerTime(year);
      for (const change of [start, end]) {
        for (let ms = change - 3 * HOUR; ms <= change + 3 * HOUR; ms += HOUR / 2) {
          expect([new Date(ms).toISOString(), osloOffsetMinutes(ms)]).toEqual([
            new Date(ms).toISOString(),
            offsetByTzdata(ms),
          ]);
        }
      }
    }
  });

  it('when a memo is full, then it starts over and still gives the same values', () => {
    let computed = 0;
    const square = boundedMemo(3, (n: number) => {
      computed += 1;
      return n * n;
    });
    const first = [1, 2, 3, 4, 5, 1, 2].map(square);
    const again = [1, 2, 3, 4, 5, 1, 2].map(square);
    expect(again).toEqual(first);
    expect(first).toEqual([1, 4, 9, 16, 25, 1, 4]);
    expect(computed).toBeGreaterThan(5);
  });
});

describe('Durations, memoised per text', () => {
  const texts = [
    'P1Y6M',
    'P2W',
    'P10D',
    'PT4H',
    'PT90M',
    'P1DT2H',
    'P0D',
    'P',
    'P1DT',
    '1D',
    '',
    'P1.5D',
  ];

  it('when the same texts are parsed again, then the parts equal the config grammar and are read-only', () => {
    for (const text of [...texts, ...texts]) {
      const parts = parseDuration(text);
      expect(parts).toEqual(parseDurationUncached(text));
      if (parts) expect(Object.isFrozen(parts)).toBe(true);
    }
    expect(parseDuration(`P${'1'.repeat(100)}D`)).toEqual(
      parseDurationUncached(`P${'1'.repeat(100)}D`),
    );
    expect(parseDuration(42)).toBeNull();
  });

  it('when timers add durations in milliseconds, then they land on the instant the ISO form names, and absurd ones are refused alike', () => {
    const froms = [
      '2027-01-31T08:00:00.000Z',
      '2027-03-27T23:30:00.000Z',
      '2027-10-31T00:30:00.000Z',
      '2028-02-29T12:00:00.000Z',
    ];
    for (const from of froms) {
      for (const duration of ['P1M', 'P1Y6M', 'P2W', 'P10D', 'PT4H', 'P1DT90M'] as const) {
        for (const days of ['calendar', 'working'] as const) {
          for (const sign of [1, -1] as const) {
            expect(addDurationMs(from, duration, days, sign)).toBe(
              Date.parse(addDuration(from, duration, days, sign)),
            );
          }
        }
      }
    }
    expect(() => addDuration(froms[0]!, 'P999999Y')).toThrow(RangeError);
    expect(() => addDurationMs(froms[0]!, 'P999999Y')).toThrow(RangeError);
  });

  it('when a month is added across summer time repeatedly, then the wall-clock time is kept every time', () => {
    for (const _ of [1, 2, 3]) {
      expect(addDuration('2027-03-15T08:00:00.000Z', 'P1M')).toBe('2027-04-15T07:00:00.000Z');
      expect(addDuration('2027-10-15T07:00:00.000Z', 'P1M')).toBe('2027-11-15T08:00:00.000Z');
    }
  });
});

describe('Instants and working days, read and counted the fast way', () => {
  it('when an instant is written as toISOString writes it, or nearly so, then the engine reads the same millisecond as Date.parse, and refuses what Date.parse refuses', () => {
    const pick = prng(12);
    const pad = (n: number, w: number): string => String(Math.floor(n)).padStart(w, '0');
    const texts = [
      '2028-02-29T23:59:59.999Z',
      '2027-02-29T00:00:00.000Z',
      '0050-01-01T00:00:00.000Z',
    ];
    for (let i = 0; i < 20_000; i++) {
      // Out-of-range months, days, hours and seconds too: those are left to Date.parse.
      texts.push(
        `${pad(pick() * 10_000, 4)}-${pad(pick() * 14, 2)}-${pad(pick() * 33, 2)}T${pad(pick() * 26, 2)}:${pad(pick() * 61, 2)}:${pad(pick() * 61, 2)}.${pad(pick() * 1000, 3)}Z`,
      );
    }
    for (let ms = -62_135_596_800_000; ms < 253_402_300_799_999; ms += 987_654_321_123)
      texts.push(new Date(ms).toISOString());
    texts.push(
      '2027-01-04T08:00:00Z',
      '2027-01-04T08:00:00.000+01:00',
      '2027-01-04',
      'x'.repeat(24),
    );
    const throws = (text: string) => {
      try {
        instant(text);
        return null;
      } catch (err) {
        return err instanceof TypeError ? 'TypeError' : String(err);
      }
    };
    expect(
      differing(texts, (text) => {
        const expected = Date.parse(text);
        return Number.isNaN(expected)
          ? [
              [parseInstant(text), throws(text)],
              [expected, 'TypeError'],
            ]
          : [
              [parseInstant(text), instant(text)],
              [expected, expected],
            ];
      }),
    ).toEqual([]);
  });

  it('when instants from year 1000 to 9999 and beyond are written, split into Oslo dates and moved by days, then the integer arithmetic gives what Date gives', () => {
    const pick = prng(13);
    const byDate = (ms: number) => {
      const shifted = new Date(ms + osloOffsetMinutes(ms) * 60_000);
      const midnight = Date.UTC(
        shifted.getUTCFullYear(),
        shifted.getUTCMonth(),
        shifted.getUTCDate(),
      );
      return {
        year: shifted.getUTCFullYear(),
        month: shifted.getUTCMonth() + 1,
        day: shifted.getUTCDate(),
        timeOfDay: shifted.getTime() - midnight,
      };
    };
    const cases = Array.from({ length: 50_000 }, (_, i) => ({
      ms: i % 5 === 0 ? Math.floor((pick() - 0.5) * 1.7e16) : Math.floor(-3.2e13 + pick() * 2.9e14),
      days: Math.floor((pick() - 0.5) * 4000),
    }));
    expect(
      differing(cases, ({ ms, days }) => {
        const local = toOsloLocal(ms);
        const d = new Date(Date.UTC(local.year, local.month - 1, local.day) + days * 86_400_000);
        return [
          [toIso(ms), local, shiftDate(local, days), daysInMonth(local.year, local.month)],
          [
            new Date(ms).toISOString(),
            byDate(ms),
            { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() },
            new Date(Date.UTC(local.year, local.month, 0)).getUTCDate(),
          ],
        ];
      }),
    ).toEqual([]);
    expect(() => toIso(9e15)).toThrow(RangeError);
  });

  it('when working days are counted forwards and back from every day of 2026–2031, then each lands where a day-by-day walk over the holiday calendar does', () => {
    const byWalk = (from: { year: number; month: number; day: number }, count: number) => {
      const step = count < 0 ? -1 : 1;
      let current = from;
      for (let left = Math.abs(count); left > 0;) {
        current = shiftDate(current, step);
        if (isWorkingDay(current)) left -= 1;
      }
      return current;
    };
    const cases = Array.from({ length: 6 * 366 }, (_, offset) =>
      [0, 1, 3, 10, 60, -1, -5, -30].map((count) => ({
        from: shiftDate({ year: 2026, month: 1, day: 1 }, offset),
        count,
      })),
    ).flat();
    expect(
      differing(cases, ({ from, count }) => [shiftWorkingDays(from, count), byWalk(from, count)]),
    ).toEqual([]);
  });
});

function walk(k: CompiledKommune, seed: number, steps = 30): StepResult[] {
  const pick = prng(seed);
  const { config } = k;
  let now = '2027-01-04T08:00:00.000Z';
  const opened = openCase(k, {
    caseId: `c-${seed}`,
    referralSource: Object.keys(config.referralSources)[0]!,
    payload: sample(config.intake.payload, pick),
    actor: { id: 'u-0', role: config.intake.roles[0]! },
    now,
  });
  const results: StepResult[] = [opened];
  if (!opened.ok) return results;
  let state: CaseState = opened.state;
  const roles = Object.keys(config.roles);
  for (let i = 0; i < steps && state.status === 'open'; i++) {
    const timer = state.timers[0];
    let r: StepResult;
    if (timer && pick() < 0.25) {
      now = timer.dueAt > now ? timer.dueAt : now;
      r = fireTimer(k, state, timer.key, now);
    } else {
      const role = roles[Math.floor(pick() * roles.length)]!;
      const options = allowedEvents(k, state, { role });
      if (options.length === 0) continue;
      const event = options[Math.floor(pick() * options.length)]!;
      now = new Date(Date.parse(now) + HOUR * (1 + Math.floor(pick() * 72))).toISOString();
      r = applyEvent(
        k,
        state,
        {
          type: event.type,
          actor: { id: 'u-1', role },
          payload: sample(event.payloadSchema, pick),
        },
        now,
      );
    }
    results.push(r);
    if (r.ok) state = r.state;
  }
  return results;
}

describe.each(seedIds())('%s compiled twice', (id) => {
  it('when the same walks run on two separate compiles, then every result is the same', () => {
    const a = compileKommuneFresh(loadSeed(id), 1);
    const b = compileKommuneFresh(loadSeed(id), 1);
    expect(a.machine).not.toBe(b.machine);
    let accepted = 0;
    for (let seed = 0; seed < 40; seed++) {
      const fromA = walk(a, seed);
      expect(walk(b, seed)).toEqual(fromA);
      accepted += fromA.filter((r) => r.ok).length;
    }
    // The walks must move cases, or the comparison proves little.
    expect(accepted).toBeGreaterThan(80);
  });

  it('when an equal config arrives as a new object, then the compile is shared; another version or content is not', () => {
    const k = compileKommune(loadSeed(id), 7);
    expect(compileKommune(loadSeed(id), 7)).toBe(k);
    expect(compileKommune(loadSeed(id), 8)).not.toBe(k);
    expect(compileKommune(loadSeed(id), 7, { legacy: true })).not.toBe(k);
    const renamed = { ...loadSeed(id), name: 'Another name' };
    expect(compileKommune(renamed, 7)).not.toBe(k);
  });

  it("when the engine steps its machine through its one scope, then snapshots and actions equal xstate's own transition functions", () => {
    const k = compileKommuneFresh(loadSeed(id), 1);
    const opened = walk(k, 1, 0)[0]!;
    if (!opened.ok) throw new Error('the walk could not open a case');
    // The machine's own start, and those of machines starting in another step.
    const starts = [
      k.machine,
      ...Object.keys(k.config.steps)
        .filter((step) => step !== k.config.intake.step && !k.config.steps[step]!.final)
        .map((step) => compileMachine(k.config, step)),
    ];
    for (const machine of starts) {
      const input = {
        state: { ...opened.state, timers: [], revision: 0 },
        payload: opened.state.data,
        now: opened.state.openedAt,
        actor: { id: 'u-0', role: k.config.intake.roles[0]! },
      };
      expect(comparable(enterFirstStep(machine, input))).toEqual(
        comparable(initialTransition(machine, input)),
      );
    }
    // Every gate of every event in every step, each chosen by making its rule alone hold; and
    // the same where each gate that stays in its step re-enters it.
    let compared = 0;
    const steps = withSharedEvents(k.config).steps;
    const reentering = {
      ...k.config,
      steps: Object.fromEntries(
        Object.entries(steps).map(([stepId, step]) => [
          stepId,
          {
            ...step,
            on: Object.fromEntries(
              Object.entries(step.on ?? {}).map(([type, on]) => [
                type,
                [on].flat().map((g) => (g.target === undefined ? { ...g, reenter: true } : g)),
              ]),
            ),
          },
        ]),
      ),
    };
    for (const [machine, stepId, step] of [k.machine, compileMachine(reentering)].flatMap((m) =>
      Object.entries(steps).map(([stepId, step]) => [m, stepId, step] as const),
    )) {
      const state: CaseState = { ...opened.state, step: stepId };
      for (const [type, on] of Object.entries(step.on ?? {})) {
        for (const gate of [on].flat()) {
          compared += 1;
          const event: MachineEvent = {
            type,
            payload: { ...opened.state.data },
            actor: { id: 'u-1', role: Object.keys(k.config.roles)[0]! },
            now: '2027-02-01T08:00:00.000Z',
            rules: { holds: (rule) => rule === gate.when },
          };
          expect(comparable(stepMachine(machine, stepId, state, event))).toEqual(
            comparable(
              transition(machine, machine.resolveState({ value: stepId, context: state }), event),
            ),
          );
        }
      }
    }
    expect(compared).toBeGreaterThan(2 * Object.keys(k.config.steps).length);
  });
});

describe('One step per command for an update', () => {
  const k = compileKommune(loadSeed(seedIds()[0]!), 1);
  const opened = walk(k, 3, 0)[0]!;
  if (!opened.ok) throw new Error('the walk could not open a case');
  const state = opened.state;
  const type = allowedEvents(k, state, { role: 'system' })[0]!.type;
  const command = () => ({ type, payload: {}, actor: { id: 'u-1', role: 'system' } });
  const now = '2027-01-05T08:00:00.000Z';

  it('when the handler repeats the command its validator decoded separately, then it gets the same result without a second step', () => {
    const memo = createCommandMemo();
    const validated = memo.applyEvent(k, state, command(), now);
    expect(memo.applyEvent(k, state, command(), now)).toBe(validated);
    expect(validated).toEqual(applyEvent(k, state, command(), now));
  });

  it('when the state, the time or the command changed in between, then the command is applied afresh', () => {
    const memo = createCommandMemo();
    const validated = memo.applyEvent(k, state, command(), now);
    const later = '2027-01-06T08:00:00.000Z';
    const atLater = memo.applyEvent(k, state, command(), later);
    expect(atLater).not.toBe(validated);
    expect(atLater).toEqual(applyEvent(k, state, command(), later));
    const otherState = { ...state };
    expect(memo.applyEvent(k, otherState, command(), later)).not.toBe(atLater);
    const byOther = memo.applyEvent(
      k,
      otherState,
      { ...command(), actor: { id: 'u-2', role: 'system' } },
      later,
    );
    expect(byOther).toEqual(
      applyEvent(k, otherState, { ...command(), actor: { id: 'u-2', role: 'system' } }, later),
    );
  });
});
