/**
 * The archive and the outbox at rest: sealed files only this process's user can read, that open
 * again with the key ring, also after the data key is rotated.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileArchive, FileOutbox, type CaseRecord, type Notification } from '../../activities';
import { createSealer, keyRingOf, type DataKey } from '../../runtime/key-ring';

const oldKey: DataKey = { id: 'k2025', key: randomBytes(32) };
const newKey: DataKey = { id: 'k2026', key: randomBytes(32) };
const canary = () => `Ola-Nordmann-${randomBytes(6).toString('hex')}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

function record(name: string): CaseRecord {
  return {
    kommune: 'oygarden',
    caseId: 'c1',
    configVersion: 1,
    closedAt: '2026-05-01T10:00:00.000Z',
    state: { holder: { id: name, role: 'familielos' } },
    history: [{ seq: 1, kind: 'opened', payload: { barnetsNavn: name } }],
  };
}

function notification(name: string): Notification {
  return {
    key: 'case-oygarden-c1/3/0',
    kommune: 'oygarden',
    caseId: 'c1',
    kind: 'notify',
    to: 'holder',
    toId: name,
    template: 'notat',
    title: 'Notat',
    body: 'Nytt i sak c1.',
    reason: 'test',
    createdAt: '2026-05-01T10:00:00.000Z',
  };
}

test('when a case record is archived, then the file holds no plaintext, is mode 0600, and opens back whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluse-archive-'));
  const archive = new FileArchive(dir, createSealer(keyRingOf(oldKey)));
  const name = canary();
  await archive.put(record(name));

  const files = filesUnder(dir);
  expect(files).toHaveLength(1);
  expect(readFileSync(files[0]).includes(name)).toBe(false);
  expect(readFileSync(files[0]).includes('barnetsNavn')).toBe(false);
  expect(statSync(files[0]).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'oygarden')).mode & 0o777).toBe(0o700);
  expect(await archive.get('oygarden', 'c1')).toEqual(record(name));
  expect(await archive.get('oygarden', 'no-such-case')).toBeNull();
});

test('when the data key is rotated, then an archive written under the old key still opens, and only with the old key in the ring', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluse-archive-'));
  const name = canary();
  await new FileArchive(dir, createSealer(keyRingOf(oldKey))).put(record(name));

  const rotated = new FileArchive(dir, createSealer(keyRingOf(newKey, [oldKey])));
  expect(await rotated.get('oygarden', 'c1')).toEqual(record(name));
  await expect(
    new FileArchive(dir, createSealer(keyRingOf(newKey))).get('oygarden', 'c1'),
  ).rejects.toThrow(/unknown key "k2025"/);

  // Written again after the rotation, it is sealed with the new key.
  await rotated.put(record(name));
  expect(createSealer(keyRingOf(newKey)).keyIdOf(readFileSync(filesUnder(dir)[0]))).toBe('k2026');
});

test('when a notification is put in the outbox, then the file holds no recipient id in clear, is mode 0600, and lists back; the same key twice stays one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluse-outbox-'));
  const outbox = new FileOutbox(dir, createSealer(keyRingOf(oldKey)));
  const name = canary();
  expect(await outbox.put(notification(name))).toBe('stored');
  expect(await outbox.put(notification(name))).toBe('duplicate');

  const files = filesUnder(dir);
  expect(files).toHaveLength(1);
  expect(readFileSync(files[0]).includes(name)).toBe(false);
  expect(statSync(files[0]).mode & 0o777).toBe(0o600);
  expect(await outbox.list('oygarden', 'c1')).toEqual([notification(name)]);

  const rotated = new FileOutbox(dir, createSealer(keyRingOf(newKey, [oldKey])));
  expect(await rotated.list('oygarden')).toEqual([notification(name)]);
});
