/**
 * Recorded histories of real case runs, replayed against the current workflow code. A change
 * that would make running cases non-deterministic fails here. Re-record on purpose only
 * (RECORD_HISTORIES=1 npx jest test/workflows), when a change is meant to be incompatible and
 * guarded by `patched()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';
import { HISTORIES_DIR } from './record-history';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(3);
});

test.each(files)(
  'when the recorded case %s is replayed on the current code, then it replays without non-determinism',
  async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')));
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle() },
      history,
      file.replace(/\.json$/, ''),
    );
  },
);
