/**
 * The running server against its own OpenAPI document: the document is valid OpenAPI 3.1 for
 * every route, and schemathesis (from PyPI, in .tools/venv) fuzzes every operation with a valid
 * token: no 5xx, every status documented, every body matching its schema. Bounded in examples
 * and time so the suite stays quick on two cores.
 */
import { fuzzTest, runSchemathesis } from '../support/schemathesis';
import { http, startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';

// One pass over every operation: on two cores shared with other work it has taken near 4 minutes.
jest.setTimeout(480_000);

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => stack?.stop());

test('when /openapi.json is fetched, then it is OpenAPI 3.1 documenting every API route with its errors', async () => {
  const res = await http(stack.baseUrl, 'GET', '/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
  expect(Object.keys(res.body.paths).sort()).toEqual([
    '/api/v1/kommuner/{kommune}/access-log',
    '/api/v1/kommuner/{kommune}/batch-events',
    '/api/v1/kommuner/{kommune}/caseload-limits',
    '/api/v1/kommuner/{kommune}/caseload-limits/{personId}',
    '/api/v1/kommuner/{kommune}/cases',
    '/api/v1/kommuner/{kommune}/cases/{caseId}',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/access-log',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/events',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/export',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/export.html',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/family',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/history',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/reopen',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/reopen-request',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/reopen-request/decline',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/stream',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/tasks/{taskId}/complete',
    '/api/v1/kommuner/{kommune}/config',
    '/api/v1/kommuner/{kommune}/config/statechart',
    '/api/v1/kommuner/{kommune}/deletions',
    '/api/v1/kommuner/{kommune}/feedback-stats',
    '/api/v1/kommuner/{kommune}/live',
    '/api/v1/kommuner/{kommune}/screening-stats',
    '/api/v1/kommuner/{kommune}/staff-directory/{personId}',
    '/api/v1/kommuner/{kommune}/staff-names',
    '/api/v1/kommuner/{kommune}/stats',
    '/api/v1/kommuner/{kommune}/stats.csv',
    '/api/v1/kommuner/{kommune}/surveys/{survey}/rounds',
    '/api/v1/kommuner/{kommune}/surveys/{survey}/rounds/{roundId}',
  ]);
  const sendEvent = res.body.paths['/api/v1/kommuner/{kommune}/cases/{caseId}/events'].post;
  expect(Object.keys(sendEvent.responses)).toEqual([
    '200',
    '400',
    '401',
    '403',
    '404',
    '409',
    '413',
    '415',
    '422',
    '429',
    '503',
  ]);
  expect(sendEvent.requestBody.content['application/json'].schema.required).toEqual([
    'type',
    'expectedRevision',
  ]);
});

fuzzTest(
  'when schemathesis fuzzes every operation with a valid token, then no answer is a 5xx and every answer matches the document',
  async () => {
    // A case to aim at, so case routes are exercised past the 404.
    const c = new CaseClient(stack, 'lorenskog');
    await c.open('veiviser', 'innbygger', { henvendelsesgjelder: 'barn' });
    const token = await stack.token('lorenskog', 'veiviser');
    const { code, output } = await runSchemathesis({
      baseUrl: stack.baseUrl,
      token,
      pathFilter: ['--exclude-path-regex', '/stream$'],
      cwd: stack.dataDir,
    });
    if (code !== 0) console.log(output.slice(-8000));
    expect(code).toBe(0);
    expect(output).toMatch(/\d+ generated, \d+ passed/);
  },
);
