/**
 * The lint config guards the layering: each deliberately wrong file below is rejected by the
 * rule that states the boundary, and files that keep to it pass. Linted with the repo's real
 * eslint.config.mjs (see lint-text.mjs), type information included.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

interface Message {
  ruleId: string | null;
  message: string;
}

const IMPORTS = '@typescript-eslint/no-restricted-imports';

/** Wrong files: path, code, the rule that must fire and a word of its message. */
const wrong: { name: string; filePath: string; code: string; rule: string; says: RegExp }[] = [
  {
    name: 'machines/ reading a file with node:fs',
    filePath: 'machines/lint-probe.ts',
    code: "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    rule: IMPORTS,
    says: /No Node built-ins/,
  },
  {
    name: 'machines/ importing a built-in by its bare name (path)',
    filePath: 'machines/lint-probe.ts',
    code: "import { join } from 'path';\nexport const j = join;\n",
    rule: IMPORTS,
    says: /No Node built-ins/,
  },
  {
    name: 'machines/ importing the API',
    filePath: 'machines/lint-probe.ts',
    code: "import { createApp } from '../server/app';\nexport const app = createApp;\n",
    rule: IMPORTS,
    says: /machines\/ imports only config\//,
  },
  {
    name: 'machines/ importing the config loader through config/index',
    filePath: 'machines/lint-probe.ts',
    code: "import { loadConfigDir } from '../config';\nexport const load = loadConfigDir;\n",
    rule: IMPORTS,
    says: /machines\/ imports only config\//,
  },
  {
    name: 'workflows/ calling activity code directly',
    filePath: 'workflows/lint-probe.ts',
    code: "import { FileOutbox } from '../activities/file-outbox';\nexport const o = FileOutbox;\n",
    rule: IMPORTS,
    says: /deterministic sandbox/,
  },
  {
    name: 'workflows/ using node:crypto',
    filePath: 'workflows/lint-probe.ts',
    code: "import { randomUUID } from 'node:crypto';\nexport const id = randomUUID;\n",
    rule: IMPORTS,
    says: /No Node built-ins/,
  },
  {
    name: 'workflows/ importing the store',
    filePath: 'workflows/lint-probe.ts',
    code: "import { openConfigStore } from '../store';\nexport const s = openConfigStore;\n",
    rule: IMPORTS,
    says: /deterministic sandbox/,
  },
  {
    name: 'config/ importing the machines',
    filePath: 'config/lint-probe.ts',
    code: "import { compileKommune } from '../machines';\nexport const c = compileKommune;\n",
    rule: IMPORTS,
    says: /bottom layer/,
  },
  {
    name: 'config/ using node:path',
    filePath: 'config/lint-probe.ts',
    code: "import { join } from 'node:path';\nexport const j = join;\n",
    rule: IMPORTS,
    says: /No Node built-ins/,
  },
  {
    name: 'server/ importing the worker',
    filePath: 'server/lint-probe.ts',
    code: "import { createCaseWorker } from '../runtime/worker';\nexport const w = createCaseWorker;\n",
    rule: IMPORTS,
    says: /does not import the worker/,
  },
  {
    name: 'store/ importing the API',
    filePath: 'store/lint-probe.ts',
    code: "import { createApp } from '../server/app';\nexport const app = createApp;\n",
    rule: IMPORTS,
    says: /Only server\//,
  },
  {
    name: 'a script other than the API entry points importing the API',
    filePath: 'scripts/lint-probe.ts',
    code: "import { createApp } from '../server/app';\nexport const app = createApp;\n",
    rule: IMPORTS,
    says: /Only server\//,
  },
  {
    name: 'a floating promise in server/',
    filePath: 'server/lint-probe.ts',
    code: 'async function save(): Promise<void> {}\nexport function handle(): void {\n  save();\n}\n',
    rule: '@typescript-eslint/no-floating-promises',
    says: /Promises must be awaited/,
  },
  {
    name: 'an async callback where a void one is expected, in server/',
    filePath: 'server/lint-probe.ts',
    code: [
      '// As an event emitter or Express types a listener: its return value is ignored.',
      'declare function onRequest(listener: () => void): void;',
      'export function route(save: () => Promise<void>): void {',
      '  onRequest(async () => {',
      '    await save();',
      '  });',
      '}',
      '',
    ].join('\n'),
    rule: '@typescript-eslint/no-misused-promises',
    says: /void return was expected/,
  },
];

/** Files that keep to the rules, each using what its layer may. */
const right: { name: string; filePath: string; code: string }[] = [
  {
    name: 'a workflow using the SDK, the machines, config types, its own folder and activity types',
    filePath: 'workflows/lint-probe.ts',
    code: [
      "import { proxyActivities } from '@temporalio/workflow';",
      "import type { KommuneConfig } from '../config/types';",
      "import type { createActivities } from '../activities';",
      "import { compileKommune } from '../machines';",
      "import { caseSearchAttributes } from './search-attributes';",
      'const acts = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: 1000 });',
      'export const parts = [acts, caseSearchAttributes];',
      'export const compile = (c: KommuneConfig) => compileKommune(c);',
      '',
    ].join('\n'),
  },
  {
    name: 'a machine module using config/ and packages',
    filePath: 'machines/lint-probe.ts',
    code: "import { setup } from 'xstate';\nimport type { KommuneConfig } from '../config/types';\nexport const s = setup;\nexport type K = KommuneConfig;\n",
  },
  {
    name: 'a server module that awaits its promises and uses runtime/logger',
    filePath: 'server/lint-probe.ts',
    code: "import { logger } from '../runtime/logger';\nasync function save(): Promise<void> {}\nexport async function handle(): Promise<void> {\n  await save();\n  logger.info('saved');\n}\n",
  },
];

async function lint(files: { filePath: string; code: string }[]): Promise<Message[][]> {
  const script = join(__dirname, 'lint-text.mjs');
  const child = promisify(execFile)(process.execPath, [script], { maxBuffer: 16 << 20 });
  child.child.stdin!.end(JSON.stringify(files.map(({ filePath, code }) => ({ filePath, code }))));
  const { stdout } = await child;
  return JSON.parse(stdout) as Message[][];
}

describe('the lint config', () => {
  let wrongResults: Message[][];
  let rightResults: Message[][];

  beforeAll(async () => {
    // One ESLint process for all: the type information is set up once.
    const results = await lint([...wrong, ...right]);
    wrongResults = results.slice(0, wrong.length);
    rightResults = results.slice(wrong.length);
  }, 180_000);

  test.each(wrong.map((c, i) => [c.name, i] as const))('rejects %s', (_name, i) => {
    const { rule, says } = wrong[i]!;
    const messages = wrongResults[i]!;
    expect(messages.some((m) => m.ruleId === null)).toBe(false); // no parse or config error
    expect(messages).toContainEqual({ ruleId: rule, message: expect.stringMatching(says) });
  });

  test.each(right.map((c, i) => [c.name, i] as const))('accepts %s', (_name, i) => {
    expect(rightResults[i]).toEqual([]);
  });
});
