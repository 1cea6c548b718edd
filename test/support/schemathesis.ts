/**
 * Runs schemathesis (from PyPI, in .tools/venv) against a running server's own OpenAPI document:
 * no 5xx, every status documented, every body matching its schema. Bounded in examples so the
 * suite stays quick on two cores.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../runtime/temporal-settings';

const schemathesis = join(projectRoot, '.tools', 'venv', 'bin', 'st');

/**
 * A fuzz test. Without schemathesis it fails with the way to install it: a skip would read as a
 * pass (`npm test` bootstraps it; a bare `jest` run may not have).
 */
export function fuzzTest(name: string, fn: () => Promise<void>): void {
  test(name, async () => {
    if (!existsSync(schemathesis)) {
      throw new Error(
        `schemathesis missing at ${schemathesis}: run \`npm run bootstrap -- --test\``,
      );
    }
    await fn();
  });
}

export interface FuzzOptions {
  baseUrl: string;
  token: string;
  /** Which operations, e.g. `['--exclude-path-regex', '/stream$']`. */
  pathFilter: string[];
  /** Where schemathesis keeps its .schemathesis/ folder: not the project. */
  cwd: string;
  /** A time budget, which schemathesis fills by repeating its passes (not for the suite). */
  maxTimeSeconds?: number;
}

export function runSchemathesis(
  opts: FuzzOptions,
): Promise<{ code: number | null; output: string }> {
  const args = [
    'run',
    `${opts.baseUrl}/openapi.json`,
    '--checks',
    'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--header',
    `Authorization: Bearer ${opts.token}`,
    ...opts.pathFilter,
    // One pass over every operation, at most 12 examples each. No --max-time: with a time
    // budget schemathesis repeats fuzzing and stateful testing until the budget is spent, so
    // every run took the whole budget however quick its one pass was.
    '--max-examples',
    '12',
    ...(opts.maxTimeSeconds ? ['--max-time', String(opts.maxTimeSeconds)] : []),
    // The coverage phase trips an internal error in hypothesis's lambda printer on Python 3.11.
    '--phases',
    'examples,fuzzing,stateful',
    '--workers',
    '2',
    '--seed',
    '20261122',
    '--request-timeout',
    '20',
  ];
  return new Promise((resolve) => {
    const child = spawn(schemathesis, args, {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' },
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}
