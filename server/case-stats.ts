/**
 * The figures the source documents report, per kommune: new cases per referral source and
 * month (Lørenskog's evaluation), open cases per level and step, the funnel through the
 * sluices (Øygarden's 700 → 300 → 80–100 → 50), time spent in each step, and overdue counts.
 *
 * Counts come from visibility (search attributes, no personal data); time in step from the
 * case histories of the most recent cases, sampled so the answer stays quick.
 *
 * @module
 */
import type { CaseLog } from '../store/case-log';
import { historyQuery, type HistoryEntry } from '../workflows/case-messages';
import { caseWorkflowId } from '../workflows/search-attributes';
import { requireKommuneSight, type AccessPolicy } from './access-policy';
import type { KommuneStats } from './api-schemas';
import type { Principal } from './authenticate';
import type { TemporalDeps } from './case-service';
import { fromVisibilityError } from './temporal-errors';
import { q } from '../workflows/visibility-query';
import { listCaseRuns, type CaseRun } from './visibility';

export interface StatsOptions {
  /** How many of the most recent cases' histories to read for time in step. */
  historySample: number;
  /** Stop counting after this many workflow runs, so one request stays bounded. */
  maxRuns: number;
}

const DAY_MS = 86_400_000;
const HISTORY_CONCURRENCY = 8;

const osloMonth = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
});
function monthOf(ms: number): string {
  const parts = Object.fromEntries(osloMonth.formatToParts(ms).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}`;
}

export async function kommuneStats(
  deps: TemporalDeps & { access: AccessPolicy; caseLog: CaseLog },
  options: StatsOptions,
  principal: Principal,
  kommune: string,
): Promise<KommuneStats> {
  const access = await deps.access(principal, kommune, 'kommune');
  requireKommuneSight(access, 'statistics');
  const { config } = access;
  const deadline = Date.now() + deps.timeoutMs;
  const withDeadline = <T>(fn: () => Promise<T>) =>
    deps.client.connection.withDeadline(deadline, fn);

  // Every run of every case: the first run's start is when the case was opened, the latest
  // run (the one that did not continue-as-new) has the current attributes.
  const firstStart = new Map<string, number>();
  const latest = new Map<string, CaseRun>();
  try {
    let token: Uint8Array | undefined;
    let seen = 0;
    do {
      const page = await withDeadline(() =>
        listCaseRuns(deps.client, kommune, `${q.kommune(kommune)} AND ${q.opened()}`, 1000, token),
      );
      for (const run of page.runs) {
        firstStart.set(run.caseId, Math.min(firstStart.get(run.caseId) ?? Infinity, run.startedAt));
        if (run.runStatus !== 'ContinuedAsNew') latest.set(run.caseId, run);
      }
      seen += page.runs.length;
      token = page.nextPageToken ?? undefined;
    } while (token && seen < options.maxRuns);
  } catch (err) {
    throw fromVisibilityError(err);
  }
  const cases = [...latest.values()];
  const now = Date.now();

  const newCases = new Map<string, number>();
  for (const run of cases) {
    const key = `${monthOf(firstStart.get(run.caseId) ?? run.startedAt)}\n${run.referralSource ?? 'unknown'}`;
    newCases.set(key, (newCases.get(key) ?? 0) + 1);
  }

  const open = cases.filter((r) => r.status === 'open' && r.runStatus === 'Running');
  const openByStep = new Map<string, number>();
  for (const run of open) openByStep.set(run.step ?? '', (openByStep.get(run.step ?? '') ?? 0) + 1);

  const overdueByStep = new Map<string, { flagged: number; pastDue: number }>();
  for (const run of open) {
    const pastDue = run.nextDueAt !== null && Date.parse(run.nextDueAt) < now;
    if (!run.overdue && !pastDue) continue;
    const entry = overdueByStep.get(run.step ?? '') ?? { flagged: 0, pastDue: 0 };
    if (run.overdue) entry.flagged++;
    if (pastDue) entry.pastDue++;
    overdueByStep.set(run.step ?? '', entry);
  }

  const stepOrder = Object.keys(config.steps);
  const byStepOrder = (a: string, b: string) => stepOrder.indexOf(a) - stepOrder.indexOf(b);
  const timeInStep = await timeInSteps(deps, withDeadline, kommune, cases, options.historySample);

  return {
    kommune,
    asOf: new Date(now).toISOString(),
    totalCases: cases.length,
    newCasesPerMonth: [...newCases.entries()]
      .map(([key, count]) => {
        const [month, referralSource] = key.split('\n');
        return { month, referralSource, count };
      })
      .sort(
        (a, b) =>
          a.month.localeCompare(b.month) || a.referralSource.localeCompare(b.referralSource),
      ),
    openByLevelAndStep: [...openByStep.entries()]
      .map(([step, count]) => ({ level: config.steps[step]?.level ?? -1, step, count }))
      .sort((a, b) => a.level - b.level || byStepOrder(a.step, b.step)),
    funnel: stepOrder.map((step) => ({
      step,
      level: config.steps[step].level,
      entered: cases.filter((r) => r.path.includes(step)).length,
    })),
    timeInStep: {
      casesSampled: timeInStep.sampled,
      casesTotal: cases.length,
      steps: stepOrder
        .filter((s) => !config.steps[s].final)
        .map((step) => summarise(step, timeInStep.visits.get(step))),
    },
    overdue: {
      flagged: open.filter((r) => r.overdue).length,
      pastDue: open.filter((r) => r.nextDueAt !== null && Date.parse(r.nextDueAt) < now).length,
      byStep: [...overdueByStep.entries()]
        .map(([step, c]) => ({ step, ...c }))
        .sort((a, b) => byStepOrder(a.step, b.step)),
    },
  };
}

interface Visits {
  completedMs: number[];
  ongoing: number;
}

async function timeInSteps(
  deps: TemporalDeps & { caseLog: CaseLog },
  withDeadline: <T>(fn: () => Promise<T>) => Promise<T>,
  kommune: string,
  cases: CaseRun[],
  sample: number,
): Promise<{ sampled: number; visits: Map<string, Visits> }> {
  const recent = [...cases].sort((a, b) => b.startedAt - a.startedAt).slice(0, sample);
  const visits = new Map<string, Visits>();
  let sampled = 0;
  const queue = [...recent];
  const work = async () => {
    for (let run = queue.shift(); run; run = queue.shift()) {
      let history: HistoryEntry[];
      try {
        const handle = deps.client.workflow.getHandle(caseWorkflowId(kommune, run!.caseId));
        history = await deps.caseLog.complete(kommune, run!.caseId, () =>
          withDeadline(() => handle.query(historyQuery)),
        );
      } catch {
        // One unreadable case must not sink the figures; it just is not in the sample.
        continue;
      }
      sampled++;
      addVisits(visits, history, run.status === 'open');
    }
  };
  await Promise.all(Array.from({ length: HISTORY_CONCURRENCY }, work));
  return { sampled, visits };
}

/** Step entries from a history: every entry whose `to` is a step other than its `from`. */
function addVisits(visits: Map<string, Visits>, history: HistoryEntry[], open: boolean): void {
  const entered = history.filter(
    (e) =>
      (e.kind === 'opened' || e.kind === 'event' || e.kind === 'timer' || e.kind === 'reopened') &&
      e.to !== undefined &&
      e.to !== e.from,
  );
  entered.forEach((entry, i) => {
    const step = entry.to!;
    const v = visits.get(step) ?? { completedMs: [], ongoing: 0 };
    const next = entered[i + 1];
    if (next) v.completedMs.push(Date.parse(next.at) - Date.parse(entry.at));
    else if (open) v.ongoing++;
    visits.set(step, v);
  });
}

function summarise(
  step: string,
  v: Visits | undefined,
): KommuneStats['timeInStep']['steps'][number] {
  const ms = [...(v?.completedMs ?? [])].sort((a, b) => a - b);
  const days = (x: number) => Math.round((x / DAY_MS) * 100) / 100;
  const median =
    ms.length === 0
      ? null
      : ms.length % 2
        ? ms[(ms.length - 1) / 2]
        : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
  return {
    step,
    completedVisits: ms.length,
    medianDays: median === null ? null : days(median),
    meanDays: ms.length === 0 ? null : days(ms.reduce((a, b) => a + b, 0) / ms.length),
    ongoing: v?.ongoing ?? 0,
  };
}
