/**
 * The stafettlogg in the store, on PGlite and on a real PostgreSQL: written once per entry
 * however often a write is retried, read back complete and in order, sealed at rest, and
 * readable after the data key is rotated. Beside it (the same databases, to start no more of
 * them), the family sessions signed out: seen by every process, hashed, pruned once expired.
 */
import { randomBytes } from 'node:crypto';
import { createSealer, keyRingOf, type DataKey } from '../../runtime/key-ring';
import { CaseLog, EndedSessions, sessionIdHash } from '../../store';
import { pgliteBackend, postgresBackend, type Backend, type TestStore } from './helpers';

const backends: Backend[] = [pgliteBackend(), postgresBackend()];
const oldKey: DataKey = { id: 'k2025', key: randomBytes(32) };
const newKey: DataKey = { id: 'k2026', key: randomBytes(32) };

const entry = (seq: number, what = `event ${seq}`) => ({
  seq,
  at: new Date(Date.UTC(2026, 0, seq)).toISOString(),
  kind: 'event',
  what,
});

describe.each(backends)('case log on $name', (backend) => {
  let opened: TestStore;
  let log: CaseLog;

  // One database for the file (opening one is slow); each test has its own case ids.
  beforeAll(async () => {
    opened = await backend.open();
    log = new CaseLog(opened.db, createSealer(keyRingOf(oldKey)));
  });
  afterAll(async () => {
    await opened?.close();
    await backend.stop();
  });

  test('when a write is retried with entries already stored, then each entry is stored once, as first written, and read back in order', async () => {
    await log.append('nav-holf', 'c1', [entry(2), entry(1)]);
    await log.append('nav-holf', 'c1', [entry(2, 'a replay writes the same seq again'), entry(3)]);
    await log.append('nav', 'c1', [entry(1, 'another kommune, same case id')]);

    expect(await log.read('nav-holf', 'c1')).toEqual([entry(1), entry(2), entry(3)]);
    expect(await log.read('nav', 'c1')).toEqual([entry(1, 'another kommune, same case id')]);
    expect(await log.read('nav-holf', 'c2')).toEqual([]);
  });

  test("when the workflow's unwritten tail overlaps what is stored, then the complete log has every seq once, in order", async () => {
    await log.append('oygarden', 'tail-1', [entry(1), entry(2), entry(3)]);
    const complete = await log.complete('oygarden', 'tail-1', async () => [
      entry(3),
      entry(4),
      entry(5),
    ]);
    expect(complete.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  test('when an entry holds a name, then the database has it only sealed: kommune, case id and seq are all that is in clear', async () => {
    const canary = `Kari-${randomBytes(6).toString('hex')}`;
    await log.append('oygarden', 'canary-1', [
      { ...entry(1), payload: { navn: canary } } as ReturnType<typeof entry>,
    ]);

    const rows = await opened.db.query<Record<string, unknown>>(
      `SELECT * FROM case_log WHERE case_id = 'canary-1'`,
    );
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]).sort()).toEqual(['case_id', 'entry', 'kommune', 'seq']);
    const bytes = Buffer.from(rows[0].entry as Uint8Array);
    expect(bytes.includes(canary)).toBe(false);
    expect(bytes.includes('event')).toBe(false);
    expect((await log.read('oygarden', 'canary-1'))[0]).toMatchObject({
      payload: { navn: canary },
    });
  });

  test('when the data key is rotated, then entries sealed with the old key still read, and new ones are sealed with the new key', async () => {
    await log.append('oygarden', 'rotated-1', [entry(1)]);
    const rotated = new CaseLog(opened.db, createSealer(keyRingOf(newKey, [oldKey])));
    await rotated.append('oygarden', 'rotated-1', [entry(2)]);

    expect(await rotated.read('oygarden', 'rotated-1')).toEqual([entry(1), entry(2)]);
    const sealer = createSealer(keyRingOf(newKey, [oldKey]));
    const rows = await opened.db.query<{ seq: number; entry: Uint8Array }>(
      `SELECT seq, entry FROM case_log WHERE case_id = 'rotated-1' ORDER BY seq`,
    );
    expect(rows.map((r) => sealer.keyIdOf(r.entry))).toEqual(['k2025', 'k2026']);
    // Without the old key in the ring, the old entry cannot be opened: it really is sealed with it.
    await expect(
      new CaseLog(opened.db, createSealer(keyRingOf(newKey))).read('oygarden', 'rotated-1'),
    ).rejects.toThrow(/unknown key "k2025"/);
  });

  test("when a sealed entry is moved into another case's rows, then reading that case refuses it", async () => {
    await log.append('oygarden', 'moved-1', [entry(1)]);
    await opened.db.query(`UPDATE case_log SET case_id = 'moved-2' WHERE case_id = 'moved-1'`);
    await expect(log.read('oygarden', 'moved-2')).rejects.toThrow(/another case's entry/);
  });

  test('when a family session is signed out in one process, then another process, and one started later, find it ended until it expires; the id is stored only hashed and pruned after', async () => {
    let now = new Date('2026-11-28T10:00:00Z');
    const clock = () => now;
    const here = new EndedSessions(opened.db, clock);
    const elsewhere = new EndedSessions(opened.db, clock);
    const sid = `sid-${randomBytes(24).toString('base64url')}`;
    // Asked before the sign-out: "not ended" must not be remembered there.
    expect(await elsewhere.isEnded(sid)).toBe(false);
    await here.end(sid, new Date('2026-11-28T11:00:00Z'));
    expect(await elsewhere.isEnded(sid)).toBe(true);
    expect(await new EndedSessions(opened.db, clock).isEnded(sid)).toBe(true);
    expect(await here.isEnded('another-session')).toBe(false);

    const rows = await opened.db.query<{ sid_hash: string }>(
      'SELECT sid_hash FROM ended_family_session',
    );
    expect(rows).toEqual([{ sid_hash: sessionIdHash(sid) }]);
    expect(JSON.stringify(rows)).not.toContain(sid.slice(4));

    // Past its expiry the session is refused by its own seal anyway: the row goes at the next sign-out.
    now = new Date('2026-11-28T11:00:01Z');
    expect(await new EndedSessions(opened.db, clock).isEnded(sid)).toBe(false);
    await here.end('next-session', new Date('2026-11-28T12:00:01Z'));
    expect(await opened.db.query('SELECT sid_hash FROM ended_family_session')).toEqual([
      { sid_hash: sessionIdHash('next-session') },
    ]);
  });
});
