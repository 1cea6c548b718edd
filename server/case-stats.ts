/**
 * The figures the source documents report, per kommune and date range: new cases per referral
 * source and month (Lørenskog's evaluation), open cases per level and step, the funnel through
 * the sluices (Øygarden's 700 → 300 → 80–100 → 50), time in each step (median and 90th
 * percentile over every case), overdue, outcomes and closing reasons, reopenings, caseload per
 * holder and the values of the config's enum fields (case type, vedtak).
 *
 * Everything comes from the store's case facts (store/case-facts.ts), written with each case's
 * log: nothing is read from Temporal, so a closed case still counts after the namespace's
 * retention has dropped it.
 *
 * @module
 */
import type { KommuneConfig } from '../config/types';
import {
  formatDate,
  fromOsloLocal,
  parseDateOnly,
  shiftDate,
  toOsloLocal,
} from '../machines/oslo-time';
import type { CaseFacts, FactFigures } from '../store/case-facts';
import type { CaseloadLimits } from '../store/caseload-limits';
import { pseudonym } from '../machines/pseudonym';
import { requireKommuneSight, type AccessPolicy } from './access-policy';
import { ApiError, type ErrorDetail } from './api-error';
import type { KommuneStats, StatsQuery } from './api-schemas';
import type { Principal } from './authenticate';

const DAY_MS = 86_400_000;
/** The longest range one request counts: five years (and a leap day). */
export const STATS_MAX_DAYS = 5 * 365 + 1;

export interface StatsDeps {
  access: AccessPolicy;
  facts: Pick<CaseFacts, 'figures'>;
  /** People's own caseload limits, matched to holders by the pseudonym the facts keep. */
  limits?: { list: CaseloadLimits['list']; pseudonymKey: Uint8Array };
  /** The clock; tests on the time-skipping server pass theirs. */
  now?: () => number | Promise<number>;
}

export async function kommuneStats(
  deps: StatsDeps,
  principal: Principal,
  kommune: string,
  query: StatsQuery,
): Promise<KommuneStats> {
  const access = await deps.access(principal, kommune, 'kommune');
  requireKommuneSight(access, 'statistics');
  const now = await (deps.now ?? Date.now)();
  const range = statsRange(query, now);
  const filter = {
    ...(query.level !== undefined ? { level: query.level } : {}),
    ...(query.step !== undefined ? { step: query.step } : {}),
    ...(query.field !== undefined && query.value !== undefined
      ? { field: query.field, value: query.value }
      : {}),
  };
  const figures = await deps.facts.figures(
    kommune,
    {
      from: new Date(range.fromMs).toISOString(),
      to: new Date(range.toMs).toISOString(),
      asOf: new Date(range.asOfMs).toISOString(),
    },
    filter,
  );
  const own = new Map(
    deps.limits
      ? (await deps.limits.list(kommune)).map((l) => [
          pseudonym(deps.limits!.pseudonymKey, l.personId),
          l.maxOpenCases,
        ])
      : [],
  );
  const limitOf = (holder: string, role: string | null): number | null =>
    own.get(holder) ??
    access.config.capacity?.find((rule) => rule.role === role)?.maxOpenCases ??
    null;
  return shape(access.config, kommune, range, filter, figures, limitOf);
}

interface StatsRange {
  from: string;
  to: string;
  fromMs: number;
  /** The end: midnight after `to`, Oslo time. */
  toMs: number;
  asOfMs: number;
}

/** The range asked for (default: the year up to today, Oslo), or a 400 naming what is wrong. */
export function statsRange(
  query: Pick<StatsQuery, 'from' | 'to' | 'field' | 'value'>,
  now: number,
): StatsRange {
  const errors: ErrorDetail[] = [];
  const today = toOsloLocal(now);
  const to = query.to === undefined ? today : parseDateOnly(query.to);
  if (!to)
    errors.push({ path: '/query/to', message: 'not a calendar date', nb: 'Ikke en gyldig dato.' });
  const from =
    query.from === undefined ? (to ? shiftDate(to, -364) : null) : parseDateOnly(query.from);
  if (!from)
    errors.push({
      path: '/query/from',
      message: 'not a calendar date',
      nb: 'Ikke en gyldig dato.',
    });
  if ((query.field === undefined) !== (query.value === undefined)) {
    const missing = query.field === undefined ? 'field' : 'value';
    errors.push({
      path: `/query/${missing}`,
      message: '`field` and `value` go together',
      nb: 'Feltet og verdien må oppgis sammen.',
    });
  }
  if (from && to) {
    const fromMs = fromOsloLocal({ ...from, timeOfDay: 0 });
    const toMs = fromOsloLocal({ ...shiftDate(to, 1), timeOfDay: 0 });
    const days = Math.round((toMs - fromMs) / DAY_MS);
    if (days < 1)
      errors.push({
        path: '/query/from',
        message: '`from` is after `to`',
        nb: 'Fra-datoen er etter til-datoen.',
      });
    else if (days > STATS_MAX_DAYS)
      errors.push({
        path: '/query/to',
        message: `the range is ${days} days; at most 5 years`,
        nb: `Perioden er ${days} dager; den kan være høyst 5 år.`,
      });
    if (errors.length === 0)
      return {
        from: formatDate(from),
        to: formatDate(to),
        fromMs,
        toMs,
        asOfMs: Math.min(toMs, now),
      };
  }
  throw new ApiError(
    'VALIDATION_FAILED',
    'the statistics range is not valid',
    'Perioden for statistikken er ikke gyldig. Se feltene.',
    errors,
  );
}

function shape(
  config: KommuneConfig,
  kommune: string,
  range: StatsRange,
  filter: KommuneStats['filter'],
  f: FactFigures,
  limitOf: (holder: string, role: string | null) => number | null,
): KommuneStats {
  const stepOrder = Object.keys(config.steps);
  const rank = (step: string) => {
    const i = stepOrder.indexOf(step);
    return i === -1 ? stepOrder.length : i;
  };
  const byStepOrder = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b);
  const days = (ms: number) => Math.round((ms / DAY_MS) * 100) / 100;
  const openIn = (step: string) =>
    f.open.filter((o) => o.step === step).reduce((n, o) => n + o.count, 0);
  const entered = new Map(f.funnel.map((s) => [s.step, s.entered]));
  const visits = new Map(f.timeInStep.map((v) => [v.step, v]));
  return {
    kommune,
    asOf: new Date(range.asOfMs).toISOString(),
    range: { from: range.from, to: range.to },
    filter,
    totalCases: f.newCases.reduce((n, c) => n + c.count, 0),
    newCasesPerMonth: f.newCases,
    openByLevelAndStep: [...f.open].sort(
      (a, b) => a.level - b.level || byStepOrder(a.step, b.step),
    ),
    funnel: stepOrder.map((step) => ({
      step,
      level: config.steps[step].level,
      entered: entered.get(step) ?? 0,
    })),
    timeInStep: {
      casesSampled: f.casesWithVisits,
      casesTotal: f.casesWithVisits,
      steps: stepOrder
        .filter((s) => !config.steps[s].final)
        .map((step) => {
          const v = visits.get(step);
          return {
            step,
            completedVisits: v?.visits ?? 0,
            medianDays: v ? days(v.medianMs) : null,
            p90Days: v ? days(v.p90Ms) : null,
            meanDays: v ? days(v.meanMs) : null,
            ongoing: openIn(step),
          };
        }),
    },
    overdue: {
      flagged: f.overdue.reduce((n, o) => n + o.flagged, 0),
      pastDue: f.overdue.reduce((n, o) => n + o.pastDue, 0),
      byStep: [...f.overdue].sort((a, b) => byStepOrder(a.step, b.step)),
    },
    outcomes: f.outcomes,
    reopened: f.reopened,
    escalations: f.escalations,
    messages: { delivered: f.notified, failed: f.notificationsFailed },
    caseloadPerHolder: f.caseloads.map((c) => ({
      holderPseudonym: c.holder,
      role: c.role,
      openCases: c.openCases,
      limit: limitOf(c.holder, c.role),
    })),
    caseloadLimited: f.holdersLimited,
    fieldValues: f.fields,
  };
}
