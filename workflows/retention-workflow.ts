/**
 * Deletion on time (#19): one workflow per namespace wakes every night at 02:00 Oslo time and
 * has the retention sweep (activities/retention-sweep.ts) delete what the kommuner' configs no
 * longer let them keep. A workflow, not a cron in the process, so a night is never skipped while
 * some worker runs, and a sweep cut off by a restart is retried.
 */
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { nextSweepAt } from '../machines/retention';

type Activities = ReturnType<typeof createActivities>;

// A sweep deletes at most SWEEP_LIMIT cases and says when there are more; each page of the
// store heartbeats, so a worker that died is noticed in minutes, not at the timeout.
const { sweepRetention } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/** Nights per run: about 10 events each, far below the history limits; then it continues as new. */
const NIGHTS_PER_RUN = 100;

export async function retentionWorkflow(): Promise<void> {
  for (let night = 0; night < NIGHTS_PER_RUN; night++) {
    await sleep(nextSweepAt(Date.now()) - Date.now());
    let result;
    do result = await sweepRetention({ asOf: new Date().toISOString() });
    while (result.more);
  }
  await continueAsNew<typeof retentionWorkflow>();
}
