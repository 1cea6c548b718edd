/**
 * The process owners' config routes fuzzed from the server's own OpenAPI document with a
 * prosesseier token: drafts, validation, diff, impact, publish, rollback, migrations and audit
 * with whatever schemathesis makes up. No 5xx, every status documented, every body matching
 * its schema. Bounded so it stays quick on two cores.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../runtime/temporal-settings';
import { openConfigStore, type OpenedConfigStore } from '../../store';
import { startApiStack, type ApiStack } from '../server/api-stack';
import { CaseClient } from '../server/case-client';
import { seedDirWith } from './test-kommune';

jest.setTimeout(240_000);

const schemathesis = join(projectRoot, '.tools', 'venv', 'bin', 'st');
const K = 'testby';
let opened: OpenedConfigStore;
let stack: ApiStack;

beforeAll(async () => {
  opened = await openConfigStore({ pgliteDir: 'memory', databaseUrl: '', seedDir: seedDirWith(K) });
  stack = await startApiStack({ configStore: opened.store });
});
afterAll(async () => {
  await stack?.stop();
  await opened?.close();
});

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

// `npm test` bootstraps schemathesis; only a bare `jest` run without it skips (never in CI).
const fuzz = existsSync(schemathesis) || process.env.CI ? test : test.skip;

fuzz('when schemathesis fuzzes every config operation as a process owner, then no answer is a 5xx and every answer matches the document', async () => {
  // A running case, so impact and migration have something to look at.
  await new CaseClient(stack, K).open('koordinator', 'skole', {});
  const { code, output } = await run(
    schemathesis,
    [
      'run',
      `${stack.baseUrl}/openapi.json`,
      '--checks',
      'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
      '--header',
      `Authorization: Bearer ${await stack.token(K, 'prosesseier')}`,
      '--include-path-regex',
      '/config',
      '--max-examples',
      '12',
      '--max-time',
      '40',
      '--phases',
      'examples,fuzzing,stateful',
      '--workers',
      '2',
      '--seed',
      '20261122',
      '--request-timeout',
      '20',
    ],
    stack.dataDir,
  );
  if (code !== 0) console.log(output.replace(/.{400,}/g, (line) => `${line.slice(0, 400)}…`).slice(-8000));
  expect(code).toBe(0);
  expect(output).toMatch(/\d+ generated, \d+ passed/);
});
