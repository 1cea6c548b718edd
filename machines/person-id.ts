/**
 * The one format for ids that name people (token `sub`, holders, team and family members) and
 * for case ids. Ids end up in state, pseudonyms and the log, so they are short and plain: no
 * spaces, control characters, line breaks or bidirectional overrides that could disguise one
 * person as another on a screen.
 */

/** 1–64 of A–Z a–z 0–9 and `. _ @ : -`, starting with a letter or digit. */
export const PERSON_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}$/;
export const PERSON_ID_MAX_LENGTH = 64;

export function isPersonId(value: unknown): value is string {
  return typeof value === 'string' && PERSON_ID_PATTERN.test(value);
}

/** A case id as the engine makes them: 20 characters of the readable alphabet, no separators. */
export const CASE_ID_PATTERN = /^[a-km-np-z2-9]{20}$/;

export function isCaseId(value: unknown): value is string {
  return typeof value === 'string' && CASE_ID_PATTERN.test(value);
}
