/**
 * Encrypts every payload (workflow inputs, commands, results, activity arguments) before it
 * leaves this process, so the Temporal server and its Web UI store and show ciphertext only.
 * AES-256-GCM with a random IV per payload; the key never goes to Temporal.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { SettingsError } from './temporal-settings';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = temporal.api.common.v1.Payload;

export interface PayloadKey {
  id: string;
  key: Buffer;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly current: PayloadKey) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const plain = ProtoPayload.encode(payload).finish();
      const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: { encoding: Buffer.from(ENCODING), [KEY_ID]: Buffer.from(this.current.id) },
        data: Buffer.concat([iv, cipher.getAuthTag(), sealed]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID] ?? []).toString();
      if (keyId !== this.current.id) throw new Error(`payload encrypted with unknown key "${keyId}"`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', this.current.key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return ProtoPayload.decode(plain) as Payload;
    });
  }
}

/**
 * The payload key: `SLUSE_PAYLOAD_KEY` (32 bytes, base64) when set — every API process and
 * worker of a deployment must share it — else a key generated once into the data folder.
 */
export function loadPayloadKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): PayloadKey {
  const fromEnv = env.SLUSE_PAYLOAD_KEY;
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new SettingsError('SLUSE_PAYLOAD_KEY: expected 32 bytes, base64-encoded');
    return { id: env.SLUSE_PAYLOAD_KEY_ID || 'env', key };
  }
  const file = join(dataDir, 'keys', 'payload.key');
  if (!existsSync(file)) {
    mkdirSync(join(dataDir, 'keys'), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return { id: 'local', key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64') };
}

export function encryptingDataConverter(key: PayloadKey): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(key)] };
}
