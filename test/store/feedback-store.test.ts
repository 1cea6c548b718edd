/**
 * Feedback links in the store: a token is kept only as its hash, answers once, refuses a second
 * answer (also two at once), expires, and the answer row carries nothing that leads to the case.
 */
import { FeedbackStore, feedbackTokenHash, openDatabase, type SqlDatabase } from '../../store';
import { memoryDatabase } from '../support/memory-database';

let db: SqlDatabase;
const now = new Date('2027-03-10T10:00:00Z');
let store: FeedbackStore;

beforeAll(async () => {
  db = await openDatabase(memoryDatabase());
  store = new FeedbackStore(db, () => now);
});
afterAll(async () => db?.close());

const issue = (token: string, expiresAt = '2027-04-09T10:00:00Z') =>
  store.issue({
    kommune: 'lorenskog',
    survey: 'veivisersak',
    stepClosedFrom: 'veivisersak',
    month: '2027-03',
    token,
    expiresAt,
  });

test('when two answers to one link arrive at once, then exactly one is stored and the other is refused as used', async () => {
  await issue('token-a');
  const answer = { choices: { nyttigSamarbeid: '5' }, texts: { kommentar: 'Takk' } };
  const results = await Promise.all([
    store.answer('token-a', answer),
    store.answer('token-a', answer),
  ]);
  expect(results.map((r) => r.state).sort()).toEqual(['answered', 'used']);
  expect(await store.lookup('token-a')).toEqual({ state: 'used' });
  const stats = await store.stats('lorenskog');
  expect(stats.responses).toEqual([{ survey: 'veivisersak', month: '2027-03', responses: 1 }]);
  expect(stats.choices).toEqual([
    { survey: 'veivisersak', month: '2027-03', question: 'nyttigSamarbeid', value: '5', count: 1 },
  ]);
});

test('when the token is stored, then only its hash is kept, and the answer row has no column that leads back to it', async () => {
  const tokens = await db.query<Record<string, unknown>>('SELECT * FROM feedback_token');
  expect(JSON.stringify(tokens)).not.toContain('token-a');
  expect(tokens[0].token_hash).toBe(feedbackTokenHash('token-a'));
  const columns = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'feedback_answer' ORDER BY column_name`,
  );
  expect(columns.map((c) => c.column_name)).toEqual([
    'choices',
    'id',
    'kommune',
    'month',
    'step',
    'survey',
    'texts',
  ]);
});

test('when a link has expired or was never sent, then an answer is refused and nothing is stored', async () => {
  await issue('token-old', '2027-03-01T00:00:00Z');
  expect(await store.answer('token-old', { choices: {}, texts: {} })).toEqual({ state: 'expired' });
  expect(await store.answer('never-sent', { choices: {}, texts: {} })).toEqual({
    state: 'unknown',
  });
  expect((await store.stats('lorenskog')).responses[0].responses).toBe(1);
});
