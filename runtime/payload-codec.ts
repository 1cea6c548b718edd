/**
 * Encrypts every payload (workflow inputs, commands, results, activity arguments) before it
 * leaves this process, so the Temporal server and its Web UI store and show ciphertext only.
 * AES-256-GCM with a random IV per payload; keys (runtime/key-ring.ts) never go to Temporal.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './key-ring';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = temporal.api.common.v1.Payload;

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const current = this.ring.current;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      const plain = ProtoPayload.encode(payload).finish();
      const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: { encoding: Buffer.from(ENCODING), [KEY_ID]: Buffer.from(current.id) },
        data: Buffer.concat([iv, cipher.getAuthTag(), sealed]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isSealed(payload)) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID] ?? []).toString();
      // A rotated-out key still opens what it sealed, as long as the ring keeps it.
      const key = this.ring.keys.get(keyId);
      if (!key) throw new Error(`payload encrypted with unknown key "${keyId}"`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return ProtoPayload.decode(plain) as Payload;
    });
  }
}

export function encryptingDataConverter(ring: KeyRing): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(ring)] };
}

/**
 * The Web UI's codec: decrypts, then puts config references back (runtime/config-references.ts),
 * only inside what it decrypted. Every payload Temporal holds is sealed: a reference sent in
 * clear was made by whoever sent it, so it goes back as it came and the store is not read for it.
 */
export function webUiCodec(sealed: AesGcmPayloadCodec, references: PayloadCodec): PayloadCodec {
  return {
    async encode(payloads) {
      return sealed.encode(await references.encode(payloads));
    },
    async decode(payloads) {
      return Promise.all(
        payloads.map(async (payload) => {
          if (!isSealed(payload)) return payload;
          return (await references.decode(await sealed.decode([payload])))[0];
        }),
      );
    },
  };
}

function isSealed(payload: Payload): boolean {
  return Buffer.from(payload.metadata?.encoding ?? []).toString() === ENCODING;
}
