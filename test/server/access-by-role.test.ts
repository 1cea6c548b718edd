/**
 * What each kind of role sees, through every case route, with a kommune whose role names are
 * unlike the seeds': a staff role that sees its own cases, a kommune-wide role, and two family
 * roles. Nothing is special about any name; the config says who sees what. Also: "not yours"
 * answers exactly like "missing", in time too; search attributes hold pseudonyms, never ids;
 * and a person id typed into a payload is checked, so a case cannot be destroyed with one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { KommuneConfig } from '../../config';
import { randomCaseId } from '../../server/case-ids';
import { caseSearchAttributes as sa, caseWorkflowId } from '../../workflows/search-attributes';
import { eventually, http, startApiStack, type ApiStack, type HttpResult } from './api-stack';
import { CaseClient } from './case-client';
import { holfIntake } from '../machines/support';

jest.setTimeout(180_000);

const K = 'rollby';
const rollby = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'rollby.json'), 'utf8'),
) as KommuneConfig;

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack({ extraConfigs: [rollby] });
});
afterAll(async () => stack?.stop());

const as = (role: string, sub: string) => ({ role, sub });
type Who = ReturnType<typeof as>;
const assistent1 = as('assistent', 'assistent-1');
const assistent2 = as('assistent', 'assistent-2');
const tilsyn = as('tilsyn', 'tilsyn-1');
const ungdomA = as('ungdom', 'ungdom-a');
const forelderA = as('forelder', 'forelder-a');
const forelderB = as('forelder', 'forelder-b');

async function call(
  who: Who,
  method: string,
  path: string,
  body?: unknown,
  kommune = K,
): Promise<HttpResult> {
  return http(stack.baseUrl, method, `/api/v1/kommuner/${kommune}${path}`, {
    token: await stack.token(kommune, who.role, who.sub),
    body,
  });
}

/** The case ids `who` lists, once the list has `expected` many (visibility is eventually consistent). */
async function listed(who: Who, expected: number, query = ''): Promise<string[]> {
  return eventually(`${who.sub} lists ${expected} case(s)`, async () => {
    const res = await call(who, 'GET', `/cases${query}`);
    expect(res.status).toBe(200);
    return res.body.cases.length === expected
      ? res.body.cases.map((c: { caseId: string }) => c.caseId).sort()
      : undefined;
  });
}

const notFound = (caseId: string) => ({
  error: {
    code: 'CASE_NOT_FOUND',
    message: `no case "${caseId}" in kommune "${K}"`,
    nb: `Saken «${caseId}» finnes ikke i ${K}.`,
    details: [],
  },
});

/** Every route that touches one case answers `who` with the not-found of that case. */
async function expectHidden(who: Who, caseId: string, revision: number): Promise<void> {
  const path = `/cases/${caseId}`;
  const answers = [
    await call(who, 'GET', path),
    await call(who, 'GET', `${path}/history`),
    await call(who, 'GET', `${path}/stream`),
    await call(who, 'POST', `${path}/events`, { type: 'sendOnske', expectedRevision: revision }),
    await call(who, 'POST', `${path}/events`, { type: 'avslutt', expectedRevision: revision }),
    await call(who, 'POST', `${path}/reopen`, { expectedRevision: revision }),
  ];
  for (const res of answers) {
    expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: notFound(caseId) });
  }
}

/** Two families' cases: A held by assistent-1 with ungdom-a and forelder-a on its team, B held by assistent-2 with forelder-b. */
let caseA: CaseClient;
let caseB: CaseClient;
beforeAll(async () => {
  caseA = new CaseClient(stack, K);
  await caseA.open(assistent1.role, 'barnehage', {}, assistent1.sub);
  await caseA.send(
    assistent1.role,
    'leggTilFamilie',
    { medlem: { id: ungdomA.sub, role: 'ungdom' } },
    assistent1.sub,
  );
  await caseA.send(
    assistent1.role,
    'leggTilFamilie',
    { medlem: { id: forelderA.sub, role: 'forelder' } },
    assistent1.sub,
  );
  caseB = new CaseClient(stack, K);
  await caseB.open(assistent2.role, 'barnehage', {}, assistent2.sub);
  await caseB.send(
    assistent2.role,
    'leggTilFamilie',
    { medlem: { id: forelderB.sub, role: 'forelder' } },
    assistent2.sub,
  );
});

describe('a staff role that sees its own cases', () => {
  test('when an assistant lists and reads cases, then they see only the case they hold, and every route answers 404 for the other', async () => {
    expect(await listed(assistent1, 1)).toEqual([caseA.caseId]);
    expect((await call(assistent1, 'GET', `/cases/${caseA.caseId}`)).status).toBe(200);
    expect((await call(assistent1, 'GET', `/cases/${caseA.caseId}/history`)).status).toBe(200);
    await expectHidden(assistent1, caseB.caseId, caseB.revision);
    expect(await listed(assistent2, 1)).toEqual([caseB.caseId]);

    const list = await call(assistent1, 'GET', '/cases');
    expect(list.body.cases[0]).toMatchObject({
      caseId: caseA.caseId,
      heldByYou: true,
      holderPseudonym: expect.stringMatching(/^p-/),
    });
    // Filtering by another holder only narrows what they may see anyway.
    expect((await call(assistent1, 'GET', `/cases?holder=${assistent2.sub}`)).body.cases).toEqual(
      [],
    );
    // B is unchanged by everything assistent-1 tried.
    expect((await caseB.get(assistent2.role, assistent2.sub)).body).toMatchObject({
      revision: caseB.revision,
      status: 'open',
    });
  });

  test('when an assistant asks for statistics, then it is refused: they count cases the role may not see', async () => {
    const res = await call(assistent1, 'GET', '/stats');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ROLE_NOT_ALLOWED');
  });

  test("when an assistant hands a case to a colleague, then the case leaves their sight and enters the colleague's", async () => {
    const c = new CaseClient(stack, K);
    await c.open(assistent1.role, 'barnehage', {}, 'assistent-giver');
    await c.send(
      assistent1.role,
      'byttAnsvarlig',
      { ansvarlig: 'assistent-taker' },
      'assistent-giver',
    );
    await expectHidden(as('assistent', 'assistent-giver'), c.caseId, c.revision);
    expect((await c.get('assistent', 'assistent-taker')).status).toBe(200);
    expect(await listed(as('assistent', 'assistent-taker'), 1)).toEqual([c.caseId]);
    expect(await listed(as('assistent', 'assistent-giver'), 0)).toEqual([]);
  });
});

describe('a role that sees the whole kommune', () => {
  test('when the inspector lists, reads and counts, then every case of the kommune is there', async () => {
    const all = await listed(tilsyn, 3);
    expect(all).toEqual(expect.arrayContaining([caseA.caseId, caseB.caseId]));
    expect((await call(tilsyn, 'GET', `/cases/${caseB.caseId}`)).status).toBe(200);
    expect((await call(tilsyn, 'GET', `/cases/${caseA.caseId}/history`)).status).toBe(200);
    expect(
      (await call(tilsyn, 'GET', `/cases?holder=${assistent2.sub}`)).body.cases.map(
        (c: { caseId: string }) => c.caseId,
      ),
    ).toEqual([caseB.caseId]);
    // The statistics count the facts the cases' logs have written (within half a second here).
    const stats = await eventually('the statistics count all three cases', async () => {
      const res = await call(tilsyn, 'GET', '/stats');
      return res.status !== 200 || res.body.totalCases === 3 ? res : undefined;
    });
    expect(stats.status).toBe(200);
    expect(stats.body.totalCases).toBe(3);
  });
});

describe('family roles', () => {
  test('when a young person and a parent of family A look, then they see case A only and may act on it', async () => {
    for (const member of [ungdomA, forelderA]) {
      expect(await listed(member, 1)).toEqual([caseA.caseId]);
      expect((await call(member, 'GET', `/cases/${caseA.caseId}`)).body).toMatchObject({
        caseId: caseA.caseId,
        allowedEvents: [{ type: 'sendOnske' }],
      });
      await expectHidden(member, caseB.caseId, caseB.revision);
    }
    const sent = await caseA.send(ungdomA.role, 'sendOnske', {}, ungdomA.sub);
    expect(sent.caseId).toBe(caseA.caseId);
    expect((await call(ungdomA, 'GET', '/stats')).status).toBe(403);
  });

  test('when the parent of family B looks, then nothing of family A is there', async () => {
    expect(await listed(forelderB, 1)).toEqual([caseB.caseId]);
    await expectHidden(forelderB, caseA.caseId, caseA.revision);
    // Not even by asking for A's holder or A's members by id.
    expect((await call(forelderB, 'GET', `/cases?holder=${assistent1.sub}`)).body.cases).toEqual(
      [],
    );
    expect((await caseA.get(assistent1.role, assistent1.sub)).body.revision).toBe(caseA.revision);
  });

  test('when a person of a family role is in no case at all, then the list is empty and every case is missing', async () => {
    const stranger = as('ungdom', 'ungdom-uten-sak');
    expect(await listed(stranger, 0)).toEqual([]);
    await expectHidden(stranger, caseA.caseId, caseA.revision);
  });
});

describe('not yours and missing are one answer', () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  test('when a family member asks many times for a case that is not theirs and for cases that do not exist, then status, body and time are alike', async () => {
    const timed = async (caseId: string) => {
      const started = performance.now();
      const res = await call(forelderB, 'GET', `/cases/${caseId}`);
      const ms = performance.now() - started;
      expect({ status: res.status, body: res.body }).toEqual({
        status: 404,
        body: notFound(caseId),
      });
      return ms;
    };
    for (let i = 0; i < 5; i++)
      await Promise.all([timed(caseA.caseId), timed(randomCaseId())]).then(() => undefined);
    const notYours: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < 40; i++) {
      // Alternate the order, so neither kind always runs on a warmer server.
      if (i % 2) {
        notYours.push(await timed(caseA.caseId));
        missing.push(await timed(randomCaseId()));
      } else {
        missing.push(await timed(randomCaseId()));
        notYours.push(await timed(caseA.caseId));
      }
    }
    const [a, b] = [median(notYours), median(missing)];
    expect(Math.max(a, b) / Math.min(a, b)).toBeLessThan(1.5);
  });
});

describe('search attributes', () => {
  test('when a case has a holder and a team, then visibility holds their pseudonyms, never their ids', async () => {
    const described = await stack.client.workflow
      .getHandle(caseWorkflowId(K, caseA.caseId))
      .describe();
    const holder = described.typedSearchAttributes.get(sa.holder);
    const members = described.typedSearchAttributes.get(sa.members) ?? [];
    expect(holder).toMatch(/^p-[A-Za-z0-9_-]{24}$/);
    expect(members).toHaveLength(3);
    expect(members[0]).toBe(holder);
    const raw = JSON.stringify(described.raw.workflowExecutionInfo?.searchAttributes);
    for (const id of [assistent1.sub, ungdomA.sub, forelderA.sub]) expect(raw).not.toContain(id);
  });
});

describe('person ids typed into payloads', () => {
  const long = 'x'.repeat(3000);

  test('when a veiviser hands a case to a 3,000-character holder id, then it is 422 naming the field, and the case lives on unchanged', async () => {
    const c = new CaseClient(stack, 'lorenskog');
    await c.open('veiviser', 'innbygger', { henvendelsesgjelder: 'barn' }, 'veiviser-1');
    const before = (await c.get('veiviser', 'veiviser-1')).body;
    const refused = await c.trySend('veiviser', 'byttVeiviser', { ansvarlig: long }, 'veiviser-1');
    expect(refused.status).toBe(422);
    expect((refused.body as any).error.details).toEqual([
      expect.objectContaining({ path: '/body/payload/ansvarlig' }),
    ]);
    const odd = await c.trySend(
      'veiviser',
      'byttVeiviser',
      { ansvarlig: 'Kari Nordmann' },
      'veiviser-1',
    );
    expect((odd.body as any).error).toMatchObject({
      code: 'PERSON_ID_INVALID',
      details: [{ path: '/body/payload/ansvarlig' }],
    });
    // Still there, still open, still the same; and it still takes a proper handover.
    expect((await c.get('veiviser', 'veiviser-1')).body).toEqual(before);
    expect(
      (await c.send('veiviser', 'byttVeiviser', { ansvarlig: 'veiviser-2' }, 'veiviser-1')).holder,
    ).toMatchObject({ id: 'veiviser-2' });
    expect((await c.get('veiviser', 'veiviser-2')).body).toMatchObject({
      status: 'open',
      holder: { id: 'veiviser-2' },
    });
  });

  test('when an intake names a 3,000-character family coordinator, then it is 422 naming the field, and no case is opened', async () => {
    const key = randomUUID();
    const intake = holfIntake(long);
    const res = await http(stack.baseUrl, 'POST', '/api/v1/kommuner/nav-holf/cases', {
      token: await stack.token('nav-holf', 'nav_veileder', 'veileder-1'),
      body: { referralSource: 'nav_sosialtjeneste', payload: intake },
      headers: { 'Idempotency-Key': key },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ path: '/body/payload/familiekoordinator' }),
    ]);
    const leder = await stack.token('nav-holf', 'leder', 'leder-1');
    const list = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/nav-holf/cases', {
      token: leder,
    });
    expect(list.body.cases).toEqual([]);
  });
});
