/**
 * Key rotation (#19): data sealed under the old key is still read after a new key comes in, and
 * `npm run keys:reseal`'s job seals it again under the new one — the cases' logs (over more than
 * one page), the staff directory, the archive and the outbox — so that a ring without the old key
 * reads everything. What is already on the new key is left alone, and a second run has nothing to do.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileArchive, FileOutbox, type CaseRecord, type Notification } from '../../activities';
import { createSealer, keyRingOf, type DataKey, type Sealer } from '../../runtime/key-ring';
import { resealAtRest } from '../../runtime/reseal';
import { CaseLog, openDatabase, StaffDirectory, type SqlDatabase } from '../../store';
import type { Sequenced } from '../../store/case-log';
import { memoryDatabase } from '../support/memory-database';

const oldKey: DataKey = { id: 'k2025', key: randomBytes(32) };
const newKey: DataKey = { id: 'k2026', key: randomBytes(32) };
const before = createSealer(keyRingOf(oldKey));
const rotated = createSealer(keyRingOf(newKey, [oldKey]));
const onlyNew = createSealer(keyRingOf(newKey));
/** More than one of the job's pages. */
const LOG_ENTRIES = 1_100;

let db: SqlDatabase;
beforeAll(async () => {
  db = await openDatabase(memoryDatabase());
});
afterAll(() => db?.close());

const record: CaseRecord = {
  kommune: 'oygarden',
  caseId: 'c1',
  configVersion: 1,
  closedAt: '2026-05-01T10:00:00.000Z',
  state: { holder: { id: 'los-1', role: 'familielos' } },
  history: [{ seq: 1, kind: 'opened', payload: { barnetsNavn: 'Kari' } }],
};
const notification = {
  key: 'case-oygarden-c1/3/0',
  kommune: 'oygarden',
  caseId: 'c1',
  kind: 'notify',
  to: 'holder',
  toId: 'los-1',
  template: 'notat',
  title: 'Notat',
  body: 'Nytt i sak c1.',
  reason: 'test',
  createdAt: '2026-05-01T10:00:00.000Z',
} as unknown as Notification;

function stores(sealer: Sealer, dir: string) {
  return {
    log: new CaseLog(db, sealer),
    staff: new StaffDirectory(db, sealer),
    archive: new FileArchive(join(dir, 'archive'), sealer),
    outbox: new FileOutbox(join(dir, 'outbox'), sealer),
  };
}

test('when the data key is rotated and the reseal job runs, then everything sealed under the old key is sealed under the new one and reads without the old key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluse-reseal-'));
  const old = stores(before, dir);
  const entries = Array.from({ length: LOG_ENTRIES }, (_, i) => ({ seq: i + 1, what: `e${i}` }));
  await old.log.append('oygarden', 'c1', entries);
  await old.staff.put({
    kommune: 'oygarden',
    personId: 'los-1',
    displayName: 'Lise Los',
    email: 'lise.los@oygarden.example',
    actor: 'leder-1',
  });
  await old.archive.put(record);
  await old.outbox.put(notification);
  await old.outbox.writeSent(notification, {
    'los-1': { channel: 'email', at: '2026-05-01T10:01:00.000Z' },
  });

  // After the rotation, new writes use the new key, and the old data still reads.
  const now = stores(rotated, dir);
  await now.log.append('oygarden', 'c2', [{ seq: 1, what: 'ny' } as Sequenced]);
  expect(await now.log.read('oygarden', 'c1')).toEqual(entries);
  await expect(stores(onlyNew, dir).log.read('oygarden', 'c1')).rejects.toThrow(
    /unknown key "k2025"/,
  );

  const report = await resealAtRest({ db, sealer: rotated, currentKeyId: newKey.id, dataDir: dir });
  expect(report).toEqual({
    case_log: { checked: LOG_ENTRIES + 1, resealed: LOG_ENTRIES },
    staff_directory: { checked: 1, resealed: 1 },
    archive: { checked: 1, resealed: 1 },
    outbox: { checked: 2, resealed: 2 },
    mail: { checked: 0, resealed: 0 },
  });

  // The old key can go: a ring without it reads everything.
  const after = stores(onlyNew, dir);
  expect(await after.log.read('oygarden', 'c1')).toEqual(entries);
  expect(await after.log.read('oygarden', 'c2')).toEqual([{ seq: 1, what: 'ny' }]);
  expect(await after.staff.get('oygarden', 'los-1')).toMatchObject({
    displayName: 'Lise Los',
    email: 'lise.los@oygarden.example',
  });
  expect(await after.archive.get('oygarden', 'c1')).toEqual(record);
  expect(await after.outbox.list('oygarden')).toEqual([notification]);
  expect(await after.outbox.readSent(notification)).toEqual({
    'los-1': { channel: 'email', at: '2026-05-01T10:01:00.000Z' },
  });

  const again = await resealAtRest({ db, sealer: rotated, currentKeyId: newKey.id, dataDir: dir });
  expect(Object.values(again).every((c) => c.resealed === 0)).toBe(true);
});
