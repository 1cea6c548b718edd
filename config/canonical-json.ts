/**
 * Canonical JSON: `JSON.stringify` with every object's keys sorted, so two values that differ
 * only in key order give the same text. Idempotency hashes (server/case-service.ts) and the
 * config diff's equality (store/config-diff.ts) both rest on it; one definition keeps "equal"
 * meaning the same in both. Its output is part of the update ids of open commands already in
 * Temporal's histories: change it only knowing that a retried open then hashes differently.
 *
 * @module
 */

/** JSON with sorted object keys; `undefined` for `undefined` (like `JSON.stringify`). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

/** Structural equality of JSON values where object key order does not matter but array order does. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
