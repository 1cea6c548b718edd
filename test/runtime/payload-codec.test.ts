/**
 * Case data reaches the Temporal server only as ciphertext: the server, its database and its
 * Web UI never see a family's details.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { AesGcmPayloadCodec, encryptingDataConverter } from '../../runtime/payload-codec';
import { createSealer, keyRingOf, loadKeyRing, openJson, sealJson } from '../../runtime/key-ring';
import { createCaseWorker } from '../../runtime/worker';
import { CaseHarness } from '../workflows/case-harness';
import { connectDrainable, type DrainableConnection } from '../support/drainable-connection';
import { testNamespace, workflowBundle, type TestTemporal } from '../support/temporal';

jest.setTimeout(120_000);

const key = loadKeyRing(mkdtempSync(join(tmpdir(), 'sluse-key-')), {});

describe('payload encryption', () => {
  test('when a payload is encoded and decoded with the same key, then it comes back unchanged', async () => {
    const codec = new AesGcmPayloadCodec(key);
    const payload = {
      metadata: { encoding: Buffer.from('json/plain') },
      data: Buffer.from('{"navn":"Kari"}'),
    };
    const [sealed] = await codec.encode([payload]);
    expect(Buffer.from(sealed.data!).includes('Kari')).toBe(false);
    const [opened] = await codec.decode([sealed]);
    expect(Buffer.from(opened.data!).toString()).toBe('{"navn":"Kari"}');
  });

  test('when ciphertext is tampered with or sealed with another key, then decoding fails loudly', async () => {
    const codec = new AesGcmPayloadCodec(key);
    const [sealed] = await codec.encode([{ metadata: {}, data: Buffer.from('x') }]);
    const tampered = {
      ...sealed,
      data: Buffer.from(sealed.data!).map((b, i) => (i === sealed.data!.length - 1 ? b ^ 1 : b)),
    };
    await expect(codec.decode([tampered])).rejects.toThrow();
    const other = new AesGcmPayloadCodec(
      loadKeyRing(mkdtempSync(join(tmpdir(), 'sluse-key-')), {}),
    );
    await expect(other.decode([sealed])).rejects.toThrow();
  });

  test('when SLUSE_PAYLOAD_KEY is not 32 bytes, then start-up fails naming it', () => {
    expect(() => loadKeyRing('/nonexistent', { SLUSE_PAYLOAD_KEY: 'c2hvcnQ=' })).toThrow(
      /SLUSE_PAYLOAD_KEY/,
    );
  });

  test('when the key is rotated, then payloads sealed with the old key still decode and new ones use the new key', async () => {
    const oldKey = { id: 'k2025', key: Buffer.alloc(32, 1) };
    const newKey = { id: 'k2026', key: Buffer.alloc(32, 2) };
    const [sealedOld] = await new AesGcmPayloadCodec(keyRingOf(oldKey)).encode([
      { metadata: {}, data: Buffer.from('gammel') },
    ]);
    const rotated = new AesGcmPayloadCodec(keyRingOf(newKey, [oldKey]));
    const [openedOld] = await rotated.decode([sealedOld]);
    expect(Buffer.from(openedOld.data!).toString()).toBe('gammel');
    const [sealedNew] = await rotated.encode([{ metadata: {}, data: Buffer.from('ny') }]);
    expect(Buffer.from(sealedNew.metadata!['encryption-key-id']!).toString()).toBe('k2026');
    await expect(new AesGcmPayloadCodec(keyRingOf(oldKey)).decode([sealedNew])).rejects.toThrow(
      /unknown key "k2026"/,
    );
  });

  test('when data at rest is sealed, then it names its key, opens after rotation, and a swapped key id is refused', () => {
    const oldKey = { id: 'k2025', key: Buffer.alloc(32, 1) };
    const newKey = { id: 'k2026', key: Buffer.alloc(32, 2) };
    const sealed = sealJson(createSealer(keyRingOf(oldKey)), { navn: 'Kari' });
    expect(sealed.includes('Kari')).toBe(false);
    const rotated = createSealer(keyRingOf(newKey, [oldKey]));
    expect(rotated.keyIdOf(sealed)).toBe('k2025');
    expect(openJson(rotated, sealed)).toEqual({ navn: 'Kari' });
    expect(rotated.keyIdOf(rotated.seal(Buffer.from('x')))).toBe('k2026');
    // The header is authenticated: relabelling the key id breaks the seal.
    const relabelled = Buffer.from(sealed);
    relabelled.write('k2026', 5);
    expect(() => rotated.open(relabelled)).toThrow();
  });

  test('when old keys are given in SLUSE_PAYLOAD_OLD_KEYS, then the ring holds them beside the current key', () => {
    const ring = loadKeyRing('/nonexistent', {
      SLUSE_PAYLOAD_KEY: Buffer.alloc(32, 2).toString('base64'),
      SLUSE_PAYLOAD_KEY_ID: 'k2026',
      SLUSE_PAYLOAD_OLD_KEYS: `k2025:${Buffer.alloc(32, 1).toString('base64')}`,
      SLUSE_PSEUDONYM_KEY: Buffer.alloc(32, 3).toString('base64'),
    });
    expect(ring.current.id).toBe('k2026');
    expect([...ring.keys.keys()].sort()).toEqual(['k2025', 'k2026']);
    expect(() =>
      loadKeyRing('/nonexistent', {
        SLUSE_PAYLOAD_KEY: Buffer.alloc(32).toString('base64'),
        SLUSE_PAYLOAD_OLD_KEYS: 'nocolon',
      }),
    ).toThrow(/SLUSE_PAYLOAD_OLD_KEYS/);
  });

  describe('on a real dev server', () => {
    let server: TestTemporal;
    let connection: Connection;
    let drainable: DrainableConnection;

    beforeAll(async () => {
      server = await testNamespace();
      drainable = await connectDrainable(server.address);
      connection = drainable.connection;
    });

    afterAll(async () => {
      await drainable?.close();
    });

    test('when a case is opened and advanced, then its history on the server holds no plaintext, while the engine reads it fine', async () => {
      const dataConverter = encryptingDataConverter(key);
      const client = new Client({ connection, namespace: server.namespace, dataConverter });
      const h = await CaseHarness.create(client);
      const native = await NativeConnection.connect({ address: server.address });
      const worker = await createCaseWorker({
        connection: native,
        client,
        namespace: server.namespace,
        taskQueue: h.taskQueue,
        dataDir: h.dataDir,
        sealer: h.sealer,
        caseLog: h.caseLog,
        workflowBundle: await workflowBundle(),
        dataConverter,
      });
      const secret = 'Ekstra voksenstøtte for HEMMELIG-MARKØR';
      await worker.runUntil(async () => {
        const laerer = { id: 'laerer-1', role: 'tjenesteyter' };
        const { handle } = await h.open('oygarden', {
          referralSource: 'skole',
          payload: { arena: 'skole', barnetsAlder: 14 },
          actor: laerer,
        });
        await h.send(handle, 'registrerVurdering', laerer, {
          risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
        });
        const v = await h.send(handle, 'registrerAvklaringssamtale', laerer, {
          utfall: 'lavterskeltiltak',
          oppfolgingsdato: '2027-02-15',
          tiltak: [secret],
        });
        expect(v.state.data.lavterskeltiltak).toEqual([secret]);

        // What the server stores, read without the key.
        const raw = await new Client({ connection, namespace: server.namespace }).workflow
          .getHandle(handle.workflowId)
          .fetchHistory();
        const bytes = Buffer.concat(allBytes(raw));
        expect(bytes.length).toBeGreaterThan(1000);
        expect(bytes.includes('HEMMELIG')).toBe(false);
        expect(bytes.includes('barnetsAlder')).toBe(false);
        expect(bytes.includes('binary/encrypted')).toBe(true);
      });
      await native.close();
      await h.close();
    });
  });
});

/** Every byte string anywhere in a decoded protobuf message: payload data and metadata. */
function allBytes(value: unknown, out: Buffer[] = []): Buffer[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value));
  else if (Array.isArray(value)) value.forEach((v) => allBytes(v, out));
  else if (value && typeof value === 'object')
    Object.values(value).forEach((v) => allBytes(v, out));
  return out;
}
