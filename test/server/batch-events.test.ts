/**
 * Batch changes over HTTP (#16): one event to many chosen cases — a new holder for a leaver's
 * cases, or a closing — with a dry run that sends nothing, each case answering for itself with
 * the rules of sending it by hand, on a real Temporal server.
 */
import { http, startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';

jest.setTimeout(120_000);

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => stack?.stop());

const PATH = '/api/v1/kommuner/oygarden/batch-events';

async function openAs(sub: string): Promise<CaseClient> {
  const c = new CaseClient(stack, 'oygarden');
  await c.open('tjenesteyter', 'skole', { arena: 'skole', barnetsAlder: 9 }, sub);
  return c;
}

async function batch(role: string, sub: string, body: unknown) {
  return http(stack.baseUrl, 'POST', PATH, {
    token: await stack.token('oygarden', role, sub),
    body,
  });
}

const asLeader = async (c: CaseClient) => (await c.get('leder', 'leder-1')).body;

test('when a leader hands three cases to a new holder, then the dry run says what each would do and changes nothing, and the real run moves exactly the open ones', async () => {
  const [a, b, closed] = [await openAs('t-1'), await openAs('t-1'), await openAs('t-2')];
  await closed.send('tjenesteyter', 'avsluttSak', { arsak: 'ingen_grunn_til_bekymring' }, 't-2');
  const before = await Promise.all([a, b, closed].map(asLeader));
  const body = {
    caseIds: [a.caseId, b.caseId, closed.caseId],
    type: 'byttStafettholder',
    payload: { stafettholder: 't-9' },
  };

  const dry = await batch('leder', 'leder-1', { ...body, dryRun: true });
  expect(dry.status).toBe(200);
  expect(dry.body.dryRun).toBe(true);
  expect(dry.body.results.map((r: any) => [r.caseId, r.outcome])).toEqual([
    [a.caseId, 'wouldSend'],
    [b.caseId, 'wouldSend'],
    [closed.caseId, 'refused'],
  ]);
  expect(dry.body.results[0]).toMatchObject({ fromStep: before[0].step, toStep: before[0].step });
  expect(dry.body.results[2].code).toBe('CASE_CLOSED');
  expect(dry.body.results[2].nb).toEqual(expect.any(String));
  // Nothing was sent: the same revision and holder on every case.
  const afterDry = await Promise.all([a, b, closed].map(asLeader));
  expect(afterDry.map((s) => [s.revision, s.holder?.id])).toEqual(
    before.map((s) => [s.revision, s.holder?.id]),
  );

  const real = await batch('leder', 'leder-1', body);
  expect(real.status).toBe(200);
  expect(real.body.results.map((r: any) => r.outcome)).toEqual(['sent', 'sent', 'refused']);
  const after = await Promise.all([a, b, closed].map(asLeader));
  expect(after.map((s) => s.holder?.id)).toEqual(['t-9', 't-9', before[2].holder?.id]);
  expect(after[2].revision).toBe(before[2].revision);
});

test("when a holder closes a batch that includes another's case and a wrong reason, then only their own cases close, and each refusal says why as sending it by hand would", async () => {
  const [mine1, mine2, theirs] = [await openAs('t-3'), await openAs('t-3'), await openAs('t-4')];
  const wrong = await batch('tjenesteyter', 't-3', {
    caseIds: [mine1.caseId, mine2.caseId],
    type: 'avsluttSak',
    payload: { arsak: 'fordi' },
    dryRun: true,
  });
  expect(wrong.body.results.map((r: any) => r.code)).toEqual([
    'PAYLOAD_INVALID',
    'PAYLOAD_INVALID',
  ]);

  const res = await batch('tjenesteyter', 't-3', {
    caseIds: [mine1.caseId, theirs.caseId, mine2.caseId],
    type: 'avsluttSak',
    payload: { arsak: 'ingen_grunn_til_bekymring' },
  });
  expect(res.status).toBe(200);
  expect(res.body.results.map((r: any) => [r.outcome, r.status ?? r.code])).toEqual([
    ['sent', 'closed'],
    ['refused', 'CASE_NOT_FOUND'],
    ['sent', 'closed'],
  ]);
  expect((await theirs.get('tjenesteyter', 't-4')).body.status).toBe('open');
});

test('when the batch is empty, too large, names a case twice, or comes from a role that works no cases, then it is refused whole and nothing is sent', async () => {
  const c = await openAs('t-5');
  const id = c.caseId;
  const bad = async (body: unknown, role = 'leder') => batch(role, 'x-1', body);
  const empty = await bad({ caseIds: [], type: 'byttStafettholder' });
  expect([empty.status, empty.body.error.details[0].path]).toEqual([400, '/body/caseIds']);
  const many = await bad({ caseIds: Array.from({ length: 101 }, () => id), type: 'avsluttSak' });
  expect([many.status, many.body.error.details[0].path]).toEqual([400, '/body/caseIds']);
  const twice = await bad({ caseIds: [id, id], type: 'avsluttSak' });
  expect([twice.status, twice.body.error.details[0].path]).toEqual([400, '/body/caseIds']);
  const owner = await bad(
    { caseIds: [id], type: 'avsluttSak', payload: { arsak: 'x' } },
    'prosesseier',
  );
  expect([owner.status, owner.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
  expect((await c.get('tjenesteyter', 't-5')).body.revision).toBe(1);
});
