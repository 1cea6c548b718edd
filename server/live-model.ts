/**
 * The live model (#16, Operate-style): how many running cases stand on each step of a kommune's
 * model right now, and how many of them are late or escalated there. From Temporal visibility
 * (search attributes only, no personal data); for leaders and the process owner. Read at most
 * once per `cacheMs` per kommune, since it lists every running case.
 *
 * @module
 */
import { z } from 'zod';
import { caseSearchAttributes as sa } from '../workflows/search-attributes';
import { q } from '../workflows/visibility-query';
import { requireKommuneSight, type AccessPolicy } from './access-policy';
import type { Principal } from './authenticate';
import type { TemporalDeps } from './case-service';
import { PROCESS_OWNER_ROLE, requireProcessOwner } from './process-owner-access';
import { runningCases } from './running-cases';
import {
  Incident,
  incidentsOf,
  isLate,
  MAX_INCIDENTS,
  overdueWithoutDeadline,
  UNDELIVERED_WITHIN_MS,
} from './incidents';

export const LiveModel = z
  .object({
    asOf: z.string().describe('When visibility was read (by default at most 15 s ago)'),
    total: z.number().int(),
    truncated: z.boolean().describe('More cases run than were read (far above any kommune)'),
    steps: z.array(
      z.object({
        step: z.string(),
        running: z.number().int(),
        late: z.number().int().describe('Past a deadline: the step’s or an action point’s'),
        escalated: z.number().int(),
      }),
    ),
    incidents: z
      .array(Incident)
      .max(MAX_INCIDENTS)
      .describe(
        'Open cases that need attention: escalated, late, a message not delivered in the last 14 days, or standing still 14 days',
      ),
    incidentsTruncated: z.boolean().describe(`More than ${MAX_INCIDENTS} cases need attention`),
  })
  .describe('Open cases on each step now, and those that need attention');
export type LiveModel = z.infer<typeof LiveModel>;

export function createLiveModel(
  deps: TemporalDeps & {
    cacheMs: number;
    access: AccessPolicy;
    exists(kommune: string): Promise<boolean>;
    /** Cases with a message not delivered since a time (the store's facts), newest first. */
    undelivered(kommune: string, since: string, limit: number): Promise<Map<string, string>>;
    /** For cases marked overdue, the deadline that passed then (the store's facts). */
    missedDeadlines(kommune: string, caseIds: readonly string[]): Promise<Map<string, string>>;
  },
) {
  const cache = new Map<string, { at: number; model: Promise<LiveModel> }>();

  async function read(kommune: string): Promise<LiveModel> {
    const asOf = new Date().toISOString();
    const [{ runs, truncated }, undelivered] = await Promise.all([
      runningCases(deps, kommune, [q.eq(sa.status.name, 'open')]),
      deps.undelivered(
        kommune,
        new Date(Date.parse(asOf) - UNDELIVERED_WITHIN_MS).toISOString(),
        MAX_INCIDENTS * 4,
      ),
    ]);
    const steps = new Map<string, LiveModel['steps'][number]>();
    for (const run of runs) {
      if (!run.step) continue;
      const s = steps.get(run.step) ?? { step: run.step, running: 0, late: 0, escalated: 0 };
      s.running++;
      if (isLate(run, asOf)) s.late++;
      if (run.escalated) s.escalated++;
      steps.set(run.step, s);
    }
    const missed = await deps.missedDeadlines(kommune, overdueWithoutDeadline(runs, asOf));
    const attention = incidentsOf(runs, undelivered, asOf, missed);
    return {
      asOf,
      total: runs.length,
      truncated,
      steps: [...steps.values()].sort((a, b) => a.step.localeCompare(b.step)),
      incidents: attention.incidents,
      incidentsTruncated: attention.truncated,
    };
  }

  return async function liveModel(principal: Principal, kommune: string): Promise<LiveModel> {
    if (principal.role === PROCESS_OWNER_ROLE)
      await requireProcessOwner(principal, kommune, deps.exists);
    else requireKommuneSight(await deps.access(principal, kommune, 'kommune'), 'the live model');
    const hit = cache.get(kommune);
    if (hit && Date.now() - hit.at < deps.cacheMs) return hit.model;
    const model = read(kommune);
    cache.set(kommune, { at: Date.now(), model });
    model.catch(() => cache.delete(kommune));
    return model;
  };
}
