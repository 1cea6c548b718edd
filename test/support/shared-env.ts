/** How globalSetup hands the run's workflow bundle and shared dev server to the test files. */
export const BUNDLE_ENV = 'SLUSE_TEST_WORKFLOW_BUNDLE';
export const TEMPORAL_ENV = 'SLUSE_TEST_TEMPORAL_ADDRESS';
