/**
 * ESLint: promise handling (type-aware) and the project's layering, stated as import rules so a
 * wrong import fails `npm run lint` instead of surfacing later as a sandbox error, a
 * non-deterministic replay or a dependency cycle. Style is Prettier's job (eslint-config-prettier
 * turns ESLint's style rules off). `test/lint/architecture-rules.test.ts` shows each rule firing.
 */
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const sandboxMessage =
  'No Node built-ins here: this code also runs inside the workflow sandbox, where they do not exist.';

/** Node built-ins under every name they can be imported by: `fs`, `fs/promises`, `node:fs`, … */
const noNodeBuiltins = {
  paths: builtinModules
    .filter((m) => !m.startsWith('node:'))
    .map((name) => ({ name, message: sandboxMessage })),
  patterns: [{ group: ['node:*'], message: sandboxMessage }],
};

/**
 * The import rule, from any number of { paths, patterns } sets. One rule entry per file: a later
 * config block would replace an earlier one's options, not add to them.
 * `@typescript-eslint/no-restricted-imports` rather than the core rule because it knows
 * `import type`, which TypeScript erases: a type may cross a boundary that code may not.
 */
const restrict = (...sets) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: sets.flatMap((s) => s.paths ?? []),
      patterns: sets.flatMap((s) => s.patterns ?? []),
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', 'data/', 'artifacts/', 'coverage/'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: {
        // Each file is checked with the nearest tsconfig: the root one, or the visualizer
        // client's (DOM types) under server/visualizer/client.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise nobody awaits or catches loses its rejection, and an unhandled rejection
      // ends a Node process.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a void callback is expected (Express handlers, event emitters,
      // timers) has its rejection dropped the same way; a promise in an `if` is always true.
      '@typescript-eslint/no-misused-promises': 'error',
      // `await` on a non-promise is a mistake about what a call returns.
      '@typescript-eslint/await-thenable': 'error',
      // `return promise` inside try skips the catch and finally meant to guard it.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // Errors thrown or rejected are Errors: a stack to log, a class to check.
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
    },
  },
  {
    // Plain JavaScript (bootstrap, the CPU pool's thread, tool configs): parsed, not type-checked.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.base],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  // --- Architecture: who may import whom ---------------------------------------------------
  {
    // Nothing else imports the API: that would be a cycle, or would load Express and the HTTP
    // stack into workers. (config/, machines/ and workflows/ restate this in their own, stricter
    // lists below, which replace this one for their files.)
    files: ['**/*.ts'],
    ignores: [
      'server/**',
      'test/**', // tests drive the API
      'scripts/start.ts', // `npm start`: starts the API
      'scripts/token.ts', // signs dev tokens with the API's own dev issuer and auth settings
      'scripts/api.ts', // `npm run api`: starts the API alone
      'runtime/supervise.ts', // npm start's supervision: serves the API beside the worker
      'runtime/family-dev-idp.ts', // the families' development provider: its test people
      'bench/stack.ts', // the benchmarks' stack: measures the API
      'bench/case-memory.ts', // opens cases with the API's own case ids
    ],
    rules: restrict({
      patterns: [
        {
          regex: '(^|/)server(/|$)',
          message:
            'Only server/ itself, tests and the entry points that start it import server/ ' +
            '(the exceptions are listed in eslint.config.mjs).',
        },
      ],
    }),
  },
  {
    // config/ is the bottom layer: the config format, its schema and checks. The machines and
    // the workflow use parts of it, so it imports nothing else of ours and no Node built-in.
    files: ['config/**/*.ts'],
    ignores: ['config/load-configs.ts'],
    rules: restrict(noNodeBuiltins, {
      patterns: [
        {
          regex: '^\\.\\./',
          message: 'config/ is the bottom layer: it imports nothing else of the project.',
        },
      ],
    }),
  },
  {
    // The one file of config/ that reads the disk (kommune configs from a folder). The machines
    // and the workflow never import it, nor config/index.ts, which re-exports it.
    files: ['config/load-configs.ts'],
    rules: restrict({
      patterns: [
        {
          regex: '^\\.\\./',
          message: 'config/ is the bottom layer: it imports nothing else of the project.',
        },
      ],
    }),
  },
  {
    // machines/: the case machines, pure functions of config and events. The workflow runs them
    // in Temporal's deterministic sandbox, so: no Node built-ins, and nothing of ours but
    // config/ — and not its index or loader, which read files.
    files: ['machines/**/*.ts'],
    rules: restrict(noNodeBuiltins, {
      patterns: [
        {
          regex: '^\\.\\./(?!config/)',
          message: 'machines/ imports only config/: it runs inside the workflow sandbox.',
        },
        {
          regex: '^\\.\\./config/(index|load-configs)$',
          message: 'The config loader reads files (node:fs): machines only get parsed configs.',
        },
      ],
    }),
  },
  {
    // workflows/: bundled into Temporal's sandbox and replayed from history, so all of it must
    // be deterministic. Code comes only from the machines, config types, the workflow SDK and
    // @temporalio/common (search attribute keys), and async-mutex for the command lock (promises
    // only: no timers, waiters served in order, so it replays the same). Activities run outside the sandbox: their
    // types may be named for proxyActivities (`import type` is erased), their code not.
    files: ['workflows/**/*.ts'],
    rules: restrict(noNodeBuiltins, {
      patterns: [
        {
          regex:
            '^(?!@temporalio/(workflow|common)$|async-mutex$|\\.\\./machines(/[\\w-]+)?$|\\.\\./config/types$|\\./[\\w-]+$)',
          allowTypeImports: true,
          message:
            'Workflow code runs in the deterministic sandbox: it imports only machines/, ' +
            'config/types, @temporalio/workflow, @temporalio/common and async-mutex (types from anywhere).',
        },
      ],
    }),
  },
  {
    // The API talks to Temporal through its client. The worker module would load the worker
    // runtime and the workflow bundler into the API process.
    files: ['server/**/*.ts'],
    rules: restrict({
      patterns: [
        {
          regex: '(^|/)runtime/worker$',
          message: 'server/ does not import the worker: move what both need to a shared module.',
        },
      ],
    }),
  },

  prettier,
);
