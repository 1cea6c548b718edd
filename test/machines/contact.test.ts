/**
 * The e-mail shape the staff directory and family contact details accept. The pattern runs on
 * request bodies before any length check stops it, so an adversarial address must be refused
 * without backtracking: with the earlier pattern this input held the event loop for minutes, and
 * the match here is cut off as a hang.
 */
import { runInNewContext } from 'node:vm';
import { EMAIL_PATTERN, isEmail } from '../../machines/contact';

/** Runs the pattern where a hang is cut off (a linear match takes milliseconds). */
const testCutOff = (input: string): unknown =>
  runInNewContext('pattern.test(input)', { pattern: EMAIL_PATTERN, input }, { timeout: 5_000 });

test('when an address has dotted domain labels, it is accepted; an empty label, no dot or a space is refused', () => {
  expect(['kari@example.no', 'a.b@sub.kommune.no'].map((a) => isEmail(a))).toEqual([true, true]);
  expect(['a@b', 'a@.no', 'a@b..no', 'a b@c.no'].map((a) => isEmail(a))).toEqual([
    false,
    false,
    false,
    false,
  ]);
});

test('when an address of a quarter of a megabyte of dots is sent, the pattern refuses it at once', () => {
  expect(testCutOff(`a@${'.'.repeat(250_000)} `)).toBe(false);
  expect(testCutOff(`a@${'b.'.repeat(125_000)} `)).toBe(false);
});
