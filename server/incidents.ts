/**
 * The live model's incident list (#16, as Camunda Operate's): the running cases that need a
 * leader's eye now — past a deadline, escalated, a message that could not be delivered, or
 * standing still — each with every reason it has, the most pressing first.
 *
 * @module
 */
import { z } from 'zod';
import { STANDING_STILL_MS, standingStill } from '../machines/standing-still';
import type { CaseRun } from './visibility';

/** The longest list sent: far above what a leader reads, and bounded in any kommune. */
export const MAX_INCIDENTS = 500;
/** A message that failed this recently marks its case; older ones the holder has long seen. */
export const UNDELIVERED_WITHIN_MS = STANDING_STILL_MS;

export const IncidentReason = z.enum(['escalated', 'late', 'undelivered', 'standingStill']);
export type IncidentReason = z.infer<typeof IncidentReason>;

export const Incident = z.object({
  caseId: z.string(),
  step: z.string(),
  level: z.number().int().nullable(),
  reasons: z.array(IncidentReason).min(1).describe('Most pressing first'),
  dueAt: z
    .string()
    .nullable()
    .describe(
      'The earliest deadline that has passed (the step’s or an action point’s); for a case marked overdue, the one that passed then. Null: none known yet',
    ),
  undeliveredAt: z.string().nullable().describe('The last message that could not be delivered'),
  lastActivityAt: z.string().nullable(),
});
export type Incident = z.infer<typeof Incident>;

const ORDER: readonly IncidentReason[] = IncidentReason.options;

/**
 * The deadlines of `run` that have passed by `asOf`, earliest first: the step's, an action
 * point's, and `missed`, the one that passed when the case was marked overdue (its timer has fired
 * since, so visibility no longer has it).
 */
function passedDeadlines(run: CaseRun, asOf: string, missed?: string): string[] {
  return [run.nextDueAt, run.actionPointDueAt, missed ?? null]
    .filter((d): d is string => d !== null && d < asOf)
    .sort();
}

/** The running cases marked overdue whose passed deadline visibility no longer shows. */
export function overdueWithoutDeadline(runs: readonly CaseRun[], asOf: string): string[] {
  return runs
    .filter((r) => r.status === 'open' && r.overdue && passedDeadlines(r, asOf).length === 0)
    .map((r) => r.caseId);
}

/** As the case list's "late": the step marked overdue, or a deadline of it passed. */
export function isLate(run: CaseRun, asOf: string): boolean {
  return run.overdue || passedDeadlines(run, asOf).length > 0;
}

/**
 * @example
 * incidentsOf(runs, new Map([['c-1', '2026-11-20T08:00:00.000Z']]), '2026-11-29T08:00:00.000Z')
 * // [{ caseId: 'c-1', reasons: ['undelivered'], … }]
 *
 * `missed`: for cases marked overdue, the deadline that passed then (`overdueWithoutDeadline`).
 */
export function incidentsOf(
  runs: readonly CaseRun[],
  undelivered: ReadonlyMap<string, string>,
  asOf: string,
  missed: ReadonlyMap<string, string> = new Map(),
): { incidents: Incident[]; truncated: boolean } {
  const now = Date.parse(asOf);
  const found: Incident[] = [];
  for (const run of runs) {
    if (run.status !== 'open' || !run.step) continue;
    const passed = passedDeadlines(run, asOf, missed.get(run.caseId));
    const failedAt = undelivered.get(run.caseId) ?? null;
    const reasons: IncidentReason[] = [];
    if (run.escalated) reasons.push('escalated');
    if (run.overdue || passed.length > 0) reasons.push('late');
    if (failedAt !== null) reasons.push('undelivered');
    if (standingStill(run, now)) reasons.push('standingStill');
    if (reasons.length === 0) continue;
    found.push({
      caseId: run.caseId,
      step: run.step,
      level: run.level,
      reasons,
      dueAt: passed[0] ?? null,
      undeliveredAt: failedAt,
      lastActivityAt: run.lastActivityAt,
    });
  }
  // The most pressing reason first, then the one waiting longest.
  const rank = (i: Incident) => ORDER.indexOf(i.reasons[0]);
  const since = (i: Incident) => i.dueAt ?? i.undeliveredAt ?? i.lastActivityAt ?? '';
  found.sort(
    (a, b) =>
      rank(a) - rank(b) || since(a).localeCompare(since(b)) || a.caseId.localeCompare(b.caseId),
  );
  return { incidents: found.slice(0, MAX_INCIDENTS), truncated: found.length > MAX_INCIDENTS };
}
