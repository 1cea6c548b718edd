/** How globalSetup hands the run's workflow bundle and shared dev server to the test files. */
export const BUNDLE_ENV = 'SLUSE_TEST_WORKFLOW_BUNDLE';
export const TEMPORAL_ENV = 'SLUSE_TEST_TEMPORAL_ADDRESS';
/** A migrated, empty PGlite database dumped once per run, that in-memory test databases load. */
export const PGLITE_TEMPLATE_ENV = 'SLUSE_TEST_PGLITE_TEMPLATE';
