/**
 * Who a signed-in family member is, kept as little as possible: a keyed hash instead of the
 * fødselsnummer, an age instead of a birth date, and the family role the kommune config gives
 * that age — or a refusal in plain bokmål.
 */
import { randomBytes } from 'node:crypto';
import {
  ageOn,
  birthDateOf,
  familyRoleFor,
  familyUserId,
} from '../../server/family/family-identity';
import { loadSeed } from '../machines/support';
import { PERSON_ID_PATTERN } from '../../machines/person-id';

test('the user id is a stable keyed hash in the person-id format that does not contain the number', () => {
  const key = randomBytes(32);
  const id = familyUserId('12848449107', key);
  expect(id).toMatch(new RegExp(PERSON_ID_PATTERN));
  expect(id).not.toContain('12848449107');
  expect(familyUserId('12848449107', key)).toBe(id);
  expect(familyUserId('12848449107', randomBytes(32))).not.toBe(id);
});

test('the birth date comes from the ID token, else from the number (D-number, synthetic test number)', () => {
  expect(birthDateOf({ birthdate: '2011-05-01', pid: '01010112345' })).toBe('2011-05-01');
  expect(birthDateOf({ pid: '12038449107' })).toBe('1984-03-12');
  expect(birthDateOf({ pid: '52038449107' })).toBe('1984-03-12');
  expect(birthDateOf({ pid: '12838449107' })).toBe('1984-03-12');
  expect(birthDateOf({ pid: '01011050012' })).toBe('2010-01-01');
  expect(birthDateOf({ pid: 'not-a-number' })).toBeNull();
  expect(ageOn('2011-05-01', new Date('2026-04-30T12:00:00Z'))).toBe(14);
  expect(ageOn('2011-05-01', new Date('2026-05-01T12:00:00Z'))).toBe(15);
});

test('an adult signs in as the parent role, a 15-year-old as the youth role, a 14-year-old is told why not', () => {
  const lorenskog = loadSeed('lorenskog');
  expect(familyRoleFor(lorenskog, 41)).toEqual({ ok: true, role: 'foresatt' });
  expect(familyRoleFor(lorenskog, 15)).toEqual({ ok: true, role: 'ungdom' });
  const refused = familyRoleFor(lorenskog, 14);
  expect(refused.ok).toBe(false);
  expect(!refused.ok && refused.nb).toMatch(/^Du må være minst 15 år/);
  // Øygarden has a parent role and no youth role: a parent signs in, a youth is refused.
  expect(familyRoleFor(loadSeed('oygarden'), 41)).toMatchObject({ ok: true, role: 'foresatt' });
  expect(familyRoleFor(loadSeed('oygarden'), 16).ok).toBe(false);
});
