/**
 * The incident list's rule (#16): which running cases need a leader's eye, with every reason,
 * the most pressing first and bounded. The live model and its page read it over real Temporal
 * (live-model.test.ts, live-model-page.test.ts); here each reason and the order are shown alone.
 */
import { incidentsOf, MAX_INCIDENTS, overdueWithoutDeadline } from '../../server/incidents';
import type { CaseRun } from '../../server/visibility';

const AS_OF = '2026-11-29T12:00:00.000Z';
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.parse(AS_OF) - days * DAY).toISOString();

function run(caseId: string, over: Partial<CaseRun> = {}): CaseRun {
  return {
    caseId,
    runId: `r-${caseId}`,
    runStatus: 'Running',
    startedAt: Date.parse(ago(20)),
    step: 'kartlegging',
    level: 1,
    status: 'open',
    holderPseudonym: null,
    nextDueAt: null,
    overdue: false,
    reopenRequested: false,
    referralSource: 'skole',
    configVersion: 1,
    lastActivityAt: ago(1),
    path: [],
    openTasks: 0,
    openedAt: ago(20),
    stepEnteredAt: ago(5),
    escalated: false,
    actionPointDueAt: null,
    ...over,
  };
}

test('when cases are escalated, late, unreachable or standing still, then each is listed with every reason it has, the most pressing first, and a quiet case is not listed', () => {
  const { incidents, truncated } = incidentsOf(
    [
      run('quiet'),
      run('due-ahead', { nextDueAt: ago(-2) }),
      run('still', { lastActivityAt: ago(15) }),
      run('unreached'),
      run('late-action', { actionPointDueAt: ago(3), nextDueAt: ago(1) }),
      run('late-marked', { overdue: true }),
      run('escalated', { escalated: true, nextDueAt: ago(10), lastActivityAt: ago(30) }),
      run('closed', { status: 'closed', escalated: true }),
    ],
    new Map([
      ['unreached', ago(2)],
      ['closed', ago(2)],
    ]),
    AS_OF,
  );
  expect(truncated).toBe(false);
  expect(incidents.map((i) => [i.caseId, i.reasons])).toEqual([
    ['escalated', ['escalated', 'late', 'standingStill']],
    ['late-action', ['late']],
    ['late-marked', ['late']],
    ['unreached', ['undelivered']],
    ['still', ['standingStill']],
  ]);
  const byId = new Map(incidents.map((i) => [i.caseId, i]));
  // The earliest deadline that passed, the action point's here.
  expect(byId.get('late-action')!.dueAt).toBe(ago(3));
  expect(byId.get('unreached')!.undeliveredAt).toBe(ago(2));
});

test('when a case was marked overdue and its timer has gone, then its incident names the deadline the store says passed then', () => {
  const runs = [
    run('marked', { overdue: true, nextDueAt: ago(-3) }),
    run('still-armed', { overdue: true, nextDueAt: ago(2) }),
  ];
  expect(overdueWithoutDeadline(runs, AS_OF)).toEqual(['marked']);
  const { incidents } = incidentsOf(runs, new Map(), AS_OF, new Map([['marked', ago(4)]]));
  expect(Object.fromEntries(incidents.map((i) => [i.caseId, i.dueAt]))).toEqual({
    marked: ago(4),
    'still-armed': ago(2),
  });
  // Without the store's answer the case is still late, and says it has no date.
  expect(
    incidentsOf(runs, new Map(), AS_OF).incidents.find((i) => i.caseId === 'marked'),
  ).toMatchObject({
    reasons: ['late'],
    dueAt: null,
  });
});

test('when a case was last changed exactly 14 days ago, then it is not yet standing still; a minute later it is', () => {
  const at = (lastActivityAt: string) =>
    incidentsOf([run('c', { lastActivityAt })], new Map(), AS_OF).incidents.length;
  expect(at(ago(14))).toBe(0);
  expect(at(new Date(Date.parse(ago(14)) - 60_000).toISOString())).toBe(1);
});

test(`when more than ${MAX_INCIDENTS} cases need attention, then the list stops there, says so, and keeps the escalated ones`, () => {
  const runs = Array.from({ length: MAX_INCIDENTS + 10 }, (_, i) =>
    run(`late-${String(i).padStart(4, '0')}`, { overdue: true }),
  );
  runs.push(run('escalated', { escalated: true }));
  const { incidents, truncated } = incidentsOf(runs, new Map(), AS_OF);
  expect(truncated).toBe(true);
  expect(incidents).toHaveLength(MAX_INCIDENTS);
  expect(incidents[0].caseId).toBe('escalated');
});
