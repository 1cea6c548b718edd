/**
 * The statistics' facts in the store, on PGlite and on a real PostgreSQL: written once however
 * often a write is retried, kept out of the sealed log, and the figures (time in step as median
 * and 90th percentile, open cases at the end of a range, outcomes) the same on both.
 */
import { randomBytes } from 'node:crypto';
import type { CaseFact } from '../../machines/case-facts';
import { createSealer, keyRingOf } from '../../runtime/key-ring';
import { CaseLog } from '../../store';
import { pgliteBackend, postgresBackend, type Backend, type TestStore } from './helpers';

const backends: Backend[] = [pgliteBackend(), postgresBackend()];
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9);
const iso = (days: number) => new Date(T0 + days * DAY).toISOString();

const opened = (referral: string): CaseFact[] => [
  { kind: 'opened', step: 'a', level: 1, value: referral },
  { kind: 'stepEntered', step: 'a', level: 1 },
];
const moved = (from: string, to: string, level: number): CaseFact[] => [
  { kind: 'stepLeft', step: from, level: 1 },
  { kind: 'stepEntered', step: to, level },
];

describe.each(backends)('case facts on $name', (backend) => {
  let store: TestStore;
  let log: CaseLog;

  beforeAll(async () => {
    store = await backend.open();
    log = new CaseLog(store.db, createSealer(keyRingOf({ id: 'k', key: randomBytes(32) })));
  });
  afterAll(async () => {
    await store?.close();
    await backend.stop();
  });

  test('when a write is retried, then each fact is stored once, and the sealed log entry does not carry them', async () => {
    const entries = [
      { seq: 1, at: iso(0), kind: 'opened', what: 'opened', facts: opened('skole') },
      { seq: 2, at: iso(1), kind: 'event', what: 'videre', facts: moved('a', 'b', 2) },
    ];
    await log.append('k1', 'c-retry', entries);
    await log.append('k1', 'c-retry', entries);
    const rows = await store.db.query<{ seq: number; n: number; kind: string }>(
      "SELECT seq, n, kind FROM case_facts WHERE case_id = 'c-retry' ORDER BY seq, n",
    );
    expect(rows).toEqual([
      { seq: 1, n: 0, kind: 'opened' },
      { seq: 1, n: 1, kind: 'stepEntered' },
      { seq: 2, n: 0, kind: 'stepLeft' },
      { seq: 2, n: 1, kind: 'stepEntered' },
    ]);
    const read = await log.read('k1', 'c-retry');
    expect(read.map((e) => Object.keys(e).includes('facts'))).toEqual([false, false]);
  });

  test('when four cases stayed 1, 2, 3 and 10 days in a step, then its median is 2.5 days and its 90th percentile 7.9, and a case still there counts as open at the end of the range', async () => {
    const stay = [1, 2, 3, 10];
    for (const [i, days] of stay.entries()) {
      await log.append('k2', `c${i}`, [
        { seq: 1, at: iso(i), facts: opened(i % 2 ? 'nav' : 'skole') },
        { seq: 2, at: iso(i + days), facts: moved('a', 'b', 2) },
        {
          seq: 3,
          at: iso(i + days + 1),
          facts: [
            { kind: 'stepLeft', step: 'b', level: 2 },
            { kind: 'stepEntered', step: 'slutt', level: 2 },
            { kind: 'closed', step: 'slutt', level: 2, value: 'closed', detail: 'ferdig' },
          ],
        },
      ]);
    }
    await log.append('k2', 'c-open', [{ seq: 1, at: iso(2), facts: opened('skole') }]);
    // A case opened before facts were recorded: its first fact is a later move, and it is open.
    await log.append('k2', 'c-older', [{ seq: 7, at: iso(4), facts: moved('a', 'b', 2) }]);
    const figures = await log.facts.figures(
      'k2',
      { from: iso(-1), to: iso(30), asOf: iso(30) },
      {},
    );
    const a = figures.timeInStep.find((v) => v.step === 'a')!;
    expect(a.visits).toBe(4);
    expect(a.medianMs / DAY).toBeCloseTo(2.5, 9);
    expect(a.p90Ms / DAY).toBeCloseTo(7.9, 9);
    expect(a.meanMs / DAY).toBeCloseTo(4, 9);
    expect(figures.open).toEqual([
      { level: 1, step: 'a', count: 1 },
      { level: 2, step: 'b', count: 1 },
    ]);
    expect(figures.outcomes).toEqual([{ outcome: 'closed', reason: 'ferdig', count: 4 }]);
    expect(figures.newCases).toEqual([
      { month: '2026-01', referralSource: 'nav', count: 2 },
      { month: '2026-01', referralSource: 'skole', count: 3 },
    ]);
    // Half-way through day 3 two cases had left a (on days 1 and 3); three were in it: the
    // one opened on day 2 for 3 days, the 10-day one and the one that never moves.
    const early = await log.facts.figures(
      'k2',
      { from: iso(-1), to: iso(3.5), asOf: iso(3.5) },
      {},
    );
    expect(early.timeInStep.find((v) => v.step === 'a')!.visits).toBe(2);
    expect(early.open).toEqual([
      { level: 1, step: 'a', count: 3 },
      { level: 2, step: 'b', count: 1 },
    ]);
    expect(early.outcomes).toEqual([{ outcome: 'closed', reason: 'ferdig', count: 1 }]);
  });
  test('when messages of some cases failed, then the cases with a failure since a day are found with their last one, newest first, and no more than asked', async () => {
    const failed = (seq: number, day: number) => ({
      seq,
      at: iso(day),
      kind: 'notificationFailed',
      what: 'notify',
      facts: [{ kind: 'notificationFailed', step: 'a', level: 1, detail: 't' } as CaseFact],
    });
    const delivered = { ...failed(3, 9), kind: 'notified' };
    delivered.facts = [{ kind: 'notified', step: 'a', level: 1, detail: 't' }];
    await log.append('k-undelivered', 'u-old', [failed(1, 1)]);
    await log.append('k-undelivered', 'u-twice', [failed(1, 4), failed(2, 6)]);
    await log.append('k-undelivered', 'u-new', [failed(1, 8), delivered]);
    await log.append('k-other', 'u-other', [failed(1, 8)]);
    const found = await log.facts.undelivered('k-undelivered', iso(3), 10);
    expect([...found]).toEqual([
      ['u-new', iso(8)],
      ['u-twice', iso(6)],
    ]);
    expect([...(await log.facts.undelivered('k-undelivered', iso(3), 1)).keys()]).toEqual([
      'u-new',
    ]);
  });

  test('when cases were marked overdue after their deadlines changed, then the deadline that passed then is found for each, and a case never marked has none', async () => {
    const due = (seq: number, day: number, dueDay: number | null, marked = false) => ({
      seq,
      at: iso(day),
      facts: [
        ...(marked ? [{ kind: 'overdueMarked', step: 'a', level: 1 } as CaseFact] : []),
        {
          kind: 'dueChanged',
          step: 'a',
          level: 1,
          dueAt: dueDay === null ? null : iso(dueDay),
        } as CaseFact,
      ],
    });
    // A reminder on day 2, the deadline on day 5, then marked (and the next due time gone).
    await log.append('k-missed', 'm-1', [due(1, 0, 2), due(2, 2, 5), due(3, 5, null, true)]);
    // Marked twice: the later marking's deadline counts.
    await log.append('k-missed', 'm-2', [
      due(1, 0, 3),
      due(2, 3, 9, true),
      due(3, 9, 12),
      due(4, 12, 20, true),
    ]);
    await log.append('k-missed', 'm-never', [due(1, 0, 4)]);
    await log.append('k-other', 'm-1', [due(1, 0, 7), due(2, 7, null, true)]);
    const found = await log.facts.missedDeadlines('k-missed', ['m-1', 'm-2', 'm-never', 'm-x']);
    expect(Object.fromEntries(found)).toEqual({ 'm-1': iso(5), 'm-2': iso(12) });
    expect((await log.facts.missedDeadlines('k-missed', [])).size).toBe(0);
  });
});
