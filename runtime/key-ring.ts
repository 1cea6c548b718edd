/**
 * The keys that protect personal data at rest: data keys that encrypt (Temporal payloads, the
 * archive, the outbox, the case log in the store) and the pseudonym key that turns user ids into
 * keyed hashes for search attributes.
 *
 * Every sealed value names the id of the key that sealed it, so keys can be rotated: a new
 * current key seals from now on, and old keys, kept in the ring, still open what they sealed.
 *
 * Keys come from the environment in a deployment (every API process and worker shares them):
 * - `SLUSE_PAYLOAD_KEY` (32 bytes, base64) with `SLUSE_PAYLOAD_KEY_ID` (default `env`): the
 *   current data key; `SLUSE_PAYLOAD_OLD_KEYS` = `id:base64,id:base64`: earlier keys, for reading.
 * - `SLUSE_PSEUDONYM_KEY` (32 bytes, base64): the pseudonym key; never rotated, since lists
 *   filter by its hashes.
 * - `SLUSE_LINK_KEY` (32 bytes, base64): turns the id of a feedback link in a case's history into
 *   the link's token (activities/feedback-link.ts); only workers need it, never Temporal.
 * Unset, each is generated once into `<data>/keys/` (mode 0600).
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsError } from './temporal-settings';

export interface DataKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  /** Seals everything new. */
  current: DataKey;
  /** Every key that may open data, the current one included, by id. */
  keys: ReadonlyMap<string, DataKey>;
  /** HMAC key for pseudonyms of user ids (see machines/pseudonym.ts). */
  pseudonymKey: Buffer;
  /** HMAC key of feedback links' tokens (see activities/feedback-link.ts). */
  linkKey: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

function decodeKey(name: string, base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new SettingsError(`${name}: expected 32 bytes, base64-encoded`);
  return key;
}

function checkId(name: string, id: string): string {
  if (!KEY_ID.test(id))
    throw new SettingsError(`${name}: key id "${id}" must be 1–32 of A–Z a–z 0–9 _ . -`);
  return id;
}

/** A key file under `<data>/keys/`, created with 32 random bytes on first use. */
function localKey(dataDir: string, file: string): Buffer {
  const path = join(dataDir, 'keys', file);
  if (!existsSync(path)) {
    mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      // Another process of the same stack created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    chmodSync(path, 0o600);
  }
  return decodeKey(path, readFileSync(path, 'utf8'));
}

export function loadKeyRing(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeyRing {
  const keys = new Map<string, DataKey>();
  let current: DataKey;
  if (env.SLUSE_PAYLOAD_KEY) {
    current = {
      id: checkId('SLUSE_PAYLOAD_KEY_ID', env.SLUSE_PAYLOAD_KEY_ID || 'env'),
      key: decodeKey('SLUSE_PAYLOAD_KEY', env.SLUSE_PAYLOAD_KEY),
    };
  } else {
    current = { id: 'local', key: localKey(dataDir, 'payload.key') };
  }
  for (const item of (env.SLUSE_PAYLOAD_OLD_KEYS ?? '').split(',').filter((s) => s.trim())) {
    const at = item.indexOf(':');
    if (at < 0)
      throw new SettingsError(
        'SLUSE_PAYLOAD_OLD_KEYS: expected id:base64 items separated by commas',
      );
    const id = checkId('SLUSE_PAYLOAD_OLD_KEYS', item.slice(0, at).trim());
    keys.set(id, { id, key: decodeKey(`SLUSE_PAYLOAD_OLD_KEYS (${id})`, item.slice(at + 1)) });
  }
  keys.set(current.id, current);
  const pseudonymKey = env.SLUSE_PSEUDONYM_KEY
    ? decodeKey('SLUSE_PSEUDONYM_KEY', env.SLUSE_PSEUDONYM_KEY)
    : localKey(dataDir, 'pseudonym.key');
  const linkKey = env.SLUSE_LINK_KEY
    ? decodeKey('SLUSE_LINK_KEY', env.SLUSE_LINK_KEY)
    : localKey(dataDir, 'link.key');
  return { current, keys, pseudonymKey, linkKey };
}

/** A ring from fixed keys, for tests and tools. */
export function keyRingOf(
  current: DataKey,
  older: DataKey[] = [],
  pseudonymKey: Buffer = randomBytes(32),
  linkKey: Buffer = randomBytes(32),
): KeyRing {
  return {
    current,
    keys: new Map([...older, current].map((k) => [k.id, k])),
    pseudonymKey,
    linkKey,
  };
}

const MAGIC = Buffer.from('SLS1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Opens and seals bytes with a ring; what activities and the store are given. */
export interface Sealer {
  seal(plain: Uint8Array): Buffer;
  open(sealed: Uint8Array): Buffer;
  /** The id of the key that sealed this value (for re-encryption jobs). */
  keyIdOf(sealed: Uint8Array): string;
}

/**
 * AES-256-GCM, a random IV per value. Layout: `SLS1`, key-id length (1 byte), key id, IV, tag,
 * ciphertext. The header is authenticated as associated data, so a key id cannot be swapped.
 */
export function createSealer(ring: KeyRing): Sealer {
  function header(id: string): Buffer {
    const idBytes = Buffer.from(id);
    return Buffer.concat([MAGIC, Buffer.from([idBytes.length]), idBytes]);
  }
  function parse(sealed: Uint8Array): { id: string; head: Buffer; body: Buffer } {
    const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (buf.length < MAGIC.length + 1 || !buf.subarray(0, MAGIC.length).equals(MAGIC))
      throw new Error('not a sealed value');
    const idLength = buf[MAGIC.length];
    const headLength = MAGIC.length + 1 + idLength;
    if (buf.length < headLength + IV_BYTES + TAG_BYTES)
      throw new Error('sealed value is truncated');
    return {
      id: buf.subarray(MAGIC.length + 1, headLength).toString(),
      head: buf.subarray(0, headLength),
      body: buf.subarray(headLength),
    };
  }
  return {
    seal(plain) {
      const head = header(ring.current.id);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
      cipher.setAAD(head);
      const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([head, iv, cipher.getAuthTag(), sealed]);
    },
    open(sealed) {
      const { id, head, body } = parse(sealed);
      const key = ring.keys.get(id);
      if (!key) throw new Error(`sealed with unknown key "${id}"`);
      const decipher = createDecipheriv('aes-256-gcm', key.key, body.subarray(0, IV_BYTES));
      decipher.setAAD(head);
      decipher.setAuthTag(body.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(body.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
    },
    keyIdOf: (sealed) => parse(sealed).id,
  };
}

export function sealJson(sealer: Sealer, value: unknown): Buffer {
  return sealer.seal(Buffer.from(JSON.stringify(value)));
}

export function openJson<T>(sealer: Sealer, sealed: Uint8Array): T {
  return JSON.parse(sealer.open(sealed).toString('utf8')) as T;
}
