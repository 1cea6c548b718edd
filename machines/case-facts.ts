/**
 * Case facts: what the statistics count, derived from a case's step (its state before and after)
 * and kept in the store's `case_fact` table beside the case's log. Unlike the log they hold no
 * personal data and nothing sealed: config ids (steps, levels, referral sources, timers, the
 * values of a field's `enum`), times, and the holder as a pseudonym. So they can stay, readable
 * by the statistics, after Temporal's retention has dropped the case.
 *
 * @module
 */
import type { KommuneConfig } from '../config/types';
import { nextDueAt } from './case-queries';
import type { CaseState } from './types';

export const CaseFactKinds = [
  /** `value`: the referral source. */
  'opened',
  'stepEntered',
  'stepLeft',
  /** `detail`: the level before, as text. */
  'levelChanged',
  /** `value`: the outcome (closed, handed_over, withdrawn); `detail`: the reason, a config value. */
  'closed',
  'reopened',
  /** `value`: the new holder's pseudonym (null: none or no key); `detail`: their role. */
  'holderChanged',
  /** `detail`: the field; `value`: its new value, one of the field's `enum`. */
  'fieldSet',
  /** `detail`: the timer's id in the step. */
  'timerFired',
  'overdueMarked',
  'escalated',
  /** `dueAt`: the case's next due time now (null: none). */
  'dueChanged',
  /** A message reached its recipients (some of them): `value` its kind, `detail` its template. */
  'notified',
  /** A message reached none of its recipients: `value` its kind, `detail` its template. */
  'notificationFailed',
] as const;
export type CaseFactKind = (typeof CaseFactKinds)[number];

/** One fact; `step` and `level` are the case's after the change (`stepLeft`: the step left). */
export interface CaseFact {
  kind: CaseFactKind;
  step: string;
  level: number;
  value?: string | null;
  detail?: string;
  dueAt?: string | null;
}

export interface CaseFactContext {
  config: KommuneConfig;
  /** What happened: the log entry's kind and, for a timer, its key. */
  entry: { kind: string; what: string };
  /** The holder's pseudonym; null when the case has no pseudonym key. */
  pseudonymOf(id: string): string | null;
}

/**
 * The facts of one change of a case, in a fixed order (their place is part of their key).
 *
 * @example
 * caseFacts(null, opened, ctx).map((f) => f.kind) // ['opened', 'stepEntered', 'holderChanged', …]
 */
export function caseFacts(
  before: CaseState | null,
  after: CaseState,
  ctx: CaseFactContext,
): CaseFact[] {
  const at = { step: after.step, level: after.level };
  const facts: CaseFact[] = [];
  if (!before) facts.push({ kind: 'opened', ...at, value: after.referralSource });
  if (before && before.status !== 'open' && after.status === 'open')
    facts.push({ kind: 'reopened', ...at });
  if (ctx.entry.kind === 'timer' && before) {
    const timer = before.timers.find((t) => t.key === ctx.entry.what);
    if (timer)
      facts.push({
        kind: 'timerFired',
        step: timer.step,
        level: before.level,
        detail: timer.timerId,
      });
  }
  // A step re-entered (`reenter`) starts over: its time counts anew.
  const reentered =
    before !== null && before.step === after.step && before.stepEnteredAt !== after.stepEnteredAt;
  if (before && (before.step !== after.step || reentered))
    facts.push({ kind: 'stepLeft', step: before.step, level: before.level });
  if (!before || before.step !== after.step || reentered)
    facts.push({ kind: 'stepEntered', ...at });
  if (before && before.level !== after.level)
    facts.push({ kind: 'levelChanged', ...at, detail: String(before.level) });
  if (after.status !== 'open' && (!before || before.status === 'open'))
    facts.push({ kind: 'closed', ...at, value: after.status, detail: after.outcomeReason });
  if (after.holder && after.holder.id !== before?.holder?.id)
    facts.push({
      kind: 'holderChanged',
      ...at,
      value: ctx.pseudonymOf(after.holder.id),
      detail: after.holder.role,
    });
  else if (!after.holder && before?.holder)
    facts.push({ kind: 'holderChanged', ...at, value: null });
  for (const [field, schema] of Object.entries(ctx.config.fields ?? {})) {
    const options = (schema as { enum?: unknown[] }).enum;
    const value = after.data[field];
    // Only a value the config names: a free text field never becomes a fact.
    if (!Array.isArray(options) || typeof value !== 'string' || !options.includes(value)) continue;
    if (before?.data[field] !== value)
      facts.push({ kind: 'fieldSet', ...at, detail: field, value });
  }
  if (after.overdue && !(before?.overdue && !reentered && before.step === after.step))
    facts.push({ kind: 'overdueMarked', ...at });
  if (
    after.escalatedTo.length > 0 &&
    after.escalatedTo.length !== (before?.escalatedTo.length ?? 0)
  )
    facts.push({ kind: 'escalated', ...at });
  const due = nextDueAt(after);
  if (!before || due !== nextDueAt(before)) facts.push({ kind: 'dueChanged', ...at, dueAt: due });
  return facts;
}

/**
 * The fact of a message's outcome, at the step the case is in when it is known.
 *
 * @example
 * notificationFact(state, false, 'notify', 'fristPassert') // { kind: 'notified', … }
 */
export function notificationFact(
  state: Pick<CaseState, 'step' | 'level'>,
  failed: boolean,
  kind: string,
  template: string,
): CaseFact {
  return {
    kind: failed ? 'notificationFailed' : 'notified',
    step: state.step,
    level: state.level,
    value: kind,
    detail: template,
  };
}
