/**
 * Workflow code: deterministic, no I/O, no Node built-ins. The worker bundles this file.
 *
 * @module
 */
export * from './case-messages';
export * from './case-workflow';
export * from './partner-survey-workflow';
export * from './retention-workflow';
