/**
 * The running server against its own OpenAPI document: the document is valid OpenAPI 3.1 for
 * every route, and schemathesis (from PyPI, in .tools/venv) fuzzes every operation with a valid
 * token: no 5xx, every status documented, every body matching its schema. Bounded in examples
 * and time so the suite stays quick on two cores.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../runtime/temporal-settings';
import { http, startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';

jest.setTimeout(240_000);

const schemathesis = join(projectRoot, '.tools', 'venv', 'bin', 'st');
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => stack?.stop());

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // cwd: schemathesis keeps a .schemathesis/ folder where it runs; not in the project.
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('when /openapi.json is fetched, then it is OpenAPI 3.1 documenting every API route with its errors', async () => {
  const res = await http(stack.baseUrl, 'GET', '/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
  expect(Object.keys(res.body.paths).sort()).toEqual([
    '/api/v1/kommuner/{kommune}/cases',
    '/api/v1/kommuner/{kommune}/cases/{caseId}',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/events',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/history',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/reopen',
    '/api/v1/kommuner/{kommune}/cases/{caseId}/stream',
    '/api/v1/kommuner/{kommune}/config',
    '/api/v1/kommuner/{kommune}/config/statechart',
    '/api/v1/kommuner/{kommune}/stats',
  ]);
  const sendEvent = res.body.paths['/api/v1/kommuner/{kommune}/cases/{caseId}/events'].post;
  expect(Object.keys(sendEvent.responses)).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503']);
  expect(sendEvent.requestBody.content['application/json'].schema.required).toEqual(['type', 'expectedRevision']);
});

// `npm test` bootstraps schemathesis; only a bare `jest` run without it skips (never in CI).
const fuzz = existsSync(schemathesis) || process.env.CI ? test : test.skip;

fuzz('when schemathesis fuzzes every operation with a valid token, then no answer is a 5xx and every answer matches the document', async () => {
  // A case to aim at, so case routes are exercised past the 404.
  const c = new CaseClient(stack, 'lorenskog');
  await c.open('veiviser', 'innbygger', { henvendelsesgjelder: 'barn' });
  const token = await stack.token('lorenskog', 'veiviser');
  const { code, output } = await run(schemathesis, [
    'run',
    `${stack.baseUrl}/openapi.json`,
    '--checks',
    'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--header',
    `Authorization: Bearer ${token}`,
    '--exclude-path-regex',
    '/stream$',
    '--max-examples',
    '12',
    '--max-time',
    '40',
    // The coverage phase trips an internal error in hypothesis's lambda printer on Python 3.11.
    '--phases',
    'examples,fuzzing,stateful',
    '--workers',
    '2',
    '--seed',
    '20261122',
    '--request-timeout',
    '20',
  ], stack.dataDir);
  if (code !== 0) console.log(output.slice(-8000));
  expect(code).toBe(0);
  expect(output).toMatch(/\d+ generated, \d+ passed/);
});
