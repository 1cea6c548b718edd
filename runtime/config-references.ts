/**
 * A published config version goes to Temporal as a reference, not as its 28–52 KB of JSON.
 *
 * A case carries its config in its workflow input (and a migration in its update). This codec
 * finds, in a payload, the exact bytes of a published version it has checked against the store,
 * and sends the payload without them, naming `{kommune, version, digest}` and where they were.
 * When the payload comes in, it puts the same bytes back, from the store or its memory, and
 * checks their digest. The workflow sees the value it would have seen without the codec, so
 * replay is unchanged; a payload with no such bytes travels as it is, so a miss costs bytes,
 * never a case.
 *
 * Why a codec and not a lookup in the workflow: a lookup is a side effect the workflow would have
 * to record (a local activity, the same bytes in history); the codec sits outside the workflow's
 * determinism, and published versions never change, so the bytes it restores are the bytes sent.
 * A version the store lacks (or holds with other bytes) fails the workflow task, which Temporal
 * retries: the case waits, it is not changed.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { KommuneConfig } from '../config/types';

/** Where published versions are read (the config store, or the seed files in tests and benches). */
export type PublishedVersion = (
  kommune: string,
  version: number,
) => Promise<KommuneConfig | undefined>;

const JSON_ENCODING = 'json/plain';
/** Unknown to the SDK's converters: a worker without this codec fails the task, not the case. */
const REFERENCE_ENCODING = 'json/config-reference';
/** Where a reference payload names the config it left out. */
const REFERENCE_KEY = 'config-reference';
/**
 * Versions kept in memory per process; beyond it the least recently used is read from the store
 * again. Each outgoing payload is searched for each (a needle longer than the payload costs nothing).
 */
const MAX_KEPT = 64;

interface Reference {
  kommune: string;
  version: number;
  digest: string;
  /** The byte offset in the payload where the config's bytes were. */
  at: number;
}

interface Known {
  kommune: string;
  version: number;
  data: Buffer;
}

export class ConfigReferences implements PayloadCodec {
  /** By digest: the bytes of a checked version, least recently used first. */
  private readonly known = new Map<string, Known>();
  /** The digest of each object remembered, so a case opening on a known version hashes nothing. */
  private readonly remembered = new WeakMap<KommuneConfig, string>();

  /** `source` may be set later: processes load their keys (and this codec) before the store opens. */
  constructor(public source?: PublishedVersion) {}

  /**
   * Lets `config` (version `version` of `kommune`) travel as a reference: from here on, a payload
   * holding exactly its JSON is sent without it. Only when the source gives the same bytes for
   * that version, so every process that restores it restores what was sent; a source that cannot
   * answer now leaves the config to travel whole (and is asked again next time).
   */
  async remember(kommune: string, version: number, config: KommuneConfig): Promise<void> {
    if (!this.source) return;
    const seen = this.remembered.get(config);
    if (seen && this.known.has(seen)) return;
    const data = jsonBytes(config);
    const digest = digestOf(data);
    if (!this.known.has(digest)) {
      const stored = await this.source(kommune, version).catch(() => undefined);
      if (!stored || digestOf(jsonBytes(stored)) !== digest) return;
      this.keep(digest, { kommune, version, data });
    }
    this.remembered.set(config, digest);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    if (this.known.size === 0) return payloads;
    return payloads.map((payload) => {
      if (!payload.data || encodingOf(payload) !== JSON_ENCODING) return payload;
      const data = Buffer.from(payload.data.buffer, payload.data.byteOffset, payload.data.length);
      for (const [digest, { kommune, version, data: config }] of this.known) {
        // A needle longer than the payload returns at once: small payloads cost nothing.
        const at = data.indexOf(config);
        if (at < 0) continue;
        const ref: Reference = { kommune, version, digest, at };
        return {
          metadata: {
            ...payload.metadata,
            encoding: Buffer.from(REFERENCE_ENCODING),
            [REFERENCE_KEY]: Buffer.from(JSON.stringify(ref)),
          },
          data: Buffer.concat([data.subarray(0, at), data.subarray(at + config.length)]),
        };
      }
      return payload;
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        if (encodingOf(payload) !== REFERENCE_ENCODING) return payload;
        const { [REFERENCE_KEY]: named, ...metadata } = payload.metadata!;
        const ref = JSON.parse(Buffer.from(named ?? []).toString()) as Reference;
        const data = Buffer.from(payload.data ?? []);
        return {
          metadata: { ...metadata, encoding: Buffer.from(JSON_ENCODING) },
          data: Buffer.concat([
            data.subarray(0, ref.at),
            await this.bytes(ref),
            data.subarray(ref.at),
          ]),
        };
      }),
    );
  }

  private async bytes(ref: Reference): Promise<Buffer> {
    const hit = this.known.get(ref.digest);
    if (hit) {
      // Most recently used last, so the oldest goes first when the map is full.
      this.known.delete(ref.digest);
      this.known.set(ref.digest, hit);
      return hit.data;
    }
    const where = `config version ${ref.version} of ${ref.kommune}`;
    if (!this.source) throw new Error(`${where}: this process reads no published versions`);
    const stored = await this.source(ref.kommune, ref.version);
    if (!stored) throw new Error(`${where}: not in the store`);
    const data = jsonBytes(stored);
    if (digestOf(data) !== ref.digest)
      throw new Error(`${where}: the store's bytes are not the ones the case was sent`);
    this.keep(ref.digest, { kommune: ref.kommune, version: ref.version, data });
    return data;
  }

  private keep(digest: string, known: Known): void {
    this.known.set(digest, known);
    if (this.known.size > MAX_KEPT) this.known.delete(this.known.keys().next().value!);
  }
}

/** The bytes the SDK's JSON converter makes of `value`, alone or inside another value. */
function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function digestOf(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64url');
}

function encodingOf(payload: Payload): string | undefined {
  const encoding = payload.metadata?.encoding;
  return encoding ? Buffer.from(encoding).toString() : undefined;
}
