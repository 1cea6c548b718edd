/**
 * Caseload per person: a leader gives a part-time koordinator a limit of their own, lower than
 * the role's; a case that would go beyond it is refused CAPACITY_FULL, while a colleague with no
 * limit of their own still has the role's. Only a role that sees the whole kommune may set limits.
 */
import type { KommuneConfig } from '../../config/types';
import { pseudonym } from '../../machines';
import { loadKeyRing } from '../../runtime/key-ring';
import { waitFor } from '../support/processes';
import resourceTeams from '../workflows/fixtures/resource-teams.json';
import { http, startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';

jest.setTimeout(120_000);

const config = resourceTeams as KommuneConfig;
const kommune = config.id;
const limitsPath = `/api/v1/kommuner/${kommune}/caseload-limits`;
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack({ extraConfigs: [config] });
});
afterAll(async () => stack?.stop());

async function setLimit(role: string, sub: string, personId: string, maxOpenCases: number) {
  return http(stack.baseUrl, 'PUT', `${limitsPath}/${personId}`, {
    token: await stack.token(kommune, role, sub),
    body: { maxOpenCases },
  });
}

/** Opens a case as `personId` (a koordinator holds the intake step, so they hold the case). */
async function openAs(personId: string) {
  const c = new CaseClient(stack, kommune);
  const res = await http(stack.baseUrl, 'POST', `/api/v1/kommuner/${kommune}/cases`, {
    token: await stack.token(kommune, 'koordinator', personId),
    body: { referralSource: 'skole', payload: {} },
    headers: {
      'Idempotency-Key': `caseload-test-${personId}-${Math.random().toString(36).slice(2)}`,
    },
  });
  return { c, res };
}

/** Visibility is eventually consistent: wait until it counts `n` open cases held by the person. */
async function holding(personId: string, n: number): Promise<void> {
  const key = loadKeyRing(stack.dataDir).pseudonymKey;
  await waitFor(
    `${personId} to hold ${n}`,
    async () => {
      const { count } = await stack.client.workflow.count(
        `SluseHolder = '${pseudonym(key, personId)}' AND SluseStatus = 'open'`,
      );
      return count === n ? true : undefined;
    },
    20_000,
  );
}

test('when a koordinator who is not a leader sets a caseload limit, then it is refused', async () => {
  const res = await setLimit('koordinator', 'koordinator-1', 'deltid-1', 1);
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe('ROLE_NOT_ALLOWED');
  const list = await http(stack.baseUrl, 'GET', limitsPath, {
    token: await stack.token(kommune, 'koordinator', 'koordinator-1'),
  });
  expect(list.status).toBe(403);
});

test('when a leader gives a part-time koordinator a limit of 1, then their second case is refused CAPACITY_FULL though the role allows 3, and a colleague without a limit of their own gets the role’s', async () => {
  const set = await setLimit('leder', 'leder-1', 'deltid-1', 1);
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({ personId: 'deltid-1', maxOpenCases: 1, setBy: 'leder-1' });
  const list = await http(stack.baseUrl, 'GET', limitsPath, {
    token: await stack.token(kommune, 'leder', 'leder-1'),
  });
  expect(list.body.limits).toEqual([
    expect.objectContaining({ personId: 'deltid-1', maxOpenCases: 1 }),
  ]);

  expect((await openAs('deltid-1')).res.status).toBe(201);
  expect((await openAs('heltid-1')).res.status).toBe(201);
  await holding('deltid-1', 1);
  await holding('heltid-1', 1);

  const refused = (await openAs('deltid-1')).res;
  expect(refused.status).toBe(422);
  expect(refused.body.error.code).toBe('CAPACITY_FULL');
  expect(refused.body.error.message).toMatch(/their own limit is 1/);
  expect(refused.body.error.nb).toBe(
    'Den nye stafettholderen har allerede 1 åpen sak; grensen er 1.',
  );
  expect((await openAs('heltid-1')).res.status).toBe(201);

  // Removed, the role's limit of 3 applies to the part-timer again.
  const removed = await http(stack.baseUrl, 'DELETE', `${limitsPath}/deltid-1`, {
    token: await stack.token(kommune, 'leder', 'leder-1'),
  });
  expect(removed.body).toEqual({ removed: true });
  expect((await openAs('deltid-1')).res.status).toBe(201);
});

test('when a limit is out of bounds or names no user id, then it is refused at its path', async () => {
  const tooHigh = await setLimit('leder', 'leder-1', 'deltid-2', 5000);
  expect(tooHigh.status).toBe(400);
  expect(tooHigh.body.error.details[0].path).toBe('/body/maxOpenCases');
  const badId = await setLimit('leder', 'leder-1', '%20Ola%20Nordmann', 2);
  expect(badId.status).toBe(400);
});

test("when another kommune's leader reads, sets or removes our caseload limits, then each is refused KOMMUNE_NOT_ALLOWED like other kommune routes, and our limits are as they were", async () => {
  expect((await setLimit('leder', 'leder-1', 'deltid-3', 2)).status).toBe(200);
  const ours = async () =>
    (
      await http(stack.baseUrl, 'GET', limitsPath, {
        token: await stack.token(kommune, 'leder', 'leder-1'),
      })
    ).body.limits;
  const before = await ours();

  const foreign = await stack.token('oygarden', 'leder', 'leder-oygarden');
  const attempts = [
    await http(stack.baseUrl, 'GET', limitsPath, { token: foreign }),
    await http(stack.baseUrl, 'PUT', `${limitsPath}/deltid-3`, {
      token: foreign,
      body: { maxOpenCases: 0 },
    }),
    await http(stack.baseUrl, 'PUT', `${limitsPath}/deltid-4`, {
      token: foreign,
      body: { maxOpenCases: 1 },
    }),
    await http(stack.baseUrl, 'DELETE', `${limitsPath}/deltid-3`, { token: foreign }),
  ];
  for (const res of attempts) {
    expect({ status: res.status, code: res.body.error?.code, nb: res.body.error?.nb }).toEqual({
      status: 403,
      code: 'KOMMUNE_NOT_ALLOWED',
      nb: 'Du er logget inn for oygarden, ikke ressursteamby.',
    });
  }
  expect(await ours()).toEqual(before);
  expect(before).toContainEqual(expect.objectContaining({ personId: 'deltid-3', maxOpenCases: 2 }));
});
