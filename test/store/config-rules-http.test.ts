/**
 * One truth for configs over HTTP, against a real Temporal dev server and worker with the config
 * store on PGlite: what validates, publishes and runs (a conditional `required` no longer breaks
 * every case opening); a pattern RE2 cannot run is refused with its path; a backtracking pattern
 * in a published intake form never stalls the server; configs nested 20,000 deep are answered
 * with their path instead of a crash, and change nothing.
 */
import { randomUUID } from 'node:crypto';
import type { KommuneConfig } from '../../config';
import { openConfigStore, type OpenedConfigStore } from '../../store';
import { http, startApiStack, type ApiStack } from '../server/api-stack';
import { seedDirWith, testKommune } from './test-kommune';
import { memoryDatabase } from '../support/memory-database';

jest.setTimeout(180_000);

const K = 'formby';
let opened: OpenedConfigStore;
let stack: ApiStack;

beforeAll(async () => {
  opened = await openConfigStore({ ...memoryDatabase(), seedDir: seedDirWith(K) });
  stack = await startApiStack({ configStore: opened.store });
});
afterAll(async () => {
  await stack?.stop();
  await opened?.close();
});

const config = (path = '') => `/api/v1/kommuner/${K}/config${path}`;

async function asOwner(method: string, path: string, body?: unknown) {
  return http(stack.baseUrl, method, path, {
    token: await stack.token(K, 'prosesseier', 'po-1'),
    body,
  });
}

async function openCase(payload: unknown) {
  return http(stack.baseUrl, 'POST', `/api/v1/kommuner/${K}/cases`, {
    token: await stack.token(K, 'koordinator'),
    body: { referralSource: 'skole', payload },
    headers: { 'Idempotency-Key': randomUUID() },
  });
}

function withIntakeForm(form: Record<string, unknown>): KommuneConfig {
  const c = testKommune(K);
  c.intake.payload = form;
  return c;
}

/** What must not change when a config change is refused. */
async function configState() {
  const [versions, draft] = await Promise.all([
    asOwner('GET', config('/versions')),
    asOwner('GET', config('/draft')),
  ]);
  return {
    versions: versions.body.versions.length,
    draft: draft.status === 200 ? draft.body.text : null,
  };
}

test('when an intake form with a conditional required field (then.required) is published, then cases still open and the condition holds', async () => {
  const draft = withIntakeForm({
    type: 'object',
    additionalProperties: false,
    properties: { alder: { type: 'integer' }, skole: { type: 'string' } },
    if: { properties: { alder: { minimum: 6 } }, required: ['alder'] },
    then: { required: ['skole'] },
  });
  expect((await asOwner('PUT', config('/draft'), { config: draft })).status).toBe(200);
  expect((await asOwner('POST', config('/validate'), {})).body).toEqual({
    valid: true,
    errors: [],
  });
  expect(
    (await asOwner('POST', config('/publish'), { comment: 'skole kreves fra seks år' })).status,
  ).toBe(201);

  expect((await openCase({ alder: 9, skole: 'Hjelteryggen' })).status).toBe(201);
  expect((await openCase({ alder: 4 })).status).toBe(201);
  const refused = await openCase({ alder: 9 });
  expect(refused.status).toBe(422);
  expect(refused.body.error).toMatchObject({
    code: 'PAYLOAD_INVALID',
    details: [expect.objectContaining({ path: '/body/payload/skole' })],
  });
});

test('when a draft form uses a pattern RE2 cannot run, then validation and publishing name the pattern at its path, with its code and in bokmål, and nothing is published', async () => {
  const draft = withIntakeForm({
    type: 'object',
    properties: { kode: { type: 'string', pattern: '^(?!x)\\w+$' } },
  });
  expect((await asOwner('PUT', config('/draft'), { config: draft })).status).toBe(200);
  const checked = await asOwner('POST', config('/validate'), {});
  expect(checked.status).toBe(200);
  expect(checked.body).toMatchObject({
    valid: false,
    errors: [
      {
        path: '/intake/payload/properties/kode/pattern',
        code: 'PATTERN_NOT_SUPPORTED',
        nb: expect.stringMatching(/^Mønsteret "\^\(\?!x\)\\\\w\+\$" kan ikke brukes/),
        line: expect.any(Number),
      },
    ],
  });
  const before = await configState();
  const publish = await asOwner('POST', config('/publish'), { comment: 'prøver' });
  expect(publish.status).toBe(422);
  expect(publish.body.error.code).toBe('CONFIG_INVALID');
  expect(publish.body.error.details).toEqual([
    {
      path: '/intake/payload/properties/kode/pattern',
      code: 'PATTERN_NOT_SUPPORTED',
      message: expect.stringMatching(/^the pattern .* cannot be used: .*\[line \d+, column \d+\]$/),
      nb: expect.stringMatching(
        /^Mønsteret .* skriv det om uten dem\. \[linje \d+, kolonne \d+\]$/,
      ),
    },
  ]);
  expect(await configState()).toEqual(before);
  expect((await asOwner('DELETE', config('/draft'))).status).toBe(200);
});

test('when a published intake form has a catastrophic-backtracking pattern, then a hostile intake is refused at once and /health keeps answering', async () => {
  const draft = withIntakeForm({
    type: 'object',
    properties: { kode: { type: 'string', pattern: '^(a+)+$' } },
  });
  expect((await asOwner('PUT', config('/draft'), { config: draft })).status).toBe(200);
  expect((await asOwner('POST', config('/publish'), { comment: 'kode' })).status).toBe(201);
  await openCase({ kode: 'aaa' }); // warm up: the published version is compiled once

  const hostile = Array.from({ length: 4 }, () => openCase({ kode: `${'a'.repeat(40)}!` }));
  const healthStarted = Date.now();
  const health = await http(stack.baseUrl, 'GET', '/health');
  const healthMs = Date.now() - healthStarted;
  for (const res of await Promise.all(hostile)) {
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'PAYLOAD_INVALID',
      details: [expect.objectContaining({ path: '/body/payload/kode' })],
    });
  }
  expect(health.status).toBe(200);
  // A backtracking engine needs about 2^40 steps per hostile request, hours with the event loop
  // blocked; the bound is only a margin for a loaded test machine, not a timing target.
  expect(healthMs).toBeLessThan(10_000);
  expect((await openCase({ kode: 'aaaa' })).status).toBe(201);
});

describe('configs nested 20,000 levels deep', () => {
  const deepText = `{"id": "${K}", "steps": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`;

  test('when such a text is validated, then the answer names where it gets too deep, with its line', async () => {
    const res = await asOwner('POST', config('/validate'), { text: deepText });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      valid: false,
      errors: [
        {
          path: expect.stringMatching(/^\/steps(\/0)+$/),
          message: expect.stringContaining('nested more than 256 levels deep'),
          line: 1,
        },
      ],
    });
  });

  test('when such an object is sent to validate or saved as the draft, then the body is refused as too deep (400) and the draft is unchanged', async () => {
    const body = `{"config": ${deepText}}`;
    const before = await configState();
    const checked = await asOwner('POST', config('/validate'), body);
    expect(checked.status).toBe(400);
    expect(checked.body.error).toMatchObject({ code: 'NESTING_TOO_DEEP' });
    const saved = await asOwner('PUT', config('/draft'), body);
    expect(saved.status).toBe(400);
    expect(saved.body.error).toMatchObject({ code: 'NESTING_TOO_DEEP' });
    expect(await configState()).toEqual(before);
  });
});
