/**
 * Who read a case (#19), over the API on the whole stack: each read of a case's snapshot, log or
 * live stream is in the store's append-only access log, with the reader as a pseudonym and role
 * and nothing of the case; a leader lists the reads of a case and the reads by one person; no
 * one else may; a refused read is not logged as a read.
 */
import { pseudonym } from '../../machines';
import { loadKeyRing } from '../../runtime/key-ring';
import { CaseAccessLog, CaseRetention, openDatabase } from '../../store';
import { memoryDatabase } from '../support/memory-database';
import { http, startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';
import { loadSeed } from '../machines/support';
import type { KommuneConfig } from '../../config';

jest.setTimeout(120_000);

/**
 * Lørenskog's model, with a privacy role that reads the access log and sees no case, and a
 * family page that names the staff who read the case.
 */
const vernby = {
  ...loadSeed('lorenskog'),
  id: 'vernby',
  name: 'Vernby',
  roles: {
    ...loadSeed('lorenskog').roles,
    personvernombud: { title: 'Personvernombud', auditsAccess: true },
  },
  familyTexts: { ...loadSeed('lorenskog').familyTexts, showReaderNames: true },
} satisfies KommuneConfig;

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack({ extraConfigs: [vernby] });
});

afterAll(async () => {
  await stack?.stop();
});

test('when a veiviser reads a case, its log and its live stream, then a leader sees each read with the reader as a pseudonym and role, newest first, and can list what that person read', async () => {
  const kase = new CaseClient(stack, 'lorenskog');
  await kase.open('veiviser', 'politi', { henvendelsesgjelder: 'familie' }, 'veiviser-7');
  const base = `/api/v1/kommuner/lorenskog/cases/${kase.caseId}`;
  const veiviser = await stack.token('lorenskog', 'veiviser', 'veiviser-7');
  expect((await http(stack.baseUrl, 'GET', base, { token: veiviser })).status).toBe(200);
  expect((await http(stack.baseUrl, 'GET', `${base}/history`, { token: veiviser })).status).toBe(
    200,
  );
  const stream = new AbortController();
  const opened = await fetch(`${stack.baseUrl}${base}/stream`, {
    headers: { Authorization: `Bearer ${veiviser}` },
    signal: stream.signal,
  });
  expect(opened.status).toBe(200);
  stream.abort();

  // Someone who may not see the case: refused, and not a read.
  const other = await stack.token('lorenskog', 'veiviser', 'veiviser-8');
  expect((await http(stack.baseUrl, 'GET', base, { token: other })).status).toBe(404);

  const leader = await stack.token('lorenskog', 'leder', 'leder-1');
  const log = await http(stack.baseUrl, 'GET', `${base}/access-log`, { token: leader });
  expect(log.status).toBe(200);
  const reader = pseudonym(loadKeyRing(stack.dataDir).pseudonymKey, 'veiviser-7');
  expect(log.body.entries.map((e: { what: string }) => e.what)).toEqual([
    'stream',
    'history',
    'snapshot',
  ]);
  for (const e of log.body.entries) {
    expect(e).toEqual({
      caseId: kase.caseId,
      reader,
      role: 'veiviser',
      what: e.what,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  }
  expect(JSON.stringify(log.body)).not.toContain('veiviser-7');

  const byPerson = await http(
    stack.baseUrl,
    'GET',
    '/api/v1/kommuner/lorenskog/access-log?person=veiviser-7',
    { token: leader },
  );
  expect(byPerson.status).toBe(200);
  expect(byPerson.body.entries).toHaveLength(3);
  const none = await http(
    stack.baseUrl,
    'GET',
    '/api/v1/kommuner/lorenskog/access-log?person=veiviser-8',
    { token: leader },
  );
  expect(none.body.entries).toEqual([]);

  // Only a leader of the kommune reads the log, and asks about a person by a well-formed id.
  const refused = await http(stack.baseUrl, 'GET', `${base}/access-log`, { token: veiviser });
  expect([refused.status, refused.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
  const otherLeader = await stack.token('oygarden', 'leder', 'leder-1');
  const elsewhere = await http(stack.baseUrl, 'GET', `${base}/access-log`, { token: otherLeader });
  expect([elsewhere.status, elsewhere.body.error.code]).toEqual([403, 'KOMMUNE_NOT_ALLOWED']);
  const badPerson = await http(
    stack.baseUrl,
    'GET',
    `/api/v1/kommuner/lorenskog/access-log?person=${'x'.repeat(500)}`,
    { token: leader },
  );
  expect([badPerson.status, badPerson.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
});

test('when closed cases were deleted at the end of their retention, then a leader lists the deletion records (what, when, by which rule, how much) with nothing of the cases, and no one else may', async () => {
  const retention = new CaseRetention(stack.db);
  const record = {
    caseId: 'slettet-sak-1',
    finalStep: 'avsluttet_veivisersak',
    closedOn: '2025-01-31',
    keptFor: 'P2Y',
    deletedAt: '2027-01-31T01:00:00.000Z',
    logEntries: 7,
    messages: 2,
    archivedRecord: true,
    workflowRuns: 0,
  };
  await retention.recordDeletion({ kommune: 'lorenskog', ...record });
  await retention.recordDeletion({ kommune: 'oygarden', ...record, caseId: 'annen-kommune' });
  const path = '/api/v1/kommuner/lorenskog/deletions';
  const leader = await stack.token('lorenskog', 'leder', 'leder-1');
  const listed = await http(stack.baseUrl, 'GET', path, { token: leader });
  expect(listed.status).toBe(200);
  expect(listed.body).toEqual({ deletions: [record] });

  const veiviser = await stack.token('lorenskog', 'veiviser', 'veiviser-7');
  const refused = await http(stack.baseUrl, 'GET', path, { token: veiviser });
  expect([refused.status, refused.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
  const otherLeader = await stack.token('oygarden', 'leder', 'leder-1');
  const elsewhere = await http(stack.baseUrl, 'GET', path, { token: otherLeader });
  expect([elsewhere.status, elsewhere.body.error.code]).toEqual([403, 'KOMMUNE_NOT_ALLOWED']);
  // The records are append-only, as the access log is.
  await expect(stack.db.query('DELETE FROM case_deletion')).rejects.toThrow(/append-only/);
});

test("when the kommune's privacy role (auditsAccess) looks, then it reads who read a case, what a person read and the deletion records, and still sees no case itself", async () => {
  const kase = new CaseClient(stack, 'vernby');
  await kase.open('veiviser', 'politi', { henvendelsesgjelder: 'familie' }, 'veiviser-1');
  const base = `/api/v1/kommuner/vernby/cases/${kase.caseId}`;
  const veiviser = await stack.token('vernby', 'veiviser', 'veiviser-1');
  expect((await http(stack.baseUrl, 'GET', base, { token: veiviser })).status).toBe(200);

  const ombud = await stack.token('vernby', 'personvernombud', 'ombud-1');
  const reads = await http(stack.baseUrl, 'GET', `${base}/access-log`, { token: ombud });
  expect(reads.status).toBe(200);
  expect(reads.body.entries).toEqual([
    expect.objectContaining({ role: 'veiviser', what: 'snapshot' }),
  ]);
  const byPerson = await http(
    stack.baseUrl,
    'GET',
    '/api/v1/kommuner/vernby/access-log?person=veiviser-1',
    { token: ombud },
  );
  expect(byPerson.body.entries).toHaveLength(1);
  const deletions = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/vernby/deletions', {
    token: ombud,
  });
  expect([deletions.status, deletions.body]).toEqual([200, { deletions: [] }]);
  // Reading who read is not reading the case: the case is not there for the privacy role.
  expect((await http(stack.baseUrl, 'GET', base, { token: ombud })).status).toBe(404);
  const again = await http(stack.baseUrl, 'GET', `${base}/access-log`, { token: ombud });
  expect(again.body.entries).toHaveLength(1);
});

test('when anyone tries to change or remove a recorded read, then the store refuses', async () => {
  const db = await openDatabase(memoryDatabase());
  try {
    await new CaseAccessLog(db).record({
      kommune: 'lorenskog',
      caseId: 'c1',
      reader: 'r',
      role: 'veiviser',
      what: 'snapshot',
    });
    await expect(db.query("UPDATE case_access_log SET role = 'leder'")).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query('DELETE FROM case_access_log')).rejects.toThrow(/append-only/);
    // Only the retention sweep prunes, and only reads older than the kommune keeps them.
    const retention = new CaseRetention(db);
    expect(await retention.pruneAccessLog('lorenskog', Date.now() - 86_400_000)).toBe(0);
    expect(await new CaseAccessLog(db).ofCase('lorenskog', 'c1')).toHaveLength(1);
    expect(await retention.pruneAccessLog('lorenskog', Date.now() + 1_000)).toBe(1);
    expect(await new CaseAccessLog(db).ofCase('lorenskog', 'c1')).toEqual([]);
    await expect(db.query('DELETE FROM case_access_log')).resolves.toEqual([]);
  } finally {
    await db.close();
  }
});

test("when staff have read a family's case, then the family's own view lists who looked by role title and date, never by name, and not the family's own reads", async () => {
  const kase = new CaseClient(stack, 'lorenskog');
  await kase.open('veiviser', 'politi', { henvendelsesgjelder: 'familie' }, 'veiviser-9');
  await kase.send(
    'veiviser',
    'leggTilFamilie',
    { familiemedlem: { id: 'forelder-5', role: 'foresatt', email: 'a@example.no' } },
    'veiviser-9',
  );
  const base = `/api/v1/kommuner/lorenskog/cases/${kase.caseId}`;
  const veiviser = await stack.token('lorenskog', 'veiviser', 'veiviser-9');
  expect((await http(stack.baseUrl, 'GET', base, { token: veiviser })).status).toBe(200);
  const parent = await stack.token('lorenskog', 'foresatt', 'forelder-5');
  const first = await http(stack.baseUrl, 'GET', `${base}/family`, { token: parent });
  expect(first.status).toBe(200);
  const again = await http(stack.baseUrl, 'GET', `${base}/family`, { token: parent });
  expect(again.body.readBy).toEqual([
    {
      role: 'Familieveiviser',
      at: { at: expect.any(String), text: expect.stringMatching(/^\d{1,2}\. \p{L}+ \d{4}$/u) },
    },
  ]);
  expect(JSON.stringify(again.body.readBy)).not.toContain('veiviser-9');
});

test("when the kommune's config shows readers' names to the family, then the family's view names the staff member beside the role, from the staff directory", async () => {
  const leader = await stack.token('vernby', 'leder', 'leder-1');
  const put = await http(
    stack.baseUrl,
    'PUT',
    '/api/v1/kommuner/vernby/staff-directory/veiviser-2',
    {
      token: leader,
      body: { displayName: 'Vera Veiviser', email: 'vera@vernby.example' },
    },
  );
  expect(put.status).toBe(200);
  const kase = new CaseClient(stack, 'vernby');
  await kase.open('veiviser', 'politi', { henvendelsesgjelder: 'familie' }, 'veiviser-2');
  await kase.send(
    'veiviser',
    'leggTilFamilie',
    { familiemedlem: { id: 'forelder-6', role: 'foresatt', email: 'b@example.no' } },
    'veiviser-2',
  );
  const base = `/api/v1/kommuner/vernby/cases/${kase.caseId}`;
  const veiviser = await stack.token('vernby', 'veiviser', 'veiviser-2');
  expect((await http(stack.baseUrl, 'GET', base, { token: veiviser })).status).toBe(200);
  const parent = await stack.token('vernby', 'foresatt', 'forelder-6');
  const view = await http(stack.baseUrl, 'GET', `${base}/family`, { token: parent });
  expect(view.status).toBe(200);
  expect(view.body.readBy).toEqual([
    { role: 'Familieveiviser', name: 'Vera Veiviser', at: expect.any(Object) },
  ]);
});
