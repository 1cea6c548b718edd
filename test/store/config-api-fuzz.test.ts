/**
 * The process owners' config routes fuzzed from the server's own OpenAPI document with a
 * prosesseier token: drafts, validation, diff, impact, publish, rollback, migrations and audit
 * with whatever schemathesis makes up. No 5xx, every status documented, every body matching
 * its schema. Bounded so it stays quick on two cores.
 */
import { openConfigStore, type OpenedConfigStore } from '../../store';
import { startApiStack, type ApiStack } from '../server/api-stack';
import { CaseClient } from '../server/case-client';
import { fuzzTest, runSchemathesis } from '../support/schemathesis';
import { seedDirWith } from './test-kommune';
import { memoryDatabase } from '../support/memory-database';

// One pass over every operation: on two cores shared with other work it has taken near 4 minutes.
jest.setTimeout(480_000);

const K = 'testby';
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

fuzzTest(
  'when schemathesis fuzzes every config operation as a process owner, then no answer is a 5xx and every answer matches the document',
  async () => {
    // A running case, so impact and migration have something to look at.
    await new CaseClient(stack, K).open('koordinator', 'skole', {});
    const { code, output } = await runSchemathesis({
      baseUrl: stack.baseUrl,
      token: await stack.token(K, 'prosesseier'),
      pathFilter: ['--include-path-regex', '/config'],
      cwd: stack.dataDir,
    });
    if (code !== 0)
      console.log(output.replace(/.{400,}/g, (line) => `${line.slice(0, 400)}…`).slice(-8000));
    expect(code).toBe(0);
    expect(output).toMatch(/\d+ generated, \d+ passed/);
  },
);
