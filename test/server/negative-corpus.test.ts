/**
 * Bad requests, one table: malformed JSON, wrong types, unknown events, events not allowed in
 * this step, payloads failing the form, stale revisions, missing/expired/forged tokens, wrong
 * role, another kommune's case, oversized bodies, a reused Idempotency-Key. Each row names the
 * expected status and error code; after each, the case is exactly as it was.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type JWK, type KeyLike } from 'jose';
import { createApp } from '../../server/app';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../../server/auth-settings';
import { staticConfigSource } from '../../server/config-source';
import { http, startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';

jest.setTimeout(120_000);

const kommune = 'lorenskog';
let stack: ApiStack;
let target: CaseClient;
let foreign: CaseClient;
const reusedKey = randomUUID();
let signWith: (
  claims: Record<string, unknown>,
  opts?: { issuer?: string; audience?: string; exp?: number; key?: KeyLike },
) => Promise<string>;

beforeAll(async () => {
  stack = await startApiStack();
  target = new CaseClient(stack, kommune);
  await target.open('veiviser', 'innbygger', { henvendelsesgjelder: 'barn' });
  await target.send('veiviser', 'avklarSakstype', { sakstype: 'koordinator' });
  foreign = new CaseClient(stack, 'oygarden');
  await foreign.open('tjenesteyter', 'skole', { arena: 'skole', barnetsAlder: 10 });
  const first = await http(stack.baseUrl, 'POST', `/api/v1/kommuner/${kommune}/cases`, {
    token: await stack.token(kommune, 'veiviser'),
    body: { referralSource: 'nav', payload: { henvendelsesgjelder: 'voksen' } },
    headers: { 'Idempotency-Key': reusedKey },
  });
  expect(first.status).toBe(201);

  const jwk = JSON.parse(
    readFileSync(join(stack.dataDir, 'dev-issuer', 'signing-key.jwk.json'), 'utf8'),
  ) as JWK;
  const devKey = (await importJWK(jwk, 'ES256')) as KeyLike;
  signWith = (claims, opts = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
      .setIssuer(opts.issuer ?? DEV_ISSUER)
      .setAudience(opts.audience ?? DEFAULT_AUDIENCE)
      .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(opts.key ?? devKey);
});
afterAll(async () => stack?.stop());

/** The veiviser's own events in the case's step: the family's consent, on paper, and the handover. */
const VEIVISER_EVENTS_HERE = [
  'leggTilFamilie',
  'registrerSamtykke',
  'trekkSamtykke',
  'byttVeiviser',
];

interface Row {
  name: string;
  method: 'GET' | 'POST';
  /** Relative to /api/v1/kommuner; `{case}` is the target case, `{foreign}` the oygarden case. */
  path: string;
  token?: () => Promise<string | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** Extra checks on the error body. */
  check?: (error: {
    details: Array<{ path: string; nb: string }>;
    allowedEvents?: string[];
    message: string;
    nb: string;
  }) => void;
}

const as =
  (role: string, k = kommune, sub?: string) =>
  () =>
    stack.token(k, role, sub);
const casePath = '/lorenskog/cases/{case}';
const event = (type: string, payload: unknown, expectedRevision: number | string = 2) => ({
  type,
  payload,
  expectedRevision,
});
const okVedtak = { vedtak: 'avslag', vedtaksdato: '2026-01-10' };

const rows: Row[] = [
  // ---- tokens
  {
    name: 'no token',
    method: 'GET',
    path: casePath,
    status: 401,
    code: 'TOKEN_MISSING',
    check: (e) =>
      expect(e.nb).toBe(
        'Du er ikke logget inn. Send en innlogging (Authorization: Bearer <token>).',
      ),
  },
  {
    name: 'Basic instead of Bearer',
    method: 'GET',
    path: casePath,
    headers: { Authorization: 'Basic dTpw' },
    status: 401,
    code: 'TOKEN_INVALID',
  },
  {
    name: 'garbage bearer token',
    method: 'GET',
    path: casePath,
    token: async () => 'abc.def.ghi',
    status: 401,
    code: 'TOKEN_INVALID',
  },
  {
    name: 'expired token',
    method: 'GET',
    path: casePath,
    token: () =>
      signWith(
        { sub: 'u', kommune, role: 'veiviser' },
        { exp: Math.floor(Date.now() / 1000) - 3600 },
      ),
    status: 401,
    code: 'TOKEN_EXPIRED',
  },
  {
    name: 'token signed by a forged key',
    method: 'GET',
    path: casePath,
    token: async () =>
      signWith(
        { sub: 'u', kommune, role: 'leder' },
        { key: (await generateKeyPair('ES256')).privateKey },
      ),
    status: 401,
    code: 'TOKEN_INVALID',
  },
  {
    name: 'token for another audience',
    method: 'GET',
    path: casePath,
    token: () => signWith({ sub: 'u', kommune, role: 'leder' }, { audience: 'other-api' }),
    status: 401,
    code: 'TOKEN_INVALID',
  },
  {
    name: 'token from another issuer',
    method: 'GET',
    path: casePath,
    token: () => signWith({ sub: 'u', kommune, role: 'leder' }, { issuer: 'https://evil.example' }),
    status: 401,
    code: 'TOKEN_INVALID',
  },
  {
    name: 'token without a role claim',
    method: 'GET',
    path: casePath,
    token: () => signWith({ sub: 'u', kommune }),
    status: 401,
    code: 'TOKEN_INVALID',
  },
  {
    name: 'token without sub',
    method: 'GET',
    path: casePath,
    token: () => signWith({ kommune, role: 'leder' }),
    status: 401,
    code: 'TOKEN_INVALID',
  },
  {
    name: 'unsigned token (alg none)',
    method: 'GET',
    path: casePath,
    token: async () =>
      new UnsecuredJWT({ sub: 'u', kommune, role: 'leder' })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEFAULT_AUDIENCE)
        .setExpirationTime('10m')
        .encode(),
    status: 401,
    code: 'TOKEN_INVALID',
  },
  // ---- roles and kommuner
  {
    name: 'role that is not a role of the kommune',
    method: 'GET',
    path: casePath,
    token: as('rektor'),
    status: 403,
    code: 'ROLE_NOT_ALLOWED',
  },
  {
    name: 'role that may not open cases',
    method: 'POST',
    path: '/lorenskog/cases',
    token: as('saksbehandler'),
    body: { referralSource: 'nav', payload: { henvendelsesgjelder: 'barn' } },
    status: 403,
    code: 'ROLE_NOT_ALLOWED',
  },
  {
    name: 'wrong role for the event',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('veiviser'),
    body: event('fattVedtak', okVedtak),
    status: 403,
    code: 'ROLE_NOT_ALLOWED',
    check: (e) => {
      expect(e.allowedEvents).toEqual(VEIVISER_EVENTS_HERE);
      expect(e.nb).toBe(
        'Rollen «Familieveiviser» kan ikke sende «Fatt vedtak om barnekoordinator/koordinator».',
      );
    },
  },
  {
    name: 'another kommune reads the case',
    method: 'GET',
    path: casePath,
    token: as('tjenesteyter', 'oygarden'),
    status: 404,
    code: 'CASE_NOT_FOUND',
  },
  {
    name: 'another kommune sends an event',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('leder', 'oygarden'),
    body: event('fattVedtak', okVedtak),
    status: 404,
    code: 'CASE_NOT_FOUND',
  },
  {
    name: 'another kommune reads the history',
    method: 'GET',
    path: `${casePath}/history`,
    token: as('leder', 'oygarden'),
    status: 404,
    code: 'CASE_NOT_FOUND',
  },
  {
    name: 'another kommune opens the stream',
    method: 'GET',
    path: `${casePath}/stream`,
    token: as('leder', 'oygarden'),
    status: 404,
    code: 'CASE_NOT_FOUND',
  },
  {
    name: "our case id under the other kommune's path",
    method: 'GET',
    path: '/oygarden/cases/{case}',
    token: as('leder', 'oygarden'),
    status: 404,
    code: 'CASE_NOT_FOUND',
  },
  {
    name: "the other kommune's case id under our path",
    method: 'GET',
    path: '/lorenskog/cases/{foreign}',
    token: as('leder'),
    status: 404,
    code: 'CASE_NOT_FOUND',
  },
  {
    name: 'another kommune lists our cases',
    method: 'GET',
    path: '/lorenskog/cases',
    token: as('leder', 'oygarden'),
    status: 403,
    code: 'KOMMUNE_NOT_ALLOWED',
  },
  {
    name: 'another kommune reads our stats',
    method: 'GET',
    path: '/lorenskog/stats',
    token: as('leder', 'oygarden'),
    status: 403,
    code: 'KOMMUNE_NOT_ALLOWED',
  },
  {
    name: 'unknown case id',
    method: 'GET',
    path: '/lorenskog/cases/abcdefghijkmnpqrstuv',
    token: as('leder'),
    status: 404,
    code: 'CASE_NOT_FOUND',
    check: (e) => expect(e.nb).toBe('Saken «abcdefghijkmnpqrstuv» finnes ikke i lorenskog.'),
  },
  {
    name: 'unknown kommune',
    method: 'GET',
    path: '/bergen/cases',
    token: as('leder', 'bergen'),
    status: 404,
    code: 'KOMMUNE_NOT_FOUND',
  },
  {
    name: 'unknown route',
    method: 'GET',
    path: '/lorenskog/nope',
    token: as('leder'),
    status: 404,
    code: 'NOT_FOUND',
  },
  // ---- malformed requests
  {
    name: 'malformed JSON',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: '{"type": "fattVedtak", ',
    status: 400,
    code: 'MALFORMED_JSON',
    check: (e) => {
      expect(e.nb).toBe('Forespørselen er ikke gyldig JSON.');
      expect(e.details[0]!.nb).toMatch(/^Ikke gyldig JSON: Linje 1, kolonne \d+\.$/);
    },
  },
  {
    name: 'body is an array',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: [event('fattVedtak', okVedtak)],
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'expectedRevision as a string',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', okVedtak, '2'),
    status: 400,
    code: 'VALIDATION_FAILED',
    check: (e) => expect(e.details[0].path).toBe('/body/expectedRevision'),
  },
  {
    name: 'expectedRevision missing',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: { type: 'fattVedtak', payload: okVedtak },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'expectedRevision negative',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', okVedtak, -1),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'expectedRevision not an integer',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', okVedtak, 2.5),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'event type as a number',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: { type: 42, payload: okVedtak, expectedRevision: 2 },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'payload as a string',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', 'avslag'),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'unknown top-level field',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: { ...event('fattVedtak', okVedtak), force: true },
    status: 400,
    code: 'VALIDATION_FAILED',
    check: (e) => expect(e.details[0].path).toBe('/body/force'),
  },
  {
    name: 'body sent as text/plain',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: JSON.stringify(event('fattVedtak', okVedtak)),
    headers: { 'Content-Type': 'text/plain' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'oversized body',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', { ...okVedtak, pad: 'x'.repeat(300_000) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'case id with illegal characters',
    method: 'GET',
    path: '/lorenskog/cases/bad%20id!',
    token: as('leder'),
    status: 400,
    code: 'VALIDATION_FAILED',
    check: (e) => expect(e.details[0].path).toBe('/path/caseId'),
  },
  {
    name: 'list with level 7',
    method: 'GET',
    path: '/lorenskog/cases?level=7',
    token: as('leder'),
    status: 400,
    code: 'VALIDATION_FAILED',
    check: (e) => expect(e.details[0].path).toBe('/query/level'),
  },
  {
    name: 'list with pageSize 0',
    method: 'GET',
    path: '/lorenskog/cases?pageSize=0',
    token: as('leder'),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'list with an unknown filter',
    method: 'GET',
    path: '/lorenskog/cases?personnummer=12345678901',
    token: as('leder'),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'list with a forged cursor',
    method: 'GET',
    path: '/lorenskog/cases?cursor=AAAAAAAAAAAAAAAA',
    token: as('leder'),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'list with dueBefore not a date',
    method: 'GET',
    path: '/lorenskog/cases?dueBefore=tomorrow',
    token: as('leder'),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'statechart version not a number',
    method: 'GET',
    path: '/lorenskog/config/statechart?version=latest',
    token: as('leder'),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'Idempotency-Key too short (a personal number would be)',
    method: 'POST',
    path: '/lorenskog/cases',
    token: as('veiviser'),
    body: { referralSource: 'nav', payload: { henvendelsesgjelder: 'barn' } },
    headers: { 'Idempotency-Key': '12345678901' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  // ---- the case refuses
  {
    name: 'unknown event',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('flyttTilMars', {}),
    status: 422,
    code: 'EVENT_UNKNOWN',
  },
  {
    name: 'event not allowed in this step',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('veiviser'),
    body: event('avklarSakstype', { sakstype: 'koordinator' }),
    status: 422,
    code: 'EVENT_NOT_ALLOWED',
    check: (e) => {
      expect(e.allowedEvents).toEqual(VEIVISER_EVENTS_HERE);
      expect(e.nb).toBe(
        'Hendelsen «Avklar sakstype» kan ikke sendes i steget «Vurdering av barnekoordinator/koordinator».',
      );
    },
  },
  {
    name: 'payload value outside the form',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', { vedtak: 'ja', vedtaksdato: '2026-01-10' }),
    status: 422,
    code: 'PAYLOAD_INVALID',
    check: (e) => {
      expect(e.nb).toBe(
        'Skjemaet for «Fatt vedtak om barnekoordinator/koordinator» er ikke riktig utfylt.',
      );
      expect(e.details).toContainEqual(
        expect.objectContaining({
          path: '/body/payload/vedtak',
          nb: 'Må være en av: «barnekoordinator», «koordinator», «avslag».',
        }),
      );
    },
  },
  {
    name: 'payload missing a conditional field',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', { vedtak: 'barnekoordinator', vedtaksdato: '2026-01-10' }),
    status: 422,
    code: 'PAYLOAD_INVALID',
  },
  {
    name: 'payload with a field the form does not have',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', { ...okVedtak, fodselsnummer: '01010112345' }),
    status: 422,
    code: 'PAYLOAD_INVALID',
  },
  {
    name: 'payload date in the wrong format',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', { vedtak: 'avslag', vedtaksdato: '10.01.2026' }),
    status: 422,
    code: 'PAYLOAD_INVALID',
    check: (e) =>
      expect(e.details).toContainEqual(
        expect.objectContaining({
          path: '/body/payload/vedtaksdato',
          nb: 'Må være en dato (ÅÅÅÅ-MM-DD).',
        }),
      ),
  },
  {
    name: 'stale revision',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', okVedtak, 1),
    status: 409,
    code: 'REVISION_CONFLICT',
    check: (e) => {
      expect(e.nb).toBe('Saken er endret siden du åpnet den. Last saken på nytt og prøv igjen.');
      expect(e.details).toEqual([
        expect.objectContaining({
          path: '/body/expectedRevision',
          nb: 'Saken er nå på revisjon 2.',
        }),
      ]);
    },
  },
  {
    name: 'revision from the future',
    method: 'POST',
    path: `${casePath}/events`,
    token: as('saksbehandler'),
    body: event('fattVedtak', okVedtak, 99),
    status: 409,
    code: 'REVISION_CONFLICT',
  },
  {
    name: 'reopening an open case',
    method: 'POST',
    path: `${casePath}/reopen`,
    token: as('veiviser'),
    body: { expectedRevision: 2 },
    status: 422,
    code: 'REOPEN_NOT_ALLOWED',
  },
  {
    name: 'opening with an unknown referral source',
    method: 'POST',
    path: '/lorenskog/cases',
    token: as('veiviser'),
    body: { referralSource: 'naboen', payload: { henvendelsesgjelder: 'barn' } },
    status: 422,
    code: 'REFERRAL_SOURCE_UNKNOWN',
    check: (e) => expect(e.details[0].path).toBe('/body/referralSource'),
  },
  {
    name: 'opening with an invalid intake form',
    method: 'POST',
    path: '/lorenskog/cases',
    token: as('veiviser'),
    body: { referralSource: 'nav', payload: { henvendelsesgjelder: 'katt' } },
    status: 422,
    code: 'PAYLOAD_INVALID',
  },
  {
    name: 'the same Idempotency-Key with a different body',
    method: 'POST',
    path: '/lorenskog/cases',
    token: as('veiviser'),
    body: { referralSource: 'politi', payload: { henvendelsesgjelder: 'voksen' } },
    headers: { 'Idempotency-Key': reusedKey },
    status: 409,
    code: 'IDEMPOTENCY_KEY_REUSED',
  },
];

describe('negative corpus', () => {
  test('has at least 40 bad requests', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  test.each(rows.map((r) => [r.name, r] as const))(
    'when sent %s, then the answer is the documented error and the case is unchanged',
    async (_name, row) => {
      const before = await target.get('leder');
      const path = `/api/v1/kommuner${row.path.replace('{case}', target.caseId).replace('{foreign}', foreign.caseId)}`;
      const res = await http(stack.baseUrl, row.method, path, {
        token: await row.token?.(),
        body: row.body,
        headers: row.headers,
      });
      expect({ status: res.status, code: res.body?.error?.code }).toEqual({
        status: row.status,
        code: row.code,
      });
      // Every refusal says why in English (logs) and in bokmål (the user), field by field too.
      expect(res.body.error).toEqual({
        code: row.code,
        message: expect.any(String),
        nb: expect.stringMatching(/\S/),
        details: expect.any(Array),
        ...(res.body.error.allowedEvents ? { allowedEvents: expect.any(Array) } : {}),
      });
      for (const d of res.body.error.details) expect(d.nb).toMatch(/\S/);
      row.check?.(res.body.error);
      const after = await target.get('leder');
      expect({ revision: after.body.revision, step: after.body.step }).toEqual({
        revision: before.body.revision,
        step: 'vurdering_koordinator',
      });
    },
  );

  test("when another kommune asks for a case, then the answer cannot be told from a missing case's", async () => {
    const token = await stack.token('oygarden', 'leder');
    const existing = await http(
      stack.baseUrl,
      'GET',
      `/api/v1/kommuner/lorenskog/cases/${target.caseId}`,
      { token },
    );
    const missing = await http(
      stack.baseUrl,
      'GET',
      '/api/v1/kommuner/lorenskog/cases/abcdefghijkmnpqrstuv',
      { token },
    );
    expect(existing.status).toBe(missing.status);
    expect(JSON.stringify(existing.body).replaceAll(target.caseId, 'ID')).toBe(
      JSON.stringify(missing.body).replaceAll('abcdefghijkmnpqrstuv', 'ID'),
    );
  });

  test('when no token is sent, then the 401 says how to authenticate', async () => {
    const res = await http(
      stack.baseUrl,
      'GET',
      `/api/v1/kommuner/lorenskog/cases/${target.caseId}`,
    );
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="sluse"');
  });

  test('when one token sends more requests than its limit, then it gets 429 RATE_LIMITED while another token still gets through', async () => {
    const app = createApp({
      health: { client: stack.client, namespace: 'default', workerState: () => 'absent' },
      api: {
        client: stack.client,
        taskQueue: stack.taskQueue,
        configs: staticConfigSource(stack.configs),
        caseLog: stack.caseLog,
        auth: { kind: 'dev', issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE },
        dataDir: stack.dataDir,
        options: { rateLimit: { limit: 3, windowMs: 60_000 } },
      },
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const busy = await stack.token(kommune, 'leder', 'busy');
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await http(base, 'GET', '/api/v1/kommuner/lorenskog/config', { token: busy })).status,
        );
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await http(base, 'GET', '/api/v1/kommuner/lorenskog/config', { token: busy });
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(
        (
          await http(base, 'GET', '/api/v1/kommuner/lorenskog/config', {
            token: await stack.token(kommune, 'leder', 'calm'),
          })
        ).status,
      ).toBe(200);
    } finally {
      await app.api?.close();
      await new Promise((r) => server.close(r));
    }
  });
});
