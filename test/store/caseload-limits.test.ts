/**
 * People's own caseload limits in the store: set, changed and removed with an audit entry each,
 * bounded in value and in how many people per kommune have one.
 */
import {
  CaseloadLimits,
  MAX_CASELOAD_LIMITS_PER_KOMMUNE,
  openDatabase,
  type SqlDatabase,
} from '../../store';
import { memoryDatabase } from '../support/memory-database';

let db: SqlDatabase;
let limits: CaseloadLimits;

beforeAll(async () => {
  db = await openDatabase(memoryDatabase());
  limits = new CaseloadLimits(db);
});
afterAll(async () => db?.close());

const audit = () =>
  db.query<{ action: string; actor: string; details: Record<string, unknown> }>(
    `SELECT action, actor, details FROM config_audit WHERE kommune = 'k' ORDER BY id`,
  );

test('when a leader sets, changes and removes a person’s limit, then each is read back and audited with who did it', async () => {
  expect(await limits.limitOf('k', 'los-1')).toBeNull();
  await limits.set({ kommune: 'k', personId: 'los-1', maxOpenCases: 5, actor: 'leder-1' });
  await limits.set({ kommune: 'k', personId: 'los-1', maxOpenCases: 4, actor: 'leder-2' });
  expect(await limits.limitOf('k', 'los-1')).toBe(4);
  expect(await limits.limitOf('other', 'los-1')).toBeNull();
  expect(await limits.list('k')).toEqual([
    expect.objectContaining({ personId: 'los-1', maxOpenCases: 4, setBy: 'leder-2' }),
  ]);
  expect(await limits.remove({ kommune: 'k', personId: 'los-1', actor: 'leder-1' })).toBe(true);
  expect(await limits.remove({ kommune: 'k', personId: 'los-1', actor: 'leder-1' })).toBe(false);
  expect(await limits.limitOf('k', 'los-1')).toBeNull();
  expect(await audit()).toEqual([
    {
      action: 'caseloadLimitSet',
      actor: 'leder-1',
      details: { personId: 'los-1', maxOpenCases: 5 },
    },
    {
      action: 'caseloadLimitSet',
      actor: 'leder-2',
      details: { personId: 'los-1', maxOpenCases: 4 },
    },
    { action: 'caseloadLimitRemoved', actor: 'leder-1', details: { personId: 'los-1' } },
  ]);
});

test('when a limit is negative, fractional or above 1000, then it is refused and nothing is stored', async () => {
  for (const maxOpenCases of [-1, 1.5, 1001]) {
    await expect(
      limits.set({ kommune: 'b', personId: 'p-1', maxOpenCases, actor: 'leder-1' }),
    ).rejects.toThrow(RangeError);
  }
  expect(await limits.list('b')).toEqual([]);
});

test('when a kommune has the most people with limits of their own, then a new person is refused and those who have one may still change it', async () => {
  await db.query(
    `INSERT INTO caseload_limit (kommune, person_id, max_open_cases, set_by)
     SELECT 'full', 'p-' || i, 3, 'leder-1' FROM generate_series(1, $1::int) AS i`,
    [MAX_CASELOAD_LIMITS_PER_KOMMUNE],
  );
  expect(
    await limits.set({ kommune: 'full', personId: 'new-1', maxOpenCases: 2, actor: 'leder-1' }),
  ).toBeNull();
  expect(
    await limits.set({ kommune: 'full', personId: 'p-1', maxOpenCases: 2, actor: 'leder-1' }),
  ).toMatchObject({ maxOpenCases: 2 });
});
