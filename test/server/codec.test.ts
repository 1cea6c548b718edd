/**
 * The Temporal Web UI's codec endpoint (#18): an operator (`drift`) of a kommune reads that
 * kommune's payloads decoded in the UI; nobody else does, no other web page may ask, another
 * kommune's payloads stay encrypted, and every use is in the audit trail.
 */
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadKeyRing } from '../../runtime/key-ring';
import { ConfigReferences } from '../../runtime/config-references';
import { AesGcmPayloadCodec } from '../../runtime/payload-codec';
import { AuditActions, openConfigStore, type OpenedConfigStore } from '../../store';
import { memoryDatabase } from '../support/memory-database';
import { startApiStack, type ApiStack } from './api-stack';

jest.setTimeout(120_000);

const UI = 'http://temporal-ui.example.no:8233';
let opened: OpenedConfigStore;
let stack: ApiStack;
let codec: AesGcmPayloadCodec;

beforeAll(async () => {
  opened = await openConfigStore(memoryDatabase());
  stack = await startApiStack({ configStore: opened.store, codecUiOrigin: UI, noWorker: true });
  codec = new AesGcmPayloadCodec(loadKeyRing(stack.dataDir));
});

afterAll(async () => {
  await stack?.stop();
  await opened?.close();
});

const wire = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/** As the workers store them in Temporal: JSON, then encrypted. */
async function encrypted(...values: unknown[]) {
  const plain = values.map((v) => defaultPayloadConverter.toPayload(v));
  return (await codec.encode(plain)).map(wire);
}

async function decode(
  body: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${stack.baseUrl}/codec/decode`, {
    method: 'POST',
    headers: Object.fromEntries(
      Object.entries({ 'content-type': 'application/json', origin: UI, ...headers }).filter(
        ([, v]) => v !== undefined,
      ),
    ) as Record<string, string>,
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
}

const textOf = (p: { data: string }) => Buffer.from(p.data, 'base64').toString('utf8');

test("when an operator of a kommune sends its encrypted payloads from the Web UI, then they come back readable, another kommune's stay encrypted, and the use is in the audit trail", async () => {
  const token = await stack.token('lorenskog', 'drift', 'drift-1');
  const payloads = await encrypted(
    { kommune: 'lorenskog', caseId: 'sak-1', type: 'avsluttVeivisersak' },
    { kommune: 'oygarden', caseId: 'sak-2', type: 'registrerSamtykke' },
  );
  const res = await decode(
    { payloads },
    { authorization: `Bearer ${token}`, 'x-namespace': 'default' },
  );
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe(UI);
  expect(JSON.parse(textOf(res.body.payloads[0]))).toEqual({
    kommune: 'lorenskog',
    caseId: 'sak-1',
    type: 'avsluttVeivisersak',
  });
  expect(res.body.payloads[1]).toEqual(payloads[1]);
  expect(textOf(res.body.payloads[1])).not.toContain('oygarden');

  const [entry] = await opened.store.auditTrail('lorenskog', { limit: 1 });
  expect(entry).toMatchObject({
    kommune: 'lorenskog',
    actor: 'drift-1',
    action: AuditActions.payloadsDecoded,
    details: { payloads: 2, shown: 1, namespace: 'default' },
  });
});

test("when a case's input carries its published config as a reference, then the operator sees the input whole, config included, and the same reference sent in clear goes back as it came", async () => {
  const store = opened.store;
  const config = (await store.storedConfig('lorenskog', 1))!;
  const references = new ConfigReferences(
    async (kommune, version) => (await store.storedConfig(kommune, version)) ?? undefined,
  );
  await references.remember('lorenskog', 1, config);
  const input = { kommune: 'lorenskog', caseId: 'sak-4', config, configVersion: 1 };
  const [referenced] = await references.encode([defaultPayloadConverter.toPayload(input)]);
  expect(Buffer.from(referenced.metadata!.encoding!).toString()).toBe('json/config-reference');

  const res = await decode(
    { payloads: (await codec.encode([referenced])).map(wire) },
    { authorization: `Bearer ${await stack.token('lorenskog', 'drift', 'drift-1')}` },
  );
  expect(res.status).toBe(200);
  expect(JSON.parse(textOf(res.body.payloads[0]))).toEqual(input);

  // The same reference sent in clear was made by the sender, not by us: it goes back as it came.
  const forged = await decode(
    { payloads: [wire(referenced)] },
    { authorization: `Bearer ${await stack.token('lorenskog', 'drift', 'drift-1')}` },
  );
  expect(forged.status).toBe(200);
  expect(forged.body.payloads[0]).toEqual(wire(referenced));
});

test('when the Web UI asks first what it may send, then only its own origin is told yes', async () => {
  const preflight = (origin: string) =>
    fetch(`${stack.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
  const ours = await preflight(UI);
  expect(ours.status).toBe(204);
  expect(ours.headers.get('access-control-allow-origin')).toBe(UI);
  expect(ours.headers.get('access-control-allow-headers')).toContain('Authorization');
  const other = await preflight('https://evil.example');
  expect(other.status).toBe(403);
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
});

test('when the token is missing, of another role, the request comes from another page, or the body is malformed, oversized or nested too deep, then nothing is decoded and nothing is audited', async () => {
  const payloads = await encrypted({ kommune: 'lorenskog', caseId: 'sak-3' });
  const before = (await opened.store.auditTrail('lorenskog')).length;
  const refused = [
    [await decode({ payloads }), 401, 'TOKEN_MISSING'],
    [
      await decode(
        { payloads },
        { authorization: `Bearer ${await stack.token('lorenskog', 'leder', 'leder-1')}` },
      ),
      403,
      'ROLE_NOT_ALLOWED',
    ],
    [
      await decode(
        { payloads },
        {
          authorization: `Bearer ${await stack.token('lorenskog', 'drift', 'drift-1')}`,
          origin: 'https://evil.example',
        },
      ),
      403,
      'ORIGIN_NOT_ALLOWED',
    ],
    [
      await decode(
        { payloads },
        {
          authorization: `Bearer ${await stack.token('lorenskog', 'drift', 'drift-1')}`,
          origin: undefined,
        },
      ),
      403,
      'ORIGIN_NOT_ALLOWED',
    ],
    [
      await decode(
        { payloads: [{ data: 'not base64 !' }] },
        { authorization: `Bearer ${await stack.token('lorenskog', 'drift', 'drift-1')}` },
      ),
      400,
      'VALIDATION_FAILED',
    ],
    [
      await decode(
        { payloads: [{ data: 'A'.repeat(5 * 1024 * 1024) }] },
        { authorization: `Bearer ${await stack.token('lorenskog', 'drift', 'drift-1')}` },
      ),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      await decode(JSON.parse('{"payloads":' + '['.repeat(200) + ']'.repeat(200) + '}'), {
        authorization: `Bearer ${await stack.token('lorenskog', 'drift', 'drift-1')}`,
      }),
      400,
      'NESTING_TOO_DEEP',
    ],
  ] as const;
  for (const [res, status, code] of refused) {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(res.body?.error?.nb).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toContain('sak-3');
  }
  expect((await opened.store.auditTrail('lorenskog')).length).toBe(before);
});

test('when no CODEC_UI_ORIGIN is set, then there is no codec endpoint', async () => {
  const other = await startApiStack({ configStore: opened.store, noWorker: true });
  try {
    const res = await fetch(`${other.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: {
        origin: UI,
        'content-type': 'application/json',
        authorization: `Bearer ${await other.token('lorenskog', 'drift')}`,
      },
      body: JSON.stringify({ payloads: [] }),
    });
    expect(res.status).toBe(404);
  } finally {
    await other.stop();
  }
});
