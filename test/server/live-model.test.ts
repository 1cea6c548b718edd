/**
 * The live model (#16): the open cases on each step now, with the late ones counted where they
 * stand and listed as incidents; for leaders and the process owner only, never for a role that
 * sees its own cases.
 */
import { isDeepStrictEqual } from 'node:util';
import { http, startApiStack, type ApiStack } from './api-stack';
import { CaseClient, makeOygardenCaseLate } from './case-client';

jest.setTimeout(120_000);

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => stack?.stop());

test('when cases stand on two steps and one is past its follow-up date, then the live model counts them on their steps and the late one there, for a leader and the process owner', async () => {
  const open = async () => {
    const c = new CaseClient(stack, 'oygarden');
    await c.open('tjenesteyter', 'skole', { arena: 'skole', barnetsAlder: 9 }, 't-1');
    return c;
  };
  const [a, b, late] = [await open(), await open(), await open()];
  await b.send(
    'tjenesteyter',
    'registrerVurdering',
    { risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true } },
    't-1',
  );
  await makeOygardenCaseLate(late, 't-1');
  // The follow-up date's timer fires and marks the case overdue; once visibility has that, it no
  // longer has the deadline that passed (the timer is gone), and the store's facts say when it was.
  const leader = await stack.token('oygarden', 'leder', 'leder-1');
  const listedOverdue = async () => {
    const list = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/oygarden/cases?overdue=true', {
      token: leader,
    });
    return list.body.cases?.find((i: any) => i.caseId === late.caseId);
  };
  const markedBy = Date.now() + 40_000;
  for (;;) {
    const item = await listedOverdue();
    if ((item?.overdue && item.nextDueAt === null) || Date.now() > markedBy) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await listedOverdue()).toMatchObject({ overdue: true, nextDueAt: null });
  const stepOf = async (c: CaseClient) => (await c.get('tjenesteyter', 't-1')).body.step;
  const [stepA, stepB, stepLate] = [await stepOf(a), await stepOf(b), await stepOf(late)];
  expect(new Set([stepA, stepB, stepLate]).size).toBeGreaterThan(1);

  const want = new Map<string, { running: number; late: number }>();
  for (const [step, isLate] of [
    [stepA, false],
    [stepB, false],
    [stepLate, true],
  ] as const) {
    const w = want.get(step) ?? { running: 0, late: 0 };
    w.running++;
    if (isLate) w.late++;
    want.set(step, w);
  }
  const counts = (b: any) =>
    Object.fromEntries(b.steps.map((s: any) => [s.step, { running: s.running, late: s.late }]));
  // Visibility is a moment behind (a late case may still show its earlier step), the store's facts
  // a few seconds, and the model is reused for a second: ask until it counts every case where it
  // stands and says since when the late one is late.
  const deadline = Date.now() + 40_000;
  let body: any;
  for (;;) {
    const res = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/oygarden/live', {
      token: leader,
    });
    expect(res.status).toBe(200);
    body = res.body;
    const settled =
      isDeepStrictEqual(counts(body), Object.fromEntries(want)) && body.incidents[0]?.dueAt;
    if (settled || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(body.total).toBe(3);
  expect(body.truncated).toBe(false);
  expect(counts(body)).toEqual(Object.fromEntries(want));
  // The incident list names the late case alone, with the deadline that passed: the follow-up
  // date two days ago, not its reminder three days before, also once both timers have fired.
  expect(body.incidentsTruncated).toBe(false);
  expect(body.incidents).toEqual([
    expect.objectContaining({ caseId: late.caseId, step: stepLate, reasons: ['late'] }),
  ]);
  const dueAt = Date.parse(body.incidents[0].dueAt);
  expect(dueAt).toBeGreaterThan(Date.now() - 3 * 86_400_000);
  expect(dueAt).toBeLessThan(Date.now() - 86_400_000);

  const owner = await stack.token('oygarden', 'prosesseier', 'eier-1');
  const asOwner = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/oygarden/live', {
    token: owner,
  });
  expect(asOwner.status).toBe(200);
  expect(asOwner.body.total).toBe(3);
});

test('when a role that sees only its own cases, or another kommune, asks for the live model, then it is refused and learns nothing', async () => {
  const own = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/oygarden/live', {
    token: await stack.token('oygarden', 'tjenesteyter', 't-1'),
  });
  expect(own.status).toBe(403);
  expect(own.body.error.code).toBe('ROLE_NOT_ALLOWED');
  const other = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/oygarden/live', {
    token: await stack.token('lorenskog', 'leder', 'leder-1'),
  });
  expect([403, 404]).toContain(other.status);
  expect(JSON.stringify(other.body)).not.toContain('running');
});
