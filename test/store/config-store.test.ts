import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigStore,
  ConfigStoreError,
  ConfigStoreErrorCodes,
  openConfigStore,
  runMigrations,
} from '../../store';
import { openPostgresDatabase } from '../../store/postgres-database';
import { migrationsDir } from '../../store/run-migrations';
import {
  SEED_DIR,
  pgliteBackend,
  postgresBackend,
  seedConfig,
  text,
  type Backend,
  type TestStore,
} from './helpers';

const backends: Backend[] = [pgliteBackend(), postgresBackend()];

async function refusal(promise: Promise<unknown>): Promise<ConfigStoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigStoreError))
    throw new Error(`expected a ConfigStoreError, got ${String(error)}`);
  return error;
}

describe.each(backends)('config store on $name', (backend) => {
  let opened: TestStore;
  let store: ConfigStore;

  afterAll(() => backend.stop());
  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
  });
  afterEach(() => opened.close());

  test('when the store starts empty, then every seed file becomes version 1 by system with comment "seed"', async () => {
    expect(opened.seeded.sort()).toEqual(['lorenskog', 'nav-holf', 'oygarden']);
    const v1 = await store.latestPublished('oygarden');
    expect(v1).toMatchObject({ version: 1, author: 'system', comment: 'seed', basedOn: null });
    expect(v1!.config).toEqual(seedConfig('oygarden'));
    // Key order survives the database: the owner reads back what was published.
    expect(Object.keys(v1!.config.steps)).toEqual(Object.keys(seedConfig('oygarden').steps));
    expect((await store.auditTrail('oygarden'))[0]).toMatchObject({
      action: 'seeded',
      actor: 'system',
      version: 1,
      reason: 'seed',
    });
  });

  test('when the store starts again, then nothing is seeded twice and published versions stay', async () => {
    const changed = { ...seedConfig('oygarden'), name: 'Øygarden v2' };
    await store.saveDraft('oygarden', { source: text(changed), actor: 'po-1' });
    await store.publishDraft('oygarden', { actor: 'po-1', comment: 'nytt navn' });
    expect(await store.seed([seedConfig('oygarden')])).toEqual([]);
    expect((await store.latestPublished('oygarden'))!.config.name).toBe('Øygarden v2');
  });

  test('when a valid draft is published, then it becomes the next immutable version with author, time, comment and base', async () => {
    const draft = await store.saveDraft('oygarden', {
      source: text({ ...seedConfig('oygarden'), name: 'Ny' }),
      actor: 'po-1',
    });
    expect(draft).toMatchObject({ baseVersion: 1, revision: 1, updatedBy: 'po-1' });
    const v2 = await store.publishDraft('oygarden', { actor: 'po-1', comment: 'nytt navn' });
    expect(v2).toMatchObject({
      version: 2,
      author: 'po-1',
      comment: 'nytt navn',
      basedOn: 1,
      restoredFrom: null,
    });
    expect(Date.parse(v2.publishedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await store.draft('oygarden')).toBeNull();
    expect((await store.versions('oygarden')).map((v) => v.version)).toEqual([2, 1]);
    expect((await store.published('oygarden', 1))!.config.name).toBe(seedConfig('oygarden').name);
    expect((await store.latestPublished('oygarden'))!.version).toBe(2);
    // Other kommuner are untouched.
    expect((await store.latestPublished('lorenskog'))!.version).toBe(1);
  });

  test('when a caller changes the shared copy of a version, then the stored config read afresh is still exactly what was published, in the same bytes every time', async () => {
    const shared = (await store.published('lorenskog', 1))!.config as { name: string };
    shared.name = 'endret i minnet';
    const stored = await store.storedConfig('lorenskog', 1);
    expect(stored).toEqual(seedConfig('lorenskog'));
    expect(JSON.stringify(await store.storedConfig('lorenskog', 1))).toBe(JSON.stringify(stored));
    expect(await store.storedConfig('lorenskog', 99)).toBeNull();
  });

  test('when someone tries to change a published version in the database, then the database refuses', async () => {
    await expect(
      opened.db.query(`UPDATE config_versions SET comment = 'x' WHERE kommune = 'oygarden'`),
    ).rejects.toThrow(/append-only/);
    await expect(opened.db.query(`DELETE FROM config_audit`)).rejects.toThrow(/append-only/);
  });

  test('when the draft is invalid, then publishing is refused with every error and its JSON path, and nothing is published', async () => {
    const broken = seedConfig('oygarden');
    broken.intake.step = 'finnes_ikke';
    await store.saveDraft('oygarden', { source: text(broken), actor: 'po-1' });
    const error = await refusal(store.publishDraft('oygarden', { actor: 'po-1', comment: 'x' }));
    expect(error.code).toBe(ConfigStoreErrorCodes.draftInvalid);
    expect(error.errors.map((e) => e.path)).toContain('/intake/step');
    expect(error.errors[0].line).toBeGreaterThan(0);
    expect((await store.latestPublished('oygarden'))!.version).toBe(1);
    expect(await store.draft('oygarden')).not.toBeNull();
  });

  test('when the draft is malformed JSON or names another kommune, then it is saved but never published', async () => {
    await store.saveDraft('oygarden', { source: '{ "id": "oygarden", ', actor: 'po-1' });
    expect(
      (await refusal(store.publishDraft('oygarden', { actor: 'po-1', comment: 'x' }))).errors[0]
        .message,
    ).toMatch(/malformed JSON at line 1/);
    await store.saveDraft('oygarden', { source: text(seedConfig('lorenskog')), actor: 'po-1' });
    expect(
      (await refusal(store.publishDraft('oygarden', { actor: 'po-1', comment: 'x' }))).errors.map(
        (e) => e.path,
      ),
    ).toContain('/id');
    expect((await store.versions('oygarden')).length).toBe(1);
  });

  test("when a version was published after the draft's base, then publishing the draft is a conflict", async () => {
    await store.saveDraft('oygarden', {
      source: text({ ...seedConfig('oygarden'), name: 'A' }),
      actor: 'po-a',
    });
    await store.publishDraft('oygarden', { actor: 'po-a', comment: 'A' });
    // po-b opened the editor on version 1 and saves now.
    await store.saveDraft('oygarden', {
      source: text({ ...seedConfig('oygarden'), name: 'B' }),
      actor: 'po-b',
      baseVersion: 1,
    });
    const error = await refusal(store.publishDraft('oygarden', { actor: 'po-b', comment: 'B' }));
    expect(error.code).toBe(ConfigStoreErrorCodes.publishConflict);
    expect(error.nb).toMatch(/versjon 2 \(po-a/);
    expect(error.message).toMatch(/version 2 \(po-a/);
    expect((await store.latestPublished('oygarden'))!.config.name).toBe('A');
  });

  test('when the draft changed since the owner reviewed it, then saving and publishing with the old revision are refused', async () => {
    await store.saveDraft('oygarden', { source: text(seedConfig('oygarden')), actor: 'po-a' });
    await store.saveDraft('oygarden', {
      source: text({ ...seedConfig('oygarden'), name: 'B' }),
      actor: 'po-b',
      expectedRevision: 1,
    });
    expect(
      (
        await refusal(
          store.saveDraft('oygarden', { source: '{}', actor: 'po-a', expectedRevision: 1 }),
        )
      ).code,
    ).toBe(ConfigStoreErrorCodes.draftConflict);
    expect(
      (
        await refusal(
          store.publishDraft('oygarden', { actor: 'po-a', comment: 'x', expectedRevision: 1 }),
        )
      ).code,
    ).toBe(ConfigStoreErrorCodes.draftConflict);
    expect(
      (await store.publishDraft('oygarden', { actor: 'po-b', comment: 'B', expectedRevision: 2 }))
        .version,
    ).toBe(2);
  });

  test('when publishes and rollbacks race from separate connections, then versions are numbered without gaps or duplicates and a stale draft is refused', async () => {
    await store.saveDraft('oygarden', {
      source: text({ ...seedConfig('oygarden'), name: 'Utkast' }),
      actor: 'po-a',
    });
    // A second store on its own connection(s), as a second API process would have.
    const other = opened.url ? await openPostgresDatabase(opened.url) : undefined;
    const second = other ? new ConfigStore(other) : store;
    try {
      const results = await Promise.allSettled([
        second.rollback('oygarden', { toVersion: 1, actor: 'po-b', comment: 'tilbake 1' }),
        store.publishDraft('oygarden', { actor: 'po-a', comment: 'utkast' }),
        second.rollback('oygarden', { toVersion: 1, actor: 'po-c', comment: 'tilbake 2' }),
      ]);
      const versions = (await store.versions('oygarden'))
        .map((v) => v.version)
        .sort((a, b) => a - b);
      const published = results.filter((r) => r.status === 'fulfilled').length;
      expect(versions).toEqual(Array.from({ length: published + 1 }, (_, i) => i + 1));
      const draftResult = results[1];
      if (draftResult.status === 'rejected') {
        expect((draftResult.reason as ConfigStoreError).code).toBe(
          ConfigStoreErrorCodes.publishConflict,
        );
      } else {
        // The draft won the race: it was based on the latest version when it was published.
        expect(draftResult.value.basedOn).toBe(draftResult.value.version - 1);
      }
      expect(results[0].status).toBe('fulfilled');
      expect(results[2].status).toBe('fulfilled');
    } finally {
      await other?.close();
    }
  });

  test('when an earlier version is rolled back to, then it is published again as a new version and history is kept', async () => {
    await store.saveDraft('oygarden', {
      source: text({ ...seedConfig('oygarden'), name: 'Feil' }),
      actor: 'po-1',
    });
    await store.publishDraft('oygarden', { actor: 'po-1', comment: 'ups' });
    const v3 = await store.rollback('oygarden', {
      toVersion: 1,
      actor: 'po-2',
      comment: 'tilbake til seed',
    });
    expect(v3).toMatchObject({
      version: 3,
      restoredFrom: 1,
      author: 'po-2',
      comment: 'tilbake til seed',
      basedOn: 2,
    });
    expect(v3.config).toEqual(seedConfig('oygarden'));
    expect((await store.published('oygarden', 2))!.config.name).toBe('Feil');
    expect(
      (await refusal(store.rollback('oygarden', { toVersion: 9, actor: 'po-2', comment: 'x' })))
        .code,
    ).toBe(ConfigStoreErrorCodes.versionNotFound);
    const trail = await store.auditTrail('oygarden');
    expect(trail.map((e) => e.action)).toEqual(['rolledBack', 'published', 'draftSaved', 'seeded']);
    expect(trail[0]).toMatchObject({
      actor: 'po-2',
      version: 3,
      reason: 'tilbake til seed',
      details: { restoredFrom: 1, replaced: 2 },
    });
  });

  test('when the schema is already up to date, then no migration runs twice', async () => {
    expect(await runMigrations(opened.db)).toEqual([]);
    const applied = await opened.db.query<{ name: string }>(
      'SELECT name FROM schema_migrations ORDER BY name',
    );
    expect(applied.map((r) => r.name)).toEqual(
      readdirSync(migrationsDir)
        .filter((f) => f.endsWith('.sql'))
        .sort(),
    );
    expect(applied.map((r) => r.name)).toContain('0002-case-log.sql');
  });

  test('when a kommune is unknown, then reads find nothing and writes are refused', async () => {
    expect(await store.latestPublished('atlantis')).toBeNull();
    expect((await refusal(store.saveDraft('atlantis', { source: '{}', actor: 'po' }))).code).toBe(
      ConfigStoreErrorCodes.kommuneNotFound,
    );
  });
});

test('when the embedded store is closed and opened again on its folder, then published versions and the audit trail are still there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluse-pglite-'));
  try {
    const first = await openConfigStore({ pgliteDir: dir, databaseUrl: '', seedDir: SEED_DIR });
    await first.store.saveDraft('oygarden', {
      source: text({ ...seedConfig('oygarden'), name: 'Varig' }),
      actor: 'po-1',
    });
    await first.store.publishDraft('oygarden', { actor: 'po-1', comment: 'varig' });
    await first.close();
    const second = await openConfigStore({ pgliteDir: dir, databaseUrl: '', seedDir: SEED_DIR });
    try {
      expect(second.seeded).toEqual([]);
      expect(await second.store.latestPublished('oygarden')).toMatchObject({
        version: 2,
        comment: 'varig',
        config: { name: 'Varig' },
      });
      expect((await second.store.auditTrail('oygarden')).map((e) => e.action)).toEqual([
        'published',
        'draftSaved',
        'seeded',
      ]);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
