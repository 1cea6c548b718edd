/**
 * Timers as absolute due times kept in the case. The workflow sleeps until the earliest
 * `dueAt`; the machine decides what is armed:
 * - entering a step arms all of its timers (the left step's timers are gone);
 * - an accepted event re-arms `inactivity` timers, and re-arms `dueDate` and `recurring`
 *   timers whose field changed;
 * - a fired timer is disarmed; a `recurring` one arms its next occurrence after now;
 * - a `reminder` follows its target: armed `before` the target's due time, re-armed when the
 *   target moves, and skipped when that moment is already past (the target itself is then
 *   imminent, so a late reminder would only be noise).
 * Keys are `<step>/<timerId>/<dueAt>`: a re-armed timer gets a new key, so a stale one can
 * never fire.
 *
 * @module
 */
import type {
  DayCount,
  Effect,
  KommuneConfig,
  ReminderTimer,
  StepDef,
  TimerDef,
} from '../config/types';
import {
  addDurationMs,
  approximateMs,
  type DurationParts,
  parseDuration,
  requireDuration,
  scaleDuration,
} from './durations';
import { fromOsloLocal, instant, parseDateOnly, parseInstant, shiftDate, toIso } from './oslo-time';
import { meetingSchedule, teamChanged } from './teams';
import type { ArmedTimer, CaseState } from './types';

type OwnTimer = Exclude<TimerDef, ReminderTimer>;

/**
 * All timers of the step the case has just entered.
 *
 * @example
 * timersOnEntry(config, enterStep(config, state, 'team-meeting', now), now)
 */
export function timersOnEntry(config: KommuneConfig, state: CaseState, now: string): ArmedTimer[] {
  const step = config.steps[state.step];
  if (!step || step.final) return [];
  const nowMs = instant(now);
  const own = new Map<string, ArmedTimer>();
  for (const def of step.timers ?? []) {
    if (def.kind === 'reminder') continue;
    const due = dueOf(config, def, state, nowMs);
    if (due !== null) own.set(def.id, arm(state.step, def, due));
  }
  return withReminders(
    step,
    state.step,
    own,
    NONE,
    NONE,
    undefined,
    nowMs,
    lapseTimers(config, state),
  );
}

export interface RefreshOptions {
  /** A person acted: inactivity timers start over. */
  activity: boolean;
  /** The timer that just fired, to disarm (and re-arm the next occurrence if recurring). */
  fired?: ArmedTimer;
}

/**
 * The timers after something happened inside the same step (`before` → `after`).
 *
 * @example
 * refreshTimers(config, before, after, now, { activity: true }) // inactivity timers re-armed
 */
export function refreshTimers(
  config: KommuneConfig,
  before: CaseState,
  after: CaseState,
  now: string,
  options: RefreshOptions,
): ArmedTimer[] {
  const step = config.steps[after.step];
  if (!step || step.final) return [];
  const nowMs = instant(now);
  const stepId = after.step;
  const firedId = options.fired?.timerId;

  const own = new Map<string, ArmedTimer>();
  for (const def of step.timers ?? []) {
    if (def.kind === 'reminder') continue;
    // What the transition's own effects left armed (an extended deadline) is kept as they left it.
    let timer = def.id === firedId ? undefined : armedIn(after.timers, stepId, def.id);
    const rearm =
      (def.kind === 'inactivity' && options.activity) ||
      (def.kind === 'dueDate' && changed(before.data[def.field], after.data[def.field])) ||
      (def.kind === 'recurring' &&
        (options.fired?.timerId === def.id ||
          (def.everyField !== undefined &&
            changed(before.data[def.everyField], after.data[def.everyField])) ||
          // A case moved to another team meets on that team's days from now on.
          (def.team !== undefined && teamChanged(before, after, def.team))));
    if (rearm) {
      // A recurring timer fired late (the worker was down) still moves to the next occurrence
      // after now, so missed occurrences are not replayed one by one.
      const notBefore =
        options.fired?.timerId === def.id ? Math.max(nowMs, instant(options.fired.dueAt)) : nowMs;
      const due = dueOf(config, def, after, notBefore);
      timer = due === null ? undefined : arm(after.step, def, due);
    }
    if (timer) own.set(def.id, timer);
  }
  return withReminders(
    step,
    stepId,
    own,
    before.timers,
    after.timers,
    firedId,
    nowMs,
    lapseTimers(config, after),
  );
}

/**
 * The armed timer `id` of `step` (the later one if armed twice). A case has a handful of timers,
 * so a look along them beats building a map per command.
 */
function armedIn(timers: readonly ArmedTimer[], step: string, id: string): ArmedTimer | undefined {
  for (let i = timers.length - 1; i >= 0; i--) {
    const t = timers[i]!;
    if (t.step === step && t.timerId === id) return t;
  }
  return undefined;
}

/**
 * The engine's own timers: when a consent the step requires lapses, and its type names a
 * `whenLost` event, the case must leave the step then. Recomputed from the consents each time,
 * so a consent given again moves its timer.
 */
function lapseTimers(config: KommuneConfig, state: CaseState): ArmedTimer[] {
  const out: ArmedTimer[] = [];
  for (const consent of config.steps[state.step]?.requiresConsent ?? []) {
    const def = config.consentTypes?.[consent];
    const given = state.consents[consent];
    if (!def?.whenLost || !given?.expiresAt || given.withdrawnAt !== undefined) continue;
    if (given.awaiting !== undefined && given.awaiting.length > 0) continue;
    out.push({
      key: `${state.step}/consent:${consent}/${given.expiresAt}`,
      timerId: `consent:${consent}`,
      step: state.step,
      kind: 'consentLapse',
      title: `${def.title} utløper`,
      dueAt: given.expiresAt,
    });
  }
  return out;
}

/**
 * Where an extension (`extendTimer`) would move the step's armed deadline or maximum duration:
 * `by` later, at most `upTo` past its configured time. `null` when it is not armed or already
 * as late as allowed.
 *
 * @example
 * extendedDue(config, state, { type: 'extendTimer', timer: 'maks', by: 'P3M', upTo: 'P6M' })
 */
export function extendedDue(
  config: KommuneConfig,
  state: CaseState,
  effect: Extract<Effect, { type: 'extendTimer' }>,
): { timer: ArmedTimer; dueAt: string; limit: string } | null {
  const timer = state.timers.find((t) => t.step === state.step && t.timerId === effect.timer);
  const def = (config.steps[state.step]?.timers ?? []).find((t) => t.id === effect.timer);
  if (!timer || !def || (def.kind !== 'deadline' && def.kind !== 'maxDuration')) return null;
  const configured = dueOf(config, def, state, instant(timer.dueAt));
  if (configured === null) return null;
  const days = def.days ?? 'calendar';
  const limit = addDurationMs(configured, requireDuration(effect.upTo), days);
  const wanted = addDurationMs(timer.dueAt, requireDuration(effect.by), days);
  const due = Math.min(wanted, limit);
  if (due <= instant(timer.dueAt)) return null;
  return { timer, dueAt: toIso(due), limit: toIso(limit) };
}

/** The state with the extension applied (see `extendedDue`); unchanged when none applies. */
export function extendTimer(
  config: KommuneConfig,
  state: CaseState,
  effect: Extract<Effect, { type: 'extendTimer' }>,
): CaseState {
  const moved = extendedDue(config, state, effect);
  if (!moved) return state;
  const { timer, dueAt } = moved;
  const extended: ArmedTimer = { ...timer, dueAt, key: `${timer.step}/${timer.timerId}/${dueAt}` };
  return { ...state, timers: state.timers.map((t) => (t === timer ? extended : t)) };
}

/** The earliest due time among armed timers. */
export function earliestDue(timers: readonly ArmedTimer[]): string | null {
  let best: string | null = null;
  for (const t of timers)
    if (best === null || parseInstant(t.dueAt) < parseInstant(best)) best = t.dueAt;
  return best;
}

const NONE: readonly ArmedTimer[] = [];

/**
 * Adds reminders in config order after their targets; result follows the config's order, then
 * the engine's own timers (`lapses`). A reminder is kept from `kept` (but not the one `firedId`
 * that just fired) while its target has the due time it had in `previous`.
 */
function withReminders(
  step: StepDef,
  stepId: string,
  own: Map<string, ArmedTimer>,
  previous: readonly ArmedTimer[],
  kept: readonly ArmedTimer[],
  firedId: string | undefined,
  nowMs: number,
  lapses: readonly ArmedTimer[],
): ArmedTimer[] {
  const out: ArmedTimer[] = [];
  for (const def of step.timers ?? []) {
    if (def.kind !== 'reminder') {
      const t = own.get(def.id);
      if (t) out.push(t);
      continue;
    }
    const target = own.get(def.timer);
    if (!target) continue;
    const targetMoved = armedIn(previous, stepId, def.timer)?.dueAt !== target.dueAt;
    if (!targetMoved) {
      const existing = def.id === firedId ? undefined : armedIn(kept, stepId, def.id);
      if (existing) out.push(existing);
      continue;
    }
    const due = addDurationMs(target.dueAt, def.before, def.days ?? 'calendar', -1);
    if (due > nowMs) out.push(arm(stepId, def, due));
  }
  for (const t of lapses) out.push(t);
  return out;
}

function arm(stepId: string, def: TimerDef, dueMs: number): ArmedTimer {
  const dueAt = toIso(dueMs);
  const timer: ArmedTimer = {
    key: `${stepId}/${def.id}/${dueAt}`,
    timerId: def.id,
    step: stepId,
    kind: def.kind,
    dueAt,
  };
  if (def.title !== undefined) timer.title = def.title;
  return timer;
}

/** When a timer is due, or `null` when it cannot be armed (e.g. no date chosen yet). */
function dueOf(
  config: KommuneConfig,
  def: OwnTimer,
  state: CaseState,
  notBeforeMs: number,
): number | null {
  const days = def.days ?? 'calendar';
  switch (def.kind) {
    case 'deadline':
    case 'maxDuration': {
      const anchor = def.from === 'caseOpened' ? state.openedAt : state.stepEnteredAt;
      return addDurationMs(anchor, def.after, days);
    }
    case 'inactivity': {
      const anchor = Math.max(instant(state.lastActivityAt), instant(state.stepEnteredAt));
      return addDurationMs(anchor, def.after, days);
    }
    case 'dueDate':
      return dueDateOf(state.data[def.field]);
    case 'recurring':
      return nextOccurrence(config, def, state, notBeforeMs);
  }
}

/**
 * A chosen date is due once the day has passed in Oslo ("the follow-up date passed with no talk
 * held"); a full date-time is due at that instant.
 */
function dueDateOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const date = parseDateOnly(value);
  if (date) return fromOsloLocal({ ...shiftDate(date, 1), timeOfDay: 0 });
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The first occurrence `anchor + k·every` strictly after `afterMs`; a timer that follows a team
 * takes `every` and the anchor from the case's team (see `meetingSchedule`).
 */
function nextOccurrence(
  config: KommuneConfig,
  def: Extract<TimerDef, { kind: 'recurring' }>,
  state: CaseState,
  afterMs: number,
): number {
  const schedule = meetingSchedule(config, def, state);
  const fromField =
    schedule.everyField === undefined ? null : parseDuration(state.data[schedule.everyField]);
  const every = fromField ?? requireDuration(schedule.every);
  const anchorDate = schedule.anchorDate === undefined ? null : parseDateOnly(schedule.anchorDate);
  // Fixed meeting dates count from the anchor date's Oslo midnight, others from step entry.
  const anchor = anchorDate
    ? fromOsloLocal({ ...anchorDate, timeOfDay: 0 })
    : instant(state.stepEnteredAt);
  const days = def.days ?? 'calendar';
  const period = approximateMs(every);
  if (period <= 0) throw new Error(`recurring timer "${def.id}" has a zero period`);
  const first = anchorDate ? 0 : 1;
  // Estimate k from the average period, then correct: calendar months differ in length.
  let k = Math.max(first, Math.floor((afterMs - anchor) / period));
  while (k > first && occurrence(anchor, every, k - 1, days) > afterMs) k -= 1;
  while (occurrence(anchor, every, k, days) <= afterMs) k += 1;
  return occurrence(anchor, every, k, days);
}

/** The k-th occurrence of a period `every` after `anchor`. */
function occurrence(anchor: number, every: DurationParts, k: number, days: DayCount): number {
  return addDurationMs(anchor, scaleDuration(every, k), days);
}

function changed(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}
