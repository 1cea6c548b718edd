/**
 * Process owners change a kommune's config over HTTP against a real Temporal dev server and
 * worker, with the config store on PGlite: drafts, validation, diff, impact preview, publish,
 * rollback and migration of running cases, and who may do any of it.
 */
import { addDuration } from '../../machines';
import { openConfigStore, type OpenedConfigStore } from '../../store';
import { http, startApiStack, type ApiStack } from '../server/api-stack';
import { CaseClient } from '../server/case-client';
import { seedDirWith, testKommune } from './test-kommune';
import { memoryDatabase } from '../support/memory-database';

jest.setTimeout(180_000);

const K = 'testby';
let opened: OpenedConfigStore;
let stack: ApiStack;

beforeAll(async () => {
  opened = await openConfigStore({ ...memoryDatabase(), seedDir: seedDirWith(K, 'nabby') });
  stack = await startApiStack({ configStore: opened.store });
});
afterAll(async () => {
  await stack?.stop();
  await opened?.close();
});

const config = (path = '') => `/api/v1/kommuner/${K}/config${path}`;

async function asOwner(method: string, path: string, body?: unknown, kommune = K, sub = 'po-1') {
  return http(stack.baseUrl, method, path, {
    token: await stack.token(kommune, 'prosesseier', sub),
    body,
  });
}

async function publishDraft(draft: unknown, comment: string) {
  const saved = await asOwner('PUT', config('/draft'), { config: draft });
  expect(saved.status).toBe(200);
  const published = await asOwner('POST', config('/publish'), { comment });
  expect(published.status).toBe(201);
  return published.body as { version: number };
}

async function history(c: CaseClient) {
  const res = await http(stack.baseUrl, 'GET', `${c.path}/history`, {
    token: await stack.token(K, 'koordinator'),
  });
  return res.body.entries as Array<{ kind: string; what: string; from?: string; to?: string }>;
}

describe('who may see and change the config', () => {
  test('when a case role asks for versions, the draft or to publish, then it gets 403 but may read the current config', async () => {
    const token = await stack.token(K, 'koordinator');
    for (const [method, path, body] of [
      ['GET', config('/versions')],
      ['GET', config('/draft')],
      ['PUT', config('/draft'), { config: testKommune(K) }],
      ['POST', config('/publish'), { comment: 'x' }],
      ['POST', config('/migrations'), { filter: {} }],
    ] as Array<[string, string, unknown?]>) {
      const res = await http(stack.baseUrl, method, path, { token, body });
      expect([method, path, res.status, res.body.error.code]).toEqual([
        method,
        path,
        403,
        'ROLE_NOT_ALLOWED',
      ]);
    }
    const current = await http(stack.baseUrl, 'GET', config(), { token });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ kommune: K, config: { id: K } });
  });

  test("when a process owner of another kommune reads or changes this kommune's config, then it is invisible: 404 like an unknown kommune", async () => {
    const foreign = await stack.token('nabby', 'prosesseier');
    for (const [method, path, body] of [
      ['GET', config()],
      ['GET', config('/versions')],
      ['PUT', config('/draft'), { config: testKommune(K) }],
      ['POST', config('/rollback'), { toVersion: 1, comment: 'x' }],
    ] as Array<[string, string, unknown?]>) {
      const res = await http(stack.baseUrl, method, path, { token: foreign, body });
      expect([method, path, res.status, res.body.error.code]).toEqual([
        method,
        path,
        404,
        'KOMMUNE_NOT_FOUND',
      ]);
    }
    const foreignCaseRole = await http(stack.baseUrl, 'GET', config(), {
      token: await stack.token('nabby', 'koordinator'),
    });
    expect([foreignCaseRole.status, foreignCaseRole.body.error.code]).toEqual([
      404,
      'KOMMUNE_NOT_FOUND',
    ]);
    const unknown = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/atlantis/config/versions', {
      token: await stack.token('atlantis', 'prosesseier'),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('KOMMUNE_NOT_FOUND');
  });
});

describe('drafts, validation and publishing', () => {
  test('when a pasted draft is invalid, then validation lists every error with its JSON path and line, and publishing is refused with 422', async () => {
    const broken = testKommune(K);
    broken.steps.mottak.on!.henvis = { target: 'finnes_ikke' };
    const text = JSON.stringify(broken, null, 2);
    const saved = await asOwner('PUT', config('/draft'), { text });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ valid: false, text });
    const checked = await asOwner('POST', config('/validate'), {});
    expect(checked.status).toBe(200);
    expect(checked.body.valid).toBe(false);
    expect(checked.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: '/steps/mottak/on/henvis/target',
          line: expect.any(Number),
        }),
      ]),
    );
    const before = (await asOwner('GET', config('/versions'))).body.versions.length;
    const publish = await asOwner('POST', config('/publish'), { comment: 'prøver' });
    expect(publish.status).toBe(422);
    expect(publish.body.error.code).toBe('CONFIG_INVALID');
    expect(publish.body.error.details.map((d: { path: string }) => d.path)).toContain(
      '/steps/mottak/on/henvis/target',
    );
    expect((await asOwner('GET', config('/versions'))).body.versions.length).toBe(before);
    expect((await asOwner('DELETE', config('/draft'))).status).toBe(200);
  });

  test('when malformed JSON is pasted, then it is kept as a draft and validation points at the line', async () => {
    const saved = await asOwner('PUT', config('/draft'), {
      text: '{\n  "id": "testby",\n  "name": \n}',
    });
    expect(saved.status).toBe(200);
    expect(saved.body.errors[0]).toMatchObject({ path: '', line: 4 });
    expect((await asOwner('POST', config('/publish'), { comment: 'x' })).status).toBe(422);
    expect((await asOwner('DELETE', config('/draft'))).status).toBe(200);
  });

  test('when someone published after the draft was based, then publishing is a 409 conflict', async () => {
    const latest = (await asOwner('GET', config())).body.version as number;
    await asOwner('PUT', config('/draft'), {
      config: { ...testKommune(K), name: 'Testby A' },
      baseVersion: latest,
    });
    const otherOwner = await asOwner(
      'POST',
      config('/rollback'),
      { toVersion: 1, comment: 'samtidig endring' },
      K,
      'po-2',
    );
    expect(otherOwner.status).toBe(201);
    const conflict = await asOwner('POST', config('/publish'), { comment: 'A' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('PUBLISH_CONFLICT');
    expect(conflict.body.error.message).toMatch(/po-2/);
    expect((await asOwner('DELETE', config('/draft'))).status).toBe(200);
  });

  test('when an earlier version is rolled back to, then it is published again as the next version and new cases start on it', async () => {
    const v = await publishDraft({ ...testKommune(K), name: 'Testby feil' }, 'feil navn');
    const rolled = await asOwner('POST', config('/rollback'), { toVersion: 1, comment: 'tilbake' });
    expect(rolled.status).toBe(201);
    expect(rolled.body).toMatchObject({
      version: v.version + 1,
      restoredFrom: 1,
      author: 'po-1',
      comment: 'tilbake',
    });
    const current = await asOwner('GET', config());
    expect(current.body).toMatchObject({
      version: v.version + 1,
      config: { name: testKommune(K).name },
    });
    const c = new CaseClient(stack, K);
    expect((await c.open('koordinator', 'skole', {})).configVersion).toBe(v.version + 1);
  });
});

describe('running cases and migration', () => {
  test('when a version with a shorter deadline is published, then a running case keeps its old timer until migrated, and then follows the new version', async () => {
    const before = new CaseClient(stack, K);
    const a = await before.open('koordinator', 'skole', {});
    const oldVersion = a.configVersion as number;
    const oldTimer = (a.timers as Array<{ timerId: string; dueAt: string }>)[0];
    expect(oldTimer.dueAt).toBe(addDuration(a.stepEnteredAt as string, 'P14D'));

    const draft = testKommune(K);
    draft.steps.mottak.timers![0] = {
      ...draft.steps.mottak.timers![0],
      after: 'P3D',
      days: 'working',
    } as never;
    draft.events.prioriter = { title: 'Prioriter', roles: ['koordinator'] };
    draft.steps.mottak.on!.prioriter = {};
    expect((await asOwner('PUT', config('/draft'), { config: draft })).status).toBe(200);

    const diff = await asOwner('GET', config('/diff'));
    expect(diff.status).toBe(200);
    const messages = diff.body.changes.map((c: { message: string }) => c.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'I steget «Mottak» (mottak): fristen «Vurdering» (vurdering) går nå 3 virkedager etter at saken kom inn i steget (før: 14 dager etter at saken kom inn i steget).',
        'Ny hendelse «Prioriter» (prioriter); kan sendes av «Koordinator» (koordinator).',
      ]),
    );

    const impact = await asOwner('POST', config('/impact'), {});
    expect(impact.status).toBe(200);
    const mine = impact.body.affected.find((x: { caseId: string }) => x.caseId === before.caseId);
    expect(mine).toMatchObject({
      step: 'mottak',
      stepChange: 'changed',
      migration: { possible: true, toStep: 'mottak' },
    });
    expect(mine.timers).toEqual([
      expect.objectContaining({
        timerId: 'vurdering',
        change: 'moved',
        dueBefore: oldTimer.dueAt,
        dueAfter: addDuration(a.stepEnteredAt as string, 'P3D', 'working'),
      }),
    ]);

    const published = await asOwner('POST', config('/publish'), {
      comment: 'kortere vurderingsfrist',
    });
    expect(published.status).toBe(201);
    const newVersion = published.body.version as number;

    // The running case keeps its version: same timer, and the new event is unknown to it.
    const still = (await before.get('koordinator')).body;
    expect(still).toMatchObject({ configVersion: oldVersion, revision: a.revision });
    expect((still.timers as Array<{ dueAt: string }>)[0].dueAt).toBe(oldTimer.dueAt);
    expect((await before.trySend('koordinator', 'prioriter')).status).toBe(422);

    // A new case starts on the new version.
    const after = new CaseClient(stack, K);
    const b = await after.open('koordinator', 'skole', {});
    expect(b.configVersion).toBe(newVersion);
    expect((b.timers as Array<{ dueAt: string }>)[0].dueAt).toBe(
      addDuration(b.stepEnteredAt as string, 'P3D', 'working'),
    );

    const migrated = await asOwner('POST', config('/migrations'), {
      caseIds: [before.caseId],
      reason: 'ny frist gjelder alle',
    });
    expect(migrated.status).toBe(200);
    expect(migrated.body).toMatchObject({ toVersion: newVersion, migrated: 1, refused: 0 });
    expect(migrated.body.results[0]).toMatchObject({
      caseId: before.caseId,
      outcome: 'migrated',
      fromVersion: oldVersion,
      fromStep: 'mottak',
      toStep: 'mottak',
    });

    const now = (await before.get('koordinator')).body;
    before.revision = now.revision;
    expect(now.configVersion).toBe(newVersion);
    // Recomputed by the new rule from the original time the case entered the step.
    expect((now.timers as Array<{ dueAt: string }>)[0].dueAt).toBe(
      addDuration(a.stepEnteredAt as string, 'P3D', 'working'),
    );
    expect(now.stepEnteredAt).toBe(a.stepEnteredAt);
    expect((await before.send('koordinator', 'prioriter')).step).toBe('mottak');
    expect((await history(before)).find((e) => e.kind === 'migrated')).toMatchObject({
      what: `version ${newVersion}`,
      from: 'mottak',
      to: 'mottak',
    });

    const audit = await asOwner('GET', config('/audit?limit=5'));
    expect(audit.body.entries[0]).toMatchObject({
      action: 'caseMigrated',
      actor: 'po-1',
      caseId: before.caseId,
      version: newVersion,
      reason: 'ny frist gjelder alle',
    });
    expect(
      audit.body.entries.some(
        (e: { action: string; reason: string }) =>
          e.action === 'published' && e.reason === 'kortere vurderingsfrist',
      ),
    ).toBe(true);
  });

  test('when a step is removed, then the impact shows the cases in it, migration without a mapping is refused and leaves each case exactly as it was, and a mapping moves it', async () => {
    const c = new CaseClient(stack, K);
    await c.open('koordinator', 'skole', {});
    await c.send('koordinator', 'henvis');
    const current = (await asOwner('GET', config())).body;
    const draft = structuredClone(current.config);
    draft.steps.utredning = { ...draft.steps.kartlegging, title: 'Utredning' };
    delete draft.steps.kartlegging;
    draft.steps.mottak.on.henvis = { target: 'utredning' };
    expect((await asOwner('PUT', config('/draft'), { config: draft })).body.valid).toBe(true);

    const impact = await asOwner('POST', config('/impact'), {});
    const mine = impact.body.affected.find((x: { caseId: string }) => x.caseId === c.caseId);
    expect(mine).toMatchObject({
      step: 'kartlegging',
      stepChange: 'removed',
      migration: {
        possible: false,
        code: 'MIGRATION_REFUSED',
        nb: expect.stringMatching(/^Steget «kartlegging» finnes ikke i versjon \d+;/),
      },
    });
    const mapped = await asOwner('POST', config('/impact'), {
      stepMapping: { kartlegging: 'utredning' },
    });
    expect(
      mapped.body.affected.find((x: { caseId: string }) => x.caseId === c.caseId).migration,
    ).toEqual({ possible: true, toStep: 'utredning' });

    const v = (
      await asOwner('POST', config('/publish'), { comment: 'kartlegging heter nå utredning' })
    ).body.version as number;
    const viewBefore = (await c.get('koordinator')).body;
    const historyBefore = await history(c);

    const refused = await asOwner('POST', config('/migrations'), { caseIds: [c.caseId] });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ migrated: 0, refused: 1 });
    expect(refused.body.results[0]).toMatchObject({
      outcome: 'refused',
      fromStep: 'kartlegging',
      reason: expect.stringMatching(/kartlegging/),
      code: 'MIGRATION_REFUSED',
      nb: `Steget «kartlegging» finnes ikke i versjon ${v}; oppgi hvilket steg saken skal flyttes til.`,
    });
    expect((await c.get('koordinator')).body).toEqual(viewBefore);
    expect(await history(c)).toEqual(historyBefore);
    expect((await asOwner('GET', config('/audit?limit=1'))).body.entries[0]).toMatchObject({
      action: 'caseMigrationRefused',
      caseId: c.caseId,
    });

    const moved = await asOwner('POST', config('/migrations'), {
      filter: { step: 'kartlegging' },
      stepMapping: { kartlegging: 'utredning' },
    });
    expect(moved.body.results.find((r: { caseId: string }) => r.caseId === c.caseId)).toMatchObject(
      { outcome: 'migrated', toVersion: v, toStep: 'utredning' },
    );
    expect((await c.get('koordinator')).body).toMatchObject({
      step: 'utredning',
      configVersion: v,
    });
  });

  test('when the process owner asks for a dry run, then each chosen case says where it would land or why it would be refused, a mapping changes the answer, and nothing moves or enters the audit trail', async () => {
    await publishDraft(testKommune(K), 'dry run: kartlegging tilbake');
    const a = new CaseClient(stack, K);
    await a.open('koordinator', 'skole', {});
    await a.send('koordinator', 'henvis');
    const b = new CaseClient(stack, K);
    await b.open('koordinator', 'skole', {});
    const draft = testKommune(K);
    draft.steps.utredning = { ...draft.steps.kartlegging, title: 'Utredning' };
    delete draft.steps.kartlegging;
    draft.steps.mottak.on!.henvis = { target: 'utredning' };
    const { version: v } = await publishDraft(draft, 'dry run: kartlegging heter nå utredning');
    const viewsBefore = [(await a.get('koordinator')).body, (await b.get('koordinator')).body];
    const historiesBefore = [await history(a), await history(b)];
    const auditBefore = (await asOwner('GET', config('/audit?limit=1'))).body.entries[0];

    const dry = await asOwner('POST', config('/migrations'), {
      caseIds: [a.caseId, b.caseId],
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, toVersion: v, migrated: 1, refused: 1 });
    const byId = (body: { results: { caseId: string }[] }, id: string) =>
      body.results.find((r) => r.caseId === id);
    expect(byId(dry.body, a.caseId)).toMatchObject({
      outcome: 'refused',
      fromStep: 'kartlegging',
      code: 'MIGRATION_REFUSED',
      nb: `Steget «kartlegging» finnes ikke i versjon ${v}; oppgi hvilket steg saken skal flyttes til.`,
    });
    expect(byId(dry.body, b.caseId)).toMatchObject({ outcome: 'migrated', toStep: 'mottak' });

    const mapped = await asOwner('POST', config('/migrations'), {
      caseIds: [a.caseId, b.caseId],
      stepMapping: { kartlegging: 'utredning' },
      dryRun: true,
    });
    expect(mapped.body).toMatchObject({ dryRun: true, migrated: 2, refused: 0 });
    expect(byId(mapped.body, a.caseId)).toMatchObject({
      outcome: 'migrated',
      fromStep: 'kartlegging',
      toStep: 'utredning',
    });

    expect([(await a.get('koordinator')).body, (await b.get('koordinator')).body]).toEqual(
      viewsBefore,
    );
    expect([await history(a), await history(b)]).toEqual(historiesBefore);
    expect((await asOwner('GET', config('/audit?limit=1'))).body.entries[0]).toEqual(auditBefore);

    const real = await asOwner('POST', config('/migrations'), {
      caseIds: [a.caseId, b.caseId],
      stepMapping: { kartlegging: 'utredning' },
    });
    expect(real.body).toMatchObject({ dryRun: false, migrated: 2, refused: 0 });
    expect((await a.get('koordinator')).body).toMatchObject({
      step: 'utredning',
      configVersion: v,
    });
  });
});

test("when a case on an earlier version is sent an event after a publish, then the answer offers what the case's own version allows next, as reading it does", async () => {
  // Earlier tests here leave a version without kartlegging: start from the kommune as written.
  await publishDraft(testKommune(K), 'kartlegging tilbake');
  const c = new CaseClient(stack, K);
  const opened = await c.open('koordinator', 'skole', {});
  const draft = testKommune(K);
  draft.events.haster = { title: 'Haster', roles: ['koordinator'] };
  draft.steps.kartlegging.on!.haster = {};
  const { version } = await publishDraft(draft, 'ny hendelse i kartlegging');
  expect(version).toBeGreaterThan(opened.configVersion as number);

  // The answer's events are computed by the API from the case's version, not the newest.
  const answer = await c.send('koordinator', 'henvis');
  expect(answer).toMatchObject({ step: 'kartlegging', configVersion: opened.configVersion });
  const types = answer.allowedEvents.map((e) => e.type);
  expect(types).toContain('avslutt');
  expect(types).not.toContain('haster');
  expect(answer.allowedEvents).toEqual((await c.get('koordinator')).body.allowedEvents);
});
