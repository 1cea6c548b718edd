/**
 * Which closed cases the retention sweep looks at (#19), read from the statistics' facts in a
 * real store: each case once, by the rule of the exit step it last closed in, never one that was
 * reopened since, never one already deleted, page after page in the order they closed.
 */
import { CaseFacts, type EntryWithFacts } from '../../store/case-facts';
import { CaseRetention, type ClosedCase, type ClosedCursor } from '../../store/case-retention';
import { openDatabase, type SqlDatabase } from '../../store';
import type { RetentionRule } from '../../machines/retention';
import { memoryDatabase } from '../support/memory-database';

let db: SqlDatabase;
beforeAll(async () => {
  db = await openDatabase(memoryDatabase());
});
afterAll(async () => {
  await db?.close();
});

const at = (day: number) => new Date(Date.UTC(2027, 0, 1) + day * 86_400_000).toISOString();

async function collect(retention: CaseRetention, rule: RetentionRule, before: number) {
  const seen: ClosedCase[] = [];
  let cursor: ClosedCursor | null = null;
  for (;;) {
    const page = await retention.closedBefore('k', rule, before, cursor, 100);
    seen.push(...page);
    if (page.length < 100) return seen;
    cursor = { closedAt: page.at(-1)!.closedAt, caseId: page.at(-1)!.caseId };
  }
}

test('when 250 cases closed over a year, some reopened or closed again or deleted, then the sweep sees each remaining case once, by its last closing, oldest first', async () => {
  const facts = new CaseFacts(db);
  const retention = new CaseRetention(db);
  const closing = (seq: number, day: number, step: string): EntryWithFacts => ({
    seq,
    at: at(day),
    facts: [{ kind: 'closed', step, level: 1, value: 'closed' }],
  });
  for (let i = 0; i < 250; i++) {
    const id = `c${String(i).padStart(3, '0')}`;
    const step = i % 5 === 0 ? 'ingen' : 'ferdig';
    const entries: EntryWithFacts[] = [
      { seq: 1, at: at(0), facts: [{ kind: 'opened', step: 'start', level: 0 }] },
      closing(2, i, step),
    ];
    // Every 7th reopened (and still open); every 11th reopened and closed again 200 days later.
    if (i % 7 === 0 || i % 11 === 0)
      entries.push({
        seq: 3,
        at: at(i + 1),
        facts: [{ kind: 'reopened', step: 'start', level: 0 }],
      });
    if (i % 11 === 0 && i % 7 !== 0) entries.push(closing(4, i + 200, step));
    await facts.append('k', id, entries);
  }
  await retention.recordDeletion({
    kommune: 'k',
    caseId: 'c001',
    finalStep: 'ferdig',
    closedOn: '2027-01-02',
    keptFor: 'P1Y',
    deletedAt: at(400),
    logEntries: 1,
    messages: 0,
    archivedRecord: true,
    workflowRuns: 1,
  });

  const before = Date.parse(at(500));
  const others = await collect(retention, { exceptSteps: ['ingen'], keep: 'P1Y' }, before);
  const own = await collect(retention, { step: 'ingen', keep: 'P1M' }, before);

  const expected = (ingen: boolean) =>
    Array.from({ length: 250 }, (_, i) => i)
      .filter((i) => (i % 5 === 0) === ingen && i % 7 !== 0 && i !== 1)
      .map((i) => ({
        caseId: `c${String(i).padStart(3, '0')}`,
        step: ingen ? 'ingen' : 'ferdig',
        closedAt: at(i % 11 === 0 ? i + 200 : i),
      }))
      .sort((a, b) => a.closedAt.localeCompare(b.closedAt) || a.caseId.localeCompare(b.caseId));
  expect(others).toEqual(expected(false));
  expect(own).toEqual(expected(true));
  expect(others.length).toBeGreaterThan(100);

  // Only those closed before the bound.
  const early = await collect(
    retention,
    { exceptSteps: ['ingen'], keep: 'P1Y' },
    Date.parse(at(50)),
  );
  expect(early).toEqual(expected(false).filter((c) => c.closedAt < at(50)));
});
