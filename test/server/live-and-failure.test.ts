/**
 * What the API does over time and under trouble: live snapshots over SSE shared between
 * viewers, idempotent retries, concurrent commands on one case, and 503 (never 500) while
 * Temporal is unreachable.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../runtime/dev-server';
import { createApp, type SluseApp } from '../../server/app';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../../server/auth-settings';
import { staticConfigSource } from '../../server/config-source';
import { http, startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';

jest.setTimeout(120_000);

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => stack?.stop());

/** Reads an SSE response into parsed events as they arrive. */
function readStream(res: Response) {
  const events: Array<{ event: string; id?: string; data: any }> = [];
  let comments = 0;
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) comments++;
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((l) => !l.startsWith(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
        );
        if (fields.data !== undefined)
          events.push({
            event: fields.event ?? 'message',
            id: fields.id,
            data: JSON.parse(fields.data),
          });
      }
    }
  })().catch(() => undefined);
  return { events, comments: () => comments, done };
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('live stream', () => {
  test('when two coordinators watch a case and one advances it, then both get the new snapshot, each with their own allowed events', async () => {
    const c = new CaseClient(stack, 'lorenskog');
    await c.open('veiviser', 'innbygger', { henvendelsesgjelder: 'barn' });
    const controllers = [new AbortController(), new AbortController()];
    const open = async (role: string, signal: AbortSignal) =>
      fetch(`${stack.baseUrl}${c.path}/stream`, {
        headers: { Authorization: `Bearer ${await stack.token('lorenskog', role)}` },
        signal,
      });
    const [asVeiviser, asLeder] = await Promise.all([
      open('veiviser', controllers[0].signal),
      open('leder', controllers[1].signal),
    ]);
    expect(asVeiviser.status).toBe(200);
    expect(asVeiviser.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const [a, b] = [readStream(asVeiviser), readStream(asLeder)];
    try {
      await waitUntil('first snapshots', () => a.events.length === 1 && b.events.length === 1);
      expect(a.events[0]).toMatchObject({
        event: 'snapshot',
        id: '1',
        data: { revision: 1, step: 'mottak' },
      });

      await c.send('veiviser', 'avklarSakstype', { sakstype: 'rad_til_ansatt' });
      await waitUntil('second snapshots', () => a.events.length === 2 && b.events.length === 2);
      expect(a.events[1]).toMatchObject({ id: '2', data: { revision: 2, step: 'veivisersak' } });
      expect(b.events[1].data.step).toBe('veivisersak');
      expect(a.events[1].data.allowedEvents.map((e: any) => e.type)).toContain(
        'avsluttVeivisersak',
      );
      expect(b.events[1].data.allowedEvents.map((e: any) => e.type)).toEqual(['byttVeiviser']);
      await waitUntil('a heartbeat', () => a.comments() > 0, 3000);
    } finally {
      controllers.forEach((x) => x.abort());
    }
  });

  test('when a client reconnects with Last-Event-ID of the current revision, then it gets no stale repeat', async () => {
    const c = new CaseClient(stack, 'lorenskog');
    await c.open('veiviser', 'innbygger', { henvendelsesgjelder: 'ungdom' });
    const controller = new AbortController();
    const res = await fetch(`${stack.baseUrl}${c.path}/stream`, {
      headers: {
        Authorization: `Bearer ${await stack.token('lorenskog', 'leder')}`,
        'Last-Event-ID': '1',
      },
      signal: controller.signal,
    });
    const s = readStream(res);
    try {
      await waitUntil('a heartbeat', () => s.comments() > 1, 4000);
      expect(s.events).toEqual([]);
      await c.send('veiviser', 'avklarSakstype', { sakstype: 'rad_til_ansatt' });
      await waitUntil('the change', () => s.events.length === 1);
      expect(s.events[0].data.revision).toBe(2);
    } finally {
      controller.abort();
    }
  });
});

describe('idempotency and concurrency', () => {
  test('when the same open request is retried with its Idempotency-Key, then one case exists and both answers name it', async () => {
    const key = randomUUID();
    const body = { referralSource: 'fastlege', payload: { henvendelsesgjelder: 'familie' } };
    const token = await stack.token('lorenskog', 'veiviser');
    const answers = await Promise.all(
      [0, 1, 2].map(() =>
        http(stack.baseUrl, 'POST', '/api/v1/kommuner/lorenskog/cases', {
          token,
          body,
          headers: { 'Idempotency-Key': key },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.caseId)).size).toBe(1);
    expect(answers[0].headers.get('location')).toBe(
      `/api/v1/kommuner/lorenskog/cases/${answers[0].body.caseId}`,
    );
    // Same key, another kommune: another case (keys are per kommune).
    const other = await http(stack.baseUrl, 'POST', '/api/v1/kommuner/oygarden/cases', {
      token: await stack.token('oygarden', 'tjenesteyter'),
      body: { referralSource: 'skole', payload: { arena: 'skole', barnetsAlder: 8 } },
      headers: { 'Idempotency-Key': key },
    });
    expect(other.status).toBe(201);
    expect(other.body.caseId).not.toBe(answers[0].body.caseId);
  });

  test('when an event is retried with its Idempotency-Key, then it is applied once and the retry gets the same snapshot', async () => {
    const c = new CaseClient(stack, 'lorenskog');
    await c.open('veiviser', 'innbygger', { henvendelsesgjelder: 'barn' });
    const send = async () =>
      http(stack.baseUrl, 'POST', `${c.path}/events`, {
        token: await stack.token('lorenskog', 'veiviser'),
        body: { type: 'byttVeiviser', payload: { ansvarlig: 'v-2' }, expectedRevision: 1 },
        headers: { 'Idempotency-Key': 'event-retry-key-000001' },
      });
    const first = await send();
    const retry = await send();
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body.revision).toBe(2);
    expect(retry.body.holder.id).toBe('v-2');
  });

  test('when two coordinators send commands from the same revision at once, then exactly one wins and the other gets 409', async () => {
    const c = new CaseClient(stack, 'lorenskog');
    await c.open('veiviser', 'innbygger', { henvendelsesgjelder: 'barn' });
    const token = await stack.token('lorenskog', 'veiviser');
    const results = await Promise.all(
      ['rad_til_ansatt', 'koordinator'].map((sakstype) =>
        http(stack.baseUrl, 'POST', `${c.path}/events`, {
          token,
          body: { type: 'avklarSakstype', payload: { sakstype }, expectedRevision: 1 },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('REVISION_CONFLICT');
    expect((await c.get('leder')).body.revision).toBe(2);
  });
});

describe('when Temporal is unreachable', () => {
  let app: SluseApp;
  let server: Server;
  let base: string;
  let deadClient: Client;

  beforeAll(async () => {
    deadClient = new Client({
      connection: Connection.lazy({ address: `127.0.0.1:${await freePort()}` }),
      namespace: 'default',
    });
    app = createApp({
      health: { client: deadClient, namespace: 'default', workerState: () => 'absent' },
      api: {
        client: deadClient,
        taskQueue: 'nowhere',
        configs: staticConfigSource(stack.configs),
        caseLog: stack.caseLog,
        auth: { kind: 'dev', issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE },
        dataDir: stack.dataDir,
        options: { temporalTimeoutMs: 800 },
      },
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    // Its CPU pool thread and the client's channel (reconnecting to nothing) would otherwise
    // outlive the file in jest's worker.
    await app?.api?.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await deadClient?.connection.close();
  });

  test.each([
    ['GET', '/api/v1/kommuner/lorenskog/cases/abcdefgh23abcdefgh23', undefined, 'veiviser'],
    ['GET', '/api/v1/kommuner/lorenskog/cases', undefined, 'veiviser'],
    ['GET', '/api/v1/kommuner/lorenskog/cases/abcdefgh23abcdefgh23/history', undefined, 'veiviser'],
    [
      'POST',
      '/api/v1/kommuner/lorenskog/cases',
      { referralSource: 'nav', payload: { henvendelsesgjelder: 'barn' } },
      'veiviser',
    ],
    [
      'POST',
      '/api/v1/kommuner/lorenskog/cases/abcdefgh23abcdefgh23/events',
      { type: 'avklarSakstype', payload: { sakstype: 'koordinator' }, expectedRevision: 1 },
      'veiviser',
    ],
  ])(
    'when %s %s is asked, then the answer is 503 TEMPORAL_UNAVAILABLE with Retry-After',
    async (method, path, body, role) => {
      const res = await http(base, method, path, {
        token: await stack.token('lorenskog', role),
        body,
      });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('TEMPORAL_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBe('2');
    },
  );

  test('when the statistics are asked, then they answer from the store without Temporal', async () => {
    const res = await http(base, 'GET', '/api/v1/kommuner/lorenskog/stats', {
      token: await stack.token('lorenskog', 'leder'),
    });
    expect(res.status).toBe(200);
    expect(res.body.kommune).toBe('lorenskog');
  });

  test('when the request is bad anyway, then it is still told so without Temporal', async () => {
    const res = await http(base, 'POST', '/api/v1/kommuner/lorenskog/cases', {
      token: await stack.token('lorenskog', 'veiviser'),
      body: { referralSource: 'naboen', payload: { henvendelsesgjelder: 'barn' } },
    });
    expect(res.status).toBe(422);
  });
});
