/**
 * A fourth kommune is a file: dropped into the config folder beside the seeds, it validates,
 * compiles, is seeded into the store and runs a case through the API, while the seeds are
 * seeded as they were. Its guide's constructs ("only the stafettholder acts") work over HTTP.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigDir } from '../../config';
import { compileKommune } from '../../machines';
import { openConfigStore, type OpenedConfigStore } from '../../store';
import { startApiStack, type ApiStack } from '../server/api-stack';
import { CaseClient } from '../server/case-client';
import { KOMMUNER_DIR } from '../machines/support';
import { memoryDatabase } from '../support/memory-database';

jest.setTimeout(180_000);

const FOURTH = join(__dirname, '..', 'workflows', 'fixtures', 'holder-only.json');
const K = 'stafett';
const seedFiles = readdirSync(KOMMUNER_DIR).filter((f) => f.endsWith('.json'));

let dir: string;
let opened: OpenedConfigStore;
let stack: ApiStack;

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'sluse-fourth-')), 'kommuner');
  mkdirSync(dir);
  for (const f of seedFiles) copyFileSync(join(KOMMUNER_DIR, f), join(dir, f));
  copyFileSync(FOURTH, join(dir, `${K}.json`));
  opened = await openConfigStore({ ...memoryDatabase(), seedDir: dir });
  stack = await startApiStack({ configStore: opened.store });
});
afterAll(async () => {
  await stack?.stop();
  await opened?.close();
});

test('when a fourth kommune file lies beside the seeds, then all four validate, compile and are seeded into the store', () => {
  const loaded = loadConfigDir(dir);
  expect(loaded.errors).toEqual([]);
  expect([...loaded.configs.keys()].sort()).toEqual(
    [...seedFiles.map((f) => f.replace(/\.json$/, '')), K].sort(),
  );
  for (const config of loaded.configs.values())
    expect(() => compileKommune(config, 1)).not.toThrow();
  expect([...opened.seeded].sort()).toEqual([...loaded.configs.keys()].sort());
});

test('when a coordinator opens a case in the fourth kommune through the API, then its holder acts on it and a team member with the same role is refused a holder-only event with 403', async () => {
  const c = new CaseClient(stack, K);
  const opened = await c.open('koordinator', 'skole', {}, 'koordinator-1');
  expect(opened.holder?.id).toBe('koordinator-1');
  await c.send(
    'koordinator',
    'leggTilTeam',
    { medlemmer: [{ id: 'koordinator-3' }] },
    'koordinator-1',
  );

  const refused = await c.trySend('koordinator', 'registrerMote', {}, 'koordinator-3');
  expect(refused.status).toBe(403);
  expect(refused.body.error).toMatchObject({
    code: 'ACTOR_NOT_ALLOWED',
    allowedEvents: ['skrivNotat', 'byttKoordinator', 'avslutt'],
  });
  const asMember = await c.get('koordinator', 'koordinator-3');
  expect(asMember.body.allowedEvents.map((e) => e.type)).toEqual([
    'skrivNotat',
    'byttKoordinator',
    'avslutt',
  ]);
  await c.send('koordinator', 'skrivNotat', {}, 'koordinator-3');

  await c.send('koordinator', 'registrerMote', {}, 'koordinator-1');
  const closed = await c.send('leder', 'avslutt', {}, 'leder-1');
  expect(closed.status).toBe('closed');
});
