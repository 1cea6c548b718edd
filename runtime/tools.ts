import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './temporal-settings';

export interface TemporalBinaries {
  /** The `temporal` CLI (dev server); undefined lets the SDK download it. */
  temporal?: string;
  /** The time-skipping test server; undefined lets the SDK download it. */
  testServer?: string;
}

/** Where scripts/bootstrap.mjs found or installed the Temporal binaries. */
export function temporalBinaries(): TemporalBinaries {
  const file = join(projectRoot, '.tools', 'temporal-paths.json');
  const found = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
    : {};
  // A path recorded before the clone moved counts as missing, so callers say to run bootstrap.
  const str = (v: unknown) => (typeof v === 'string' && v && existsSync(v) ? v : undefined);
  return {
    temporal: process.env.TEMPORAL_CLI_PATH || str(found.temporal),
    testServer: process.env.TEMPORAL_TEST_SERVER_PATH || str(found.testServer),
  };
}
