/**
 * Case ids and the ids that make commands idempotent. Case ids end up in workflow ids, URLs and
 * logs, so they are random (or a hash of a random client key) and never carry personal data.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // no l/o/0/1: ids get read aloud on the phone

function encode(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}

/** A fresh case id: 20 characters from a 32-letter alphabet (100 bits). */
export function randomCaseId(): string {
  return encode(randomBytes(20), 20);
}

/** The case id an Idempotency-Key opens: the same kommune and key always give the same id. */
export function caseIdFromKey(kommune: string, key: string): string {
  return encode(createHash('sha256').update(`sluse-case\n${kommune}\n${key}`).digest(), 20);
}

export function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 24);
}
