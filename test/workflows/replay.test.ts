/**
 * Recorded histories of real case runs, replayed against the current workflow code. A change
 * that would make running cases non-deterministic fails here. Re-record on purpose only
 * (RECORD_HISTORIES=1 npx jest test/workflows), when a change is meant to be incompatible and
 * guarded by `patched()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';
import { HISTORIES_DIR } from './record-history';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(3);
});

/**
 * One replay worker for all of them, each history under its file's name: a worker per history
 * costs about 0.7 s of setup each. Each file still passes or fails as a test of its own.
 */
let replayed: Promise<Map<string, ReplayResult>>;
beforeAll(() => {
  replayed = (async () => {
    const histories = files.map((file) => ({
      workflowId: file,
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'))),
    }));
    const results = new Map<string, ReplayResult>();
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: await workflowBundle() },
      histories,
    ))
      results.set(result.workflowId, result);
    return results;
  })();
  // Each test awaits it; this only keeps a failure before the first from going unhandled.
  replayed.catch(() => undefined);
});

test.each(files)(
  'when the recorded case %s is replayed on the current code, then it replays without non-determinism',
  async (file) => {
    const result = (await replayed).get(file);
    expect(result?.workflowId).toBe(file);
    if (result?.error) throw result.error;
  },
);
