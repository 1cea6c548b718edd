/**
 * Canonical JSON is what makes a retried request "the same request" (idempotency hashes) and
 * what the config diff calls "unchanged": key order never matters, array order always does.
 */
import { canonicalJson, sameJson } from '../../config/canonical-json';

test('two objects that differ only in key order, at any depth, give the same text', () => {
  const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: null } };
  const b = { a: { x: null, y: [1, { p: 2, q: 1 }] }, b: 1 };
  expect(canonicalJson(a)).toBe(canonicalJson(b));
  expect(canonicalJson(a)).toBe('{"a":{"x":null,"y":[1,{"p":2,"q":1}]},"b":1}');
  expect(sameJson(a, b)).toBe(true);
});

test('array order, values and present-versus-missing keys all count', () => {
  expect(sameJson([1, 2], [2, 1])).toBe(false);
  expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
  expect(sameJson({ a: null }, {})).toBe(false);
  expect(sameJson(undefined, null)).toBe(false);
  expect(sameJson(undefined, undefined)).toBe(true);
});

test('a key left undefined is the same as a key left out, as in JSON itself', () => {
  expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
});

test('the text is the one open commands already in histories were hashed with', () => {
  // Changing it changes the update id of a retried open (server/case-service.ts).
  expect(canonicalJson({ referralSource: 'skole', payload: { z: 1, a: [true, 'x'] } })).toBe(
    '{"payload":{"a":[true,"x"],"z":1},"referralSource":"skole"}',
  );
});
