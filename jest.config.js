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
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  // One workflow bundle and one dev server for the run (test/support/global-setup.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
};
