/** Jest: TypeScript through swc (fast; `tsc --noEmit` does the type checking). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest'],
    // PGlite's CommonJS build loads Node built-ins with `import()`, which Jest's module sandbox
    // only allows behind --experimental-vm-modules; swc turns those into plain `require`s.
    '/@electric-sql/pglite/.+\\.cjs$': ['@swc/jest'],
    // openid-client v6 and its helpers are ESM-only; swc turns them into CommonJS for Jest.
    '/node_modules/(openid-client|oauth4webapi)/.+\\.js$': ['@swc/jest'],
  },
  transformIgnorePatterns: [
    // openid-client's own jose (v6, ESM) sits under it and is transformed too.
    '(?<!/openid-client)/node_modules/(?!(@electric-sql/pglite|openid-client|oauth4webapi)/)',
  ],
  // One workflow bundle and one dev server for the run (test/support/global-setup.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Longest files first, also on a fresh clone with no timing cache (see the file).
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
  testTimeout: 120000,
  maxWorkers: 2,
  // A worker holds 1.4–2.2 GB after a few API-stack files and then takes longer than jest's
  // 500 ms to exit at the end; recycled between files above 1 GB, it exits cleanly.
  workerIdleMemoryLimit: '1GB',
};
