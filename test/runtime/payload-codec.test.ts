/**
 * Case data reaches the Temporal server only as ciphertext: the server, its database and its
 * Web UI never see a family's details.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { AesGcmPayloadCodec, encryptingDataConverter, loadPayloadKey } from '../../runtime/payload-codec';
import { createCaseWorker } from '../../runtime/worker';
import type { DevServer } from '../../runtime/dev-server';
import { CaseHarness } from '../workflows/case-harness';
import { connectDrainable, type DrainableConnection } from '../support/drainable-connection';
import { startTestDevServer, workflowBundle } from '../support/temporal';

jest.setTimeout(120_000);

const key = loadPayloadKey(mkdtempSync(join(tmpdir(), 'sluse-key-')), {});

describe('payload encryption', () => {
  test('when a payload is encoded and decoded with the same key, then it comes back unchanged', async () => {
    const codec = new AesGcmPayloadCodec(key);
    const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"navn":"Kari"}') };
    const [sealed] = await codec.encode([payload]);
    expect(Buffer.from(sealed.data!).includes('Kari')).toBe(false);
    const [opened] = await codec.decode([sealed]);
    expect(Buffer.from(opened.data!).toString()).toBe('{"navn":"Kari"}');
  });

  test('when ciphertext is tampered with or sealed with another key, then decoding fails loudly', async () => {
    const codec = new AesGcmPayloadCodec(key);
    const [sealed] = await codec.encode([{ metadata: {}, data: Buffer.from('x') }]);
    const tampered = { ...sealed, data: Buffer.from(sealed.data!).map((b, i) => (i === sealed.data!.length - 1 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow();
    const other = new AesGcmPayloadCodec(loadPayloadKey(mkdtempSync(join(tmpdir(), 'sluse-key-')), {}));
    await expect(other.decode([sealed])).rejects.toThrow();
  });

  test('when SLUSE_PAYLOAD_KEY is not 32 bytes, then start-up fails naming it', () => {
    expect(() => loadPayloadKey('/nonexistent', { SLUSE_PAYLOAD_KEY: 'c2hvcnQ=' })).toThrow(/SLUSE_PAYLOAD_KEY/);
  });

  describe('on a real dev server', () => {
    let server: DevServer;
    let connection: Connection;
    let drainable: DrainableConnection;

    beforeAll(async () => {
      server = await startTestDevServer();
      drainable = await connectDrainable(server.address);
  connection = drainable.connection;
    });

    afterAll(async () => {
      await drainable?.close();
      await server?.stop();
    });

    test('when a case is opened and advanced, then its history on the server holds no plaintext, while the engine reads it fine', async () => {
      const dataConverter = encryptingDataConverter(key);
      const client = new Client({ connection, dataConverter });
      const h = new CaseHarness(client);
      const native = await NativeConnection.connect({ address: server.address });
      const worker = await createCaseWorker({
        connection: native, client, namespace: 'default', taskQueue: h.taskQueue,
        dataDir: mkdtempSync(join(tmpdir(), 'sluse-enc-')), workflowBundle: await workflowBundle(), dataConverter,
      });
      const secret = 'Ekstra voksenstøtte for HEMMELIG-MARKØR';
      await worker.runUntil(async () => {
        const laerer = { id: 'laerer-1', role: 'tjenesteyter' };
        const { handle } = await h.open('oygarden', { referralSource: 'skole', payload: { arena: 'skole', barnetsAlder: 14 }, actor: laerer });
        await h.send(handle, 'registrerVurdering', laerer, { risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true } });
        const v = await h.send(handle, 'registrerAvklaringssamtale', laerer, { utfall: 'lavterskeltiltak', oppfolgingsdato: '2027-02-15', tiltak: [secret] });
        expect(v.state.data.lavterskeltiltak).toEqual([secret]);

        // What the server stores, read without the key.
        const raw = await new Client({ connection }).workflow.getHandle(handle.workflowId).fetchHistory();
        const bytes = Buffer.concat(allBytes(raw));
        expect(bytes.length).toBeGreaterThan(1000);
        expect(bytes.includes('HEMMELIG')).toBe(false);
        expect(bytes.includes('barnetsAlder')).toBe(false);
        expect(bytes.includes('binary/encrypted')).toBe(true);
      });
      await native.close();
    });
  });
});

/** Every byte string anywhere in a decoded protobuf message: payload data and metadata. */
function allBytes(value: unknown, out: Buffer[] = []): Buffer[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value));
  else if (Array.isArray(value)) value.forEach((v) => allBytes(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => allBytes(v, out));
  return out;
}
