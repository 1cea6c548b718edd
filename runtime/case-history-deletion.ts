/**
 * Deletes a finished case's workflow history from Temporal (#19): every run of its chain of
 * continue-as-new, newest first, each found from the run after it (its first event names the run
 * it continues). A case whose workflow still runs is left as it is. Usually Temporal's own
 * retention (temporal.yaml `retentionDays`) has dropped the history long before a case's
 * retention ends; this is for a cluster that keeps histories longer.
 *
 * @module
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { status } from '@grpc/grpc-js';
import type { HistoryDeletion } from '../activities/retention-sweep';

/** Runs of one case deleted at most: a case continues as new every 5,000 events. */
const MAX_RUNS = 10_000;

export function caseHistoryDeleter(client: Client, namespace: string) {
  const service = client.workflowService;
  return async function deleteHistory(workflowId: string): Promise<HistoryDeletion> {
    const latest = await notFoundAsNull(
      service.describeWorkflowExecution({ namespace, execution: { workflowId } }),
    );
    const info = latest?.workflowExecutionInfo;
    if (!info?.execution?.runId) return { running: false, runs: 0 };
    if (!info.closeTime) return { running: true };
    let runId: string | null | undefined = info.execution.runId;
    let runs = 0;
    while (runId && runs < MAX_RUNS) {
      const execution: { workflowId: string; runId: string } = { workflowId, runId };
      const first = await notFoundAsNull(
        service.getWorkflowExecutionHistory({ namespace, execution, maximumPageSize: 1 }),
      );
      if (!first) break;
      const started: { continuedExecutionRunId?: string | null } | null | undefined =
        first.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
      await notFoundAsNull(
        service.deleteWorkflowExecution({ namespace, workflowExecution: execution }),
      );
      runs++;
      runId = started?.continuedExecutionRunId;
    }
    return { running: false, runs };
  };
}

async function notFoundAsNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === status.NOT_FOUND) return null;
    throw err;
  }
}
