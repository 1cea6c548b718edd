/**
 * The staff directory keeps how staff are reached sealed: the database holds no name, address or
 * number in clear, not in the row and not in the audit trail, and reads them back for delivery.
 */
import { randomBytes } from 'node:crypto';
import { createSealer, keyRingOf } from '../../runtime/key-ring';
import { openDatabase, StaffDirectory, type SqlDatabase } from '../../store';
import { memoryDatabase } from '../support/memory-database';

let db: SqlDatabase;
beforeAll(async () => {
  db = await openDatabase(memoryDatabase());
});
afterAll(() => db?.close());

test('when a leader lists a staff member, then delivery reads their details back while the database holds them only sealed', async () => {
  const dir = new StaffDirectory(db, createSealer(keyRingOf({ id: 'k', key: randomBytes(32) })));
  await dir.put({
    kommune: 'lorenskog',
    personId: 'leder-7',
    role: 'leder',
    displayName: 'Line Leder',
    email: 'line.leder@lorenskog.example',
    mobile: '+4798765432',
    preferredChannel: 'sms',
    actor: 'admin-1',
  });
  expect(await dir.get('lorenskog', 'leder-7')).toMatchObject({
    personId: 'leder-7',
    role: 'leder',
    displayName: 'Line Leder',
    email: 'line.leder@lorenskog.example',
    mobile: '+4798765432',
    preferredChannel: 'sms',
    setBy: 'admin-1',
  });
  expect((await dir.withRole('lorenskog', 'leder')).map((e) => e.personId)).toEqual(['leder-7']);
  expect(await dir.get('oygarden', 'leder-7')).toBeNull();

  const raw = JSON.stringify(
    await db.query(
      "SELECT encode(contact, 'escape') AS c, role FROM staff_directory UNION ALL SELECT details::text, action FROM config_audit",
    ),
  );
  expect(raw).not.toMatch(/Line Leder|line\.leder|98765432/);

  expect(await dir.remove({ kommune: 'lorenskog', personId: 'leder-7', actor: 'admin-1' })).toBe(
    true,
  );
  expect(await dir.get('lorenskog', 'leder-7')).toBeNull();
});
