/**
 * Options for an in-memory PGlite store in a test: it starts from the run's migrated template
 * (dumped once by globalSetup) instead of initialising a new cluster, which costs each test
 * file about four seconds and two cores. Without the template (a run without globalSetup) the
 * database is created the slow way, with the same result.
 */
import { readFileSync } from 'node:fs';
import { PGLITE_TEMPLATE_ENV } from './shared-env';

let template: Buffer | undefined;

export function memoryDatabase(): { databaseUrl: ''; pgliteDir: 'memory'; pgliteTemplate?: Blob } {
  const path = process.env[PGLITE_TEMPLATE_ENV];
  if (path) template ??= readFileSync(path);
  return {
    databaseUrl: '',
    pgliteDir: 'memory',
    pgliteTemplate: template ? new Blob([template]) : undefined,
  };
}
