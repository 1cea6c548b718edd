/**
 * Pseudonyms of user ids: a keyed hash (HMAC-SHA-256), so search attributes and list filters
 * can match people without holding an id anyone could read or look up. Pure JavaScript, so the
 * workflow computes the same value as the API; the key comes from runtime/key-ring.ts.
 *
 * @example
 * pseudonym(key, 'veileder-42') // 'p-3q2…' (22 base64url characters after the prefix)
 */
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha256';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out +=
      BASE64URL[n >> 18] + BASE64URL[(n >> 12) & 63] + BASE64URL[(n >> 6) & 63] + BASE64URL[n & 63];
  }
  return out;
}

/** `key`: the pseudonym key's bytes. 128 bits of the hash: no collisions among a kommune's staff. */
export function pseudonym(key: Uint8Array, userId: string): string {
  const mac = hmac(sha256, key, new TextEncoder().encode(userId));
  return `p-${base64url(mac.subarray(0, 18))}`;
}

/**
 * The key's bytes from base64 (how the key travels in a workflow's input). Written out here
 * because workflow code has neither `Buffer` nor a guaranteed `atob`.
 *
 * @example
 * pseudonym(decodePseudonymKey(input.pseudonymKey), holder.id)
 */
export function decodePseudonymKey(base64: string): Uint8Array {
  const clean = base64.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((clean.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const char of clean) {
    const digit = BASE64.indexOf(char);
    if (digit < 0) throw new Error('pseudonym key: not base64');
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (value >> bits) & 0xff;
    }
  }
  return bytes;
}
