/**
 * The coordinators' API tried as an attacker and a careless client would (issue 10): ids with
 * control characters, bidirectional overrides or another kommune's prefix; kommuner `nav` and
 * `nav-holf` side by side; bodies nested 20,000 deep, too large, with duplicate keys, in
 * UTF-16 or broken UTF-8; event types named like Object's own properties; an Idempotency-Key
 * reused with another body; caching headers; what reaches the log. Each answer is checked for
 * its status and code, and each case for being exactly as it was.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import type { KommuneConfig } from '../../config';
import { createApp } from '../../server/app';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../../server/auth-settings';
import { randomCaseId } from '../../server/case-ids';
import type { ConfigSource } from '../../server/config-source';
import { caseWorkflow } from '../../workflows/case-workflow';
import { openCaseUpdate } from '../../workflows/case-messages';
import { caseWorkflowId } from '../../workflows/search-attributes';
import { eventually, http, startApiStack, type ApiStack, type HttpResult } from './api-stack';
import { CaseClient } from './case-client';

jest.setTimeout(180_000);

const noIncome = {
  langvarigSosialhjelp: true,
  gjentattSosialhjelp: false,
  aapMedSosialhjelp: false,
  dagpengerMedSosialhjelp: false,
  kvpMedSosialhjelp: false,
};
const noExclusion = {
  iTilsvarendeOppfolging: false,
  iBehandlingPsykiskLidelseEllerRus: false,
  barnUnderBarnevernetsOmsorg: false,
};
const holfIntake = (coordinator: string) => ({
  inntekt: noIncome,
  antallBarnUnder18Hjemme: 2,
  eksklusjon: noExclusion,
  familiekoordinator: coordinator,
});

let stack: ApiStack;
/** nav-holf's case, held by fk-holf; and nav's, held by fk-nav. */
let holf: CaseClient;
let nav: CaseClient;
/** A Lørenskog case in `veivisersak`, for bodies and events. */
let target: CaseClient;

beforeAll(async () => {
  const seed = (await import('../../config')).loadConfigDir().configs.get('nav-holf')!;
  // The prefix pair: "nav" + "-" begins "nav-holf". A copy of the seed under the shorter id.
  const navConfig: KommuneConfig = { ...structuredClone(seed), id: 'nav', name: 'NAV (prøve)' };
  stack = await startApiStack({ extraConfigs: [navConfig] });
  holf = new CaseClient(stack, 'nav-holf');
  await holf.open('nav_veileder', 'nav_sosialtjeneste', holfIntake('fk-holf'));
  nav = new CaseClient(stack, 'nav');
  await nav.open('nav_veileder', 'nav_sosialtjeneste', holfIntake('fk-nav'));
  target = new CaseClient(stack, 'lorenskog');
  await target.open('veiviser', 'innbygger', { henvendelsesgjelder: 'familie' });
  await target.send('veiviser', 'avklarSakstype', { sakstype: 'koble_tjenester' });
});
afterAll(async () => stack?.stop());

const url = (path: string) => `/api/v1/kommuner${path}`;
const holderOf = (c: CaseClient) => (c === holf ? 'fk-holf' : c === nav ? 'fk-nav' : 'u-veiviser');
const readerRole = (c: CaseClient) => (c === target ? 'veiviser' : 'familiekoordinator');

/** What must not change: the revision and the length of the history, read by the holder. */
async function fingerprint(
  c: CaseClient,
): Promise<{ revision: number; step: string; history: number }> {
  const token = await stack.token(c.kommune, readerRole(c), holderOf(c));
  const snapshot = await http(stack.baseUrl, 'GET', c.path, { token });
  const history = await http(stack.baseUrl, 'GET', `${c.path}/history`, { token });
  expect([snapshot.status, history.status]).toEqual([200, 200]);
  return {
    revision: snapshot.body.revision,
    step: snapshot.body.step,
    history: history.body.entries.length,
  };
}

function expectError(res: HttpResult, status: number, code: string, path?: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  if (path !== undefined)
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
}

/** Sends raw bytes, for bodies `http()` cannot express (other encodings, broken UTF-8). */
async function rawPost(
  path: string,
  body: Buffer,
  headers: Record<string, string>,
  token: string,
): Promise<HttpResult> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, ...headers },
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A header value carrying these characters as UTF-8 bytes, the way a client puts them on the wire. */
const asWireBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

type Route = {
  name: string;
  method: 'GET' | 'POST';
  suffix: string;
  body?: (c: CaseClient) => unknown;
};
const caseRoutes: Route[] = [
  { name: 'read the case', method: 'GET', suffix: '' },
  {
    name: 'send an event',
    method: 'POST',
    suffix: '/events',
    body: (c) => ({
      type: 'byttFamiliekoordinator',
      payload: { familiekoordinator: 'intruder' },
      expectedRevision: c.revision,
    }),
  },
  {
    name: 'reopen the case',
    method: 'POST',
    suffix: '/reopen',
    body: (c) => ({ expectedRevision: c.revision }),
  },
  {
    name: "decline the family's request to reopen",
    method: 'POST',
    suffix: '/reopen-request/decline',
    body: (c) => ({ expectedRevision: c.revision }),
  },
  { name: 'read the history', method: 'GET', suffix: '/history' },
  { name: 'open the live stream', method: 'GET', suffix: '/stream' },
];

describe('ids', () => {
  test.each(caseRoutes.map((r) => [r.name, r] as const))(
    'when a nav user tries to %s of nav-holf as `holf-<id>` under their own kommune, then the id is refused as not a case id and the case is unchanged',
    async (_name, route) => {
      const before = await fingerprint(holf);
      const res = await http(
        stack.baseUrl,
        route.method,
        url(`/nav/cases/holf-${holf.caseId}${route.suffix}`),
        {
          token: await stack.token('nav', 'leder'),
          body: route.body?.(holf),
        },
      );
      expectError(res, 400, 'VALIDATION_FAILED', '/path/caseId');
      expect(await fingerprint(holf)).toEqual(before);
    },
  );

  test.each([
    ['a NUL', (id: string) => `${id.slice(0, 19)}%00`],
    ['a line break', (id: string) => `${id.slice(0, 10)}%0A${id.slice(10, 19)}`],
    ['a right-to-left override', (id: string) => `%E2%80%AE${id.slice(1)}`],
    ['a first-strong-isolate', (id: string) => `${id.slice(0, 19)}%E2%81%A8`],
    ['one character too many', (id: string) => `${id}a`],
    ['capital letters', (id: string) => id.toUpperCase()],
  ])(
    'when the case id in the path holds %s, then 400 at /path/caseId and the case is unchanged',
    async (_what, mangle) => {
      const before = await fingerprint(target);
      const res = await http(
        stack.baseUrl,
        'POST',
        url(`/lorenskog/cases/${mangle(target.caseId)}/events`),
        {
          token: await stack.token('lorenskog', 'veiviser'),
          body: {
            type: 'registrerAktivitet',
            payload: { aktivitet: 'kontakt' },
            expectedRevision: target.revision,
          },
        },
      );
      expectError(res, 400, 'VALIDATION_FAILED', '/path/caseId');
      expect(await fingerprint(target)).toEqual(before);
    },
  );

  test.each([
    ['capital letters', 'Lorenskog'],
    ['a NUL', 'lorenskog%00'],
    ['a line break', 'loren%0Askog'],
    ['a right-to-left override', 'lorenskog%E2%80%AE'],
    ['a pop-directional-isolate', '%E2%81%A9lorenskog'],
    ['64 characters', 'l'.repeat(64)],
    ['an underscore', 'loren_skog'],
  ])('when the kommune in the path holds %s, then 400 at /path/kommune', async (_what, kommune) => {
    const before = await fingerprint(target);
    const res = await http(stack.baseUrl, 'GET', url(`/${kommune}/cases/${target.caseId}`), {
      token: await stack.token('lorenskog', 'leder'),
    });
    expectError(res, 400, 'VALIDATION_FAILED', '/path/kommune');
    expect(await fingerprint(target)).toEqual(before);
  });

  test.each([
    ['a right-to-left override', asWireBytes(`${randomUUID()}\u202e`)],
    ['a left-to-right isolate', asWireBytes(`\u2066${randomUUID()}`)],
    // Node's HTTP parser itself refuses C0 controls and DEL in a header (a bare 400); C1 reach us.
    ['a next-line character (U+0085)', `${randomUUID()}\u0085`],
    ['129 characters', 'k'.repeat(129)],
    ['a space', `${randomUUID()} ${randomUUID()}`],
  ])(
    'when the Idempotency-Key holds %s, then 400 at /headers/idempotency-key and nothing is done',
    async (_what, key) => {
      const before = await fingerprint(target);
      const res = await http(stack.baseUrl, 'POST', `${target.path}/events`, {
        token: await stack.token('lorenskog', 'veiviser'),
        body: {
          type: 'registrerAktivitet',
          payload: { aktivitet: 'kontakt' },
          expectedRevision: target.revision,
        },
        headers: { 'Idempotency-Key': key },
      });
      expectError(res, 400, 'VALIDATION_FAILED', '/headers/idempotency-key');
      expect(await fingerprint(target)).toEqual(before);
    },
  );

  test('when any other header carries a bidirectional override, then 400 names that header and nothing is done', async () => {
    const before = await fingerprint(target);
    const res = await http(stack.baseUrl, 'POST', `${target.path}/events`, {
      token: await stack.token('lorenskog', 'veiviser'),
      body: {
        type: 'registrerAktivitet',
        payload: { aktivitet: 'kontakt' },
        expectedRevision: target.revision,
      },
      headers: { 'X-Client-Note': asWireBytes('fra \u202eKari') },
    });
    expectError(res, 400, 'VALIDATION_FAILED', '/headers/x-client-note');
    expect(await fingerprint(target)).toEqual(before);
  });

  test.each([
    ['a space', 'Kari Nordmann'],
    ['a right-to-left override', 'fk-\u202eholf'],
    ['a line break', 'fk\nholf'],
    ['a NUL', 'fk\u0000holf'],
    ['65 characters', 'f'.repeat(65)],
  ])(
    'when the token sub holds %s, then 401 TOKEN_INVALID at /token/sub and nothing is done',
    async (_what, sub) => {
      const before = await fingerprint(target);
      const token = await stack.issuer.sign({
        sub,
        kommune: 'lorenskog',
        role: 'veiviser',
        audience: DEFAULT_AUDIENCE,
      });
      const res = await http(stack.baseUrl, 'POST', `${target.path}/events`, {
        token,
        body: {
          type: 'registrerAktivitet',
          payload: { aktivitet: 'kontakt' },
          expectedRevision: target.revision,
        },
      });
      expectError(res, 401, 'TOKEN_INVALID', '/token/sub');
      expect(await fingerprint(target)).toEqual(before);
    },
  );

  test('when the token kommune claim holds a control character, then 401 TOKEN_INVALID at /token/kommune', async () => {
    const token = await stack.issuer.sign({
      sub: 'u-1',
      kommune: 'lorenskog\u0000',
      role: 'leder',
      audience: DEFAULT_AUDIENCE,
    });
    expectError(
      await http(stack.baseUrl, 'GET', target.path, { token }),
      401,
      'TOKEN_INVALID',
      '/token/kommune',
    );
  });
});

describe('kommuner nav and nav-holf side by side', () => {
  const directions = () =>
    [
      ['nav', 'nav-holf', nav, holf],
      ['nav-holf', 'nav', holf, nav],
    ] as const;

  test.each(caseRoutes.map((r) => [r.name, r] as const))(
    "when either kommune tries to %s of the other's case, by its own path or the other's, then 404 CASE_NOT_FOUND and the case is unchanged",
    async (_name, route) => {
      for (const [attacker, , , victim] of directions()) {
        const before = await fingerprint(victim);
        const token = await stack.token(attacker, 'leder');
        for (const path of [
          url(`/${attacker}/cases/${victim.caseId}${route.suffix}`),
          `${victim.path}${route.suffix}`,
        ]) {
          const res = await http(stack.baseUrl, route.method, path, {
            token,
            body: route.body?.(victim),
          });
          expectError(res, 404, 'CASE_NOT_FOUND');
        }
        expect(await fingerprint(victim)).toEqual(before);
      }
    },
  );

  test('when either kommune lists, counts or reads the config of the other, then 403 KOMMUNE_NOT_ALLOWED; its own list and counts hold only its own case', async () => {
    for (const [attacker, other, own, theirs] of directions()) {
      const token = await stack.token(attacker, 'leder');
      for (const suffix of ['/cases', '/stats', '/config', '/config/statechart']) {
        expectError(
          await http(stack.baseUrl, 'GET', url(`/${other}${suffix}`), { token }),
          403,
          'KOMMUNE_NOT_ALLOWED',
        );
      }
      // Listed as its holder, who sees it whatever the role may see beyond its own cases.
      const holderToken = await stack.token(attacker, 'familiekoordinator', holderOf(own));
      const listed = await eventually(`${attacker}'s own case listed`, async () => {
        const res = await http(stack.baseUrl, 'GET', url(`/${attacker}/cases`), {
          token: holderToken,
        });
        return res.body.cases?.some((c: { caseId: string }) => c.caseId === own.caseId)
          ? res.body.cases
          : undefined;
      });
      expect(listed.map((c: { caseId: string }) => c.caseId)).toEqual([own.caseId]);
      expect(listed.map((c: { caseId: string }) => c.caseId)).not.toContain(theirs.caseId);
      const stats = await http(stack.baseUrl, 'GET', url(`/${attacker}/stats`), { token });
      expect(stats.status).toBe(200);
      expect(stats.body.totalCases).toBe(1);
      const config = await http(stack.baseUrl, 'GET', url(`/${attacker}/config`), { token });
      expect(config.body.config.id).toBe(attacker);
    }
  });

  test("when a workflow under nav's id records nav-holf as its kommune, then every case route of nav answers 404 and the case is unchanged", async () => {
    // Planted straight into Temporal, as an older engine (or anyone with Temporal access) might have:
    // the API must believe the case's own record, not the prefix of its workflow id.
    const caseId = randomCaseId();
    const handle = await stack.client.workflow.start(caseWorkflow, {
      workflowId: caseWorkflowId('nav', caseId),
      taskQueue: stack.taskQueue,
      args: [
        { kommune: 'nav-holf', caseId, config: stack.configs.get('nav-holf')!, configVersion: 1 },
      ],
    });
    const opened = await handle.executeUpdate(openCaseUpdate, {
      args: [
        {
          referralSource: 'nav_sosialtjeneste',
          payload: holfIntake('fk-holf'),
          actor: { id: 'u-nav_veileder', role: 'nav_veileder' },
        },
      ],
    });
    expect(opened.state.kommune).toBe('nav-holf');
    const token = await stack.token('nav', 'leder');
    for (const route of caseRoutes) {
      const res = await http(
        stack.baseUrl,
        route.method,
        url(`/nav/cases/${caseId}${route.suffix}`),
        {
          token,
          body: route.body?.({ revision: opened.state.revision } as CaseClient),
        },
      );
      expectError(res, 404, 'CASE_NOT_FOUND');
    }
    expect((await handle.query('view', 'leder')) as { state: { revision: number } }).toMatchObject({
      state: { revision: opened.state.revision },
    });
    const navList = await http(stack.baseUrl, 'GET', url('/nav/cases'), { token });
    expect(navList.body.cases.map((c: { caseId: string }) => c.caseId)).not.toContain(caseId);
  });
});

describe('bodies', () => {
  const send = async (
    body: string | Buffer,
    headers: Record<string, string> = { 'Content-Type': 'application/json' },
  ) =>
    rawPost(
      `${target.path}/events`,
      Buffer.isBuffer(body) ? body : Buffer.from(withRevision(body), 'utf8'),
      headers,
      await stack.token('lorenskog', 'veiviser'),
    );
  /** An event body as text; `REV` becomes the case's revision when it is sent. */
  const eventText = (payload: string) =>
    `{"type":"registrerAktivitet","payload":${payload},"expectedRevision":REV}`;
  const withRevision = (text: string) =>
    text.replace('"expectedRevision":REV', `"expectedRevision":${target.revision}`);

  test.each([
    ['20,000 arrays', `${'['.repeat(20_000)}${']'.repeat(20_000)}`],
    ['10,000 objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['one level more than allowed', `${'['.repeat(31)}${']'.repeat(31)}`],
  ])(
    'when a payload is nested %s deep, then 400 NESTING_TOO_DEEP and the case is unchanged',
    async (_what, payload) => {
      const before = await fingerprint(target);
      expectError(
        await send(eventText(`{"aktivitet":"kontakt","x":${payload}}`)),
        400,
        'NESTING_TOO_DEEP',
        '/body',
      );
      expect(await fingerprint(target)).toEqual(before);
    },
  );

  test('when a payload is nested exactly as deep as allowed, then the body is read and the form has the last word', async () => {
    const before = await fingerprint(target);
    // The body and the payload are two levels; 30 arrays make 32.
    expectError(
      await send(eventText(`{"aktivitet":"kontakt","x":${'['.repeat(30)}${']'.repeat(30)}}`)),
      422,
      'PAYLOAD_INVALID',
      '/body/payload/x',
    );
    expect(await fingerprint(target)).toEqual(before);
  });

  test('when an event body is over 64 KB, then 413 PAYLOAD_TOO_LARGE and the case is unchanged', async () => {
    const before = await fingerprint(target);
    expectError(
      await send(eventText(JSON.stringify({ aktivitet: 'kontakt', notat: 'x'.repeat(70_000) }))),
      413,
      'PAYLOAD_TOO_LARGE',
      '/body',
    );
    expect(await fingerprint(target)).toEqual(before);
  });

  test.each([
    [
      'in the payload',
      eventText('{"aktivitet":"kontakt","aktivitet":"mote"}'),
      '/body/payload/aktivitet',
    ],
    [
      'at the top',
      '{"type":"registrerAktivitet","type":"avsluttVeivisersak","payload":{"aktivitet":"kontakt"},"expectedRevision":REV}',
      '/body/type',
    ],
  ])(
    'when a key appears twice %s, then 400 DUPLICATE_KEY at its path and the case is unchanged',
    async (_where, text, path) => {
      const before = await fingerprint(target);
      expectError(await send(text), 400, 'DUPLICATE_KEY', path);
      expect(await fingerprint(target)).toEqual(before);
    },
  );

  test.each([
    [
      'UTF-16LE with a byte order mark',
      (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
      'application/json',
    ],
    ['UTF-16LE without one', (t: string) => Buffer.from(t, 'utf16le'), 'application/json'],
    [
      'UTF-16BE with a byte order mark',
      (t: string) => Buffer.from(`\ufeff${t}`, 'utf16le').swap16(),
      'application/json',
    ],
    ['charset=utf-16', (t: string) => Buffer.from(t), 'application/json; charset=utf-16'],
    ['charset=iso-8859-1', (t: string) => Buffer.from(t), 'application/json; charset=iso-8859-1'],
  ])(
    'when the body comes as %s, then 415 UNSUPPORTED_MEDIA_TYPE and the case is unchanged',
    async (_what, bytes, contentType) => {
      const before = await fingerprint(target);
      expectError(
        await send(bytes(withRevision(eventText('{"aktivitet":"kontakt"}'))), {
          'Content-Type': contentType,
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expect(await fingerprint(target)).toEqual(before);
    },
  );

  test('when the body is gzip-compressed, then 415 UNSUPPORTED_MEDIA_TYPE and the case is unchanged', async () => {
    const before = await fingerprint(target);
    const res = await send(gzipSync(withRevision(eventText('{"aktivitet":"kontakt"}'))), {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
    });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', '/headers/content-encoding');
    expect(await fingerprint(target)).toEqual(before);
  });

  test('when the body is not valid UTF-8, then 400 INVALID_UTF8 and the case is unchanged', async () => {
    const before = await fingerprint(target);
    const [head, tail] = withRevision(eventText('{"aktivitet":"kontakt","notat":"XX"}')).split(
      'XX',
    );
    expectError(
      await send(
        Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(tail)]),
      ),
      400,
      'INVALID_UTF8',
      '/body',
    );
    expect(await fingerprint(target)).toEqual(before);
  });

  test('when a payload smuggles a field in through "__proto__", then the field is not seen and the form refuses the event', async () => {
    const before = await fingerprint(target);
    expectError(
      await send(eventText('{"__proto__":{"aktivitet":"kontakt"}}')),
      422,
      'PAYLOAD_INVALID',
      '/body/payload/aktivitet',
    );
    expect(await fingerprint(target)).toEqual(before);
  });
});

describe("names of Object's own properties", () => {
  test.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])(
    'when the event type is "%s", then 422 EVENT_UNKNOWN and the case is unchanged',
    async (type) => {
      const before = await fingerprint(target);
      const res = await http(stack.baseUrl, 'POST', `${target.path}/events`, {
        token: await stack.token('lorenskog', 'veiviser'),
        body: { type, payload: {}, expectedRevision: target.revision },
      });
      expectError(res, 422, 'EVENT_UNKNOWN');
      expect(await fingerprint(target)).toEqual(before);
    },
  );

  test('when the token role is "constructor", then 403 ROLE_NOT_ALLOWED', async () => {
    expectError(
      await http(stack.baseUrl, 'GET', target.path, {
        token: await stack.token('lorenskog', 'constructor'),
      }),
      403,
      'ROLE_NOT_ALLOWED',
    );
  });
});

describe('Idempotency-Key', () => {
  const eventAs = async (key: string, body: unknown) =>
    http(stack.baseUrl, 'POST', `${target.path}/events`, {
      token: await stack.token('lorenskog', 'veiviser'),
      body,
      headers: { 'Idempotency-Key': key },
    });

  test('when an event key is reused with a different body, then 409 IDEMPOTENCY_KEY_REUSED, nothing runs, and the first body still gets its answer', async () => {
    const key = randomUUID();
    const first = {
      type: 'registrerAktivitet',
      payload: { aktivitet: 'kontakt' },
      expectedRevision: target.revision,
    };
    const done = await eventAs(key, first);
    expect(done.status).toBe(200);
    target.revision = done.body.revision;
    const before = await fingerprint(target);

    // Valid now (the current revision): had it run, the case would have moved on.
    const reused = await eventAs(key, {
      type: 'registrerAktivitet',
      payload: { aktivitet: 'mote' },
      expectedRevision: target.revision,
    });
    expectError(reused, 409, 'IDEMPOTENCY_KEY_REUSED', '/headers/idempotency-key');
    expect(await fingerprint(target)).toEqual(before);

    const retried = await eventAs(key, first);
    expect({ status: retried.status, revision: retried.body.revision }).toEqual({
      status: 200,
      revision: done.body.revision,
    });
    expect(await fingerprint(target)).toEqual(before);
  });

  test('when a reopening key is reused with a different body, then 409 IDEMPOTENCY_KEY_REUSED and the case stays closed', async () => {
    const c = new CaseClient(stack, 'lorenskog');
    await c.open('veiviser', 'innbygger', { henvendelsesgjelder: 'familie' });
    await c.send('veiviser', 'avklarSakstype', { sakstype: 'koble_tjenester' });
    const closed = await c.send('veiviser', 'avsluttVeivisersak', { arsak: 'tjenester_koblet' });
    const token = await stack.token('lorenskog', 'veiviser');
    const key = randomUUID();
    const reopen = (expectedRevision: number) =>
      http(stack.baseUrl, 'POST', `${c.path}/reopen`, {
        token,
        body: { expectedRevision },
        headers: { 'Idempotency-Key': key },
      });
    const reopened = await reopen(closed.revision);
    expect(reopened.status).toBe(200);
    c.revision = reopened.body.revision;
    const closedAgain = await c.send('veiviser', 'avsluttVeivisersak', { arsak: 'rad_gitt' });

    const reused = await reopen(closedAgain.revision);
    expectError(reused, 409, 'IDEMPOTENCY_KEY_REUSED', '/headers/idempotency-key');
    const now = await c.get('veiviser');
    expect({ status: now.body.status, revision: now.body.revision }).toEqual({
      status: 'closed',
      revision: closedAgain.revision,
    });
  });
});

describe('response headers', () => {
  test('when case or config data is answered (or an error), then it says Cache-Control: no-store and X-Content-Type-Options: nosniff', async () => {
    const leder = await stack.token('lorenskog', 'leder');
    const answers = [
      await http(stack.baseUrl, 'GET', target.path, { token: leder }),
      await http(stack.baseUrl, 'GET', `${target.path}/history`, { token: leder }),
      await http(stack.baseUrl, 'GET', url('/lorenskog/cases'), { token: leder }),
      await http(stack.baseUrl, 'GET', url('/lorenskog/config'), { token: leder }),
      await http(stack.baseUrl, 'GET', url(`/lorenskog/cases/${randomCaseId()}`), { token: leder }),
      await http(stack.baseUrl, 'GET', '/visualizer/api/me', { token: leder }),
    ];
    for (const res of answers) {
      expect({
        cache: res.headers.get('cache-control'),
        nosniff: res.headers.get('x-content-type-options'),
      }).toEqual({ cache: 'no-store', nosniff: 'nosniff' });
    }
    const stream = await fetch(`${stack.baseUrl}${target.path}/stream`, {
      headers: { Authorization: `Bearer ${leder}` },
    });
    expect(stream.headers.get('cache-control')).toMatch(/^no-store/);
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
    await stream.body?.cancel();
  });
});

describe('logs', () => {
  test('when requests fail, also unexpectedly, then no body, id from the URL or token reaches the log', async () => {
    const canary = 'canary7q9zx';
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const real: ConfigSource = (await import('../../server/config-source')).staticConfigSource(
      stack.configs,
    );
    // The config store failing with a message that quotes data: an unexpected error, answered 500.
    const failing: ConfigSource = {
      ...real,
      current: async (kommune) => {
        if (kommune === 'oygarden') throw new Error(`store broke reading ${canary}`);
        return real.current(kommune);
      },
    };
    const app = createApp({
      health: { client: stack.client, namespace: 'default', workerState: () => 'absent' },
      api: {
        client: stack.client,
        taskQueue: stack.taskQueue,
        configs: failing,
        caseLog: stack.caseLog,
        auth: { kind: 'dev', issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE },
        dataDir: stack.dataDir,
        logger: pino({ level: 'info' }, sink),
      },
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const token = await stack.token('lorenskog', 'veiviser', `sub-${canary}`);
      const answers = [
        await http(base, 'POST', `${target.path}/events`, {
          token,
          body: `{"type": "${canary}", `,
        }),
        await http(base, 'POST', `${target.path}/events`, {
          token,
          body: { type: canary, payload: { note: canary }, expectedRevision: 0, [canary]: 1 },
        }),
        await http(base, 'GET', url(`/lorenskog/cases/${canary}`), { token }),
        await http(base, 'GET', url(`/lorenskog/cases?holder=${canary}-${'x'.repeat(80)}`), {
          token,
        }),
        await http(base, 'GET', url('/oygarden/cases'), {
          token: await stack.token('oygarden', 'leder', `sub-${canary}`),
        }),
        await http(base, 'GET', target.path, { token: `${canary}.${canary}.${canary}` }),
      ];
      expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 500, 401]);
      await new Promise((r) => setImmediate(r));
      const log = lines.join('');
      expect(log).toContain('"errorClass":"Error"');
      expect(log).toContain('"route":"/kommuner/:kommune/cases"');
      expect(log).not.toContain(canary);
      expect(log).not.toContain(target.caseId);
    } finally {
      await app.api?.close();
      await new Promise((r) => server.close(r));
    }
  });
});
