/**
 * Real Temporal servers for tests, in memory: the run's shared dev server (a namespace per test
 * file), or a server of a test's own on free ports, stopped in afterAll.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
  type WorkflowHandle,
} from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection';
import { msToTs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import type { WorkflowBundlePath } from '@temporalio/worker';
import './quiet-runtime';
import { temporalBinaries } from '../../runtime/tools';
import { indexedSearchAttributes } from '../../runtime/namespace-check';
import { BUNDLE_ENV, TEMPORAL_ENV } from './shared-env';

export { startEphemeralDevServer as startTestDevServer } from '../../runtime/dev-server';

/** A time-skipping server with the engine's search attributes registered. */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = temporalBinaries().testServer;
  const env = await TestWorkflowEnvironment.createTimeSkipping(
    path ? { server: { executable: { type: 'existing-path', path } } } : undefined,
  );
  await useCalmConnection(env);
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: indexedSearchAttributes(),
  });
  return env;
}

/**
 * The SDK's client connection pings every 30 s, also when idle; the Java test server answers the
 * third idle ping with GOAWAY, which kills the call in flight. A killed `env.sleep` (unlock, skip,
 * lock) leaves time skipping locked, so the sleep then runs in real time and the test hangs. The
 * environment's connection and client are swapped for ones that ping only during long calls.
 * The new client is a plain one: `handle.result()` does not skip time, so tests sleep with
 * `env.sleep` and read a result only once the case has ended.
 *
 * A call still waiting at teardown (one the server lost, asked again by the case harness) fails
 * when the server stops; it is not retried then, because a retry on the closed channel throws
 * from a timer into whichever test file runs next.
 */
async function useCalmConnection(env: TestWorkflowEnvironment): Promise<void> {
  let closing = false;
  const retry = defaultGrpcRetryOptions();
  const connection = await Connection.connect({
    address: env.address,
    channelArgs: {
      'grpc.keepalive_permit_without_calls': 0,
      'grpc.keepalive_time_ms': 10 * 60_000,
    },
    interceptors: [
      makeGrpcRetryInterceptor({
        ...retry,
        retryableDecider: (attempt, status) => !closing && retry.retryableDecider(attempt, status),
      }),
    ],
    // The test service (sleep, current time) is offered only on connections that ask for it.
    [InternalConnectionOptionsSymbol]: { supportsTestService: true },
  } as ConnectionOptions);
  await env.connection.close();
  const swapped = env as { connection: Connection; client: Client; teardown(): Promise<void> };
  swapped.connection = connection;
  swapped.client = new Client({ connection, namespace: env.namespace ?? 'default' });
  const teardown = env.teardown.bind(env);
  swapped.teardown = () => {
    closing = true;
    return teardown();
  };
}

/**
 * The workflow bundle globalSetup built from the current source for this run: workers load it
 * from its file instead of bundling once per test file.
 */
export function workflowBundle(): Promise<WorkflowBundlePath> {
  const codePath = process.env[BUNDLE_ENV];
  if (!codePath)
    throw new Error(
      `${BUNDLE_ENV} unset: run the tests through jest (its globalSetup builds the bundle)`,
    );
  return Promise.resolve({ codePath });
}

export interface TestTemporal {
  address: string;
  namespace: string;
}

/**
 * The run's shared dev server (globalSetup's), with a namespace of this test file's own and the
 * engine's search attributes registered on it: lists, counts and statistics see only the file's
 * own cases, and a file needs no server start of its own. The namespace is left to the server,
 * which is in memory and stops after the run.
 */
export async function testNamespace(): Promise<TestTemporal> {
  const address = process.env[TEMPORAL_ENV];
  if (!address)
    throw new Error(
      `${TEMPORAL_ENV} unset: run the tests through jest (its globalSetup starts the dev server)`,
    );
  const namespace = `test-${randomUUID()}`;
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: indexedSearchAttributes(),
    });
  } finally {
    await connection.close();
  }
  return { address, namespace };
}

/**
 * Terminates a case once no workflow task or activity of it is in flight (or after `waitMs`).
 * The Java time-skipping server keeps the time-skipping lock of an activity that was in flight
 * when its run was terminated (temporalio/sdk-java#1138), so every later `env.sleep` of that
 * server runs in real time and a year-long one hangs, on a retry too.
 */
export async function terminateWhenQuiet(handle: WorkflowHandle, reason: string, waitMs = 10_000) {
  const until = Date.now() + waitMs;
  while (Date.now() < until && inFlight((await handle.fetchHistory()).events ?? []))
    await new Promise((r) => setTimeout(r, 50));
  await handle.terminate(reason);
}

function inFlight(events: temporal.api.history.v1.IHistoryEvent[]): boolean {
  let task = false;
  const activities = new Set<string>();
  for (const e of events) {
    if (e.workflowTaskScheduledEventAttributes) task = true;
    else if (
      e.workflowTaskCompletedEventAttributes ||
      e.workflowTaskFailedEventAttributes ||
      e.workflowTaskTimedOutEventAttributes
    )
      task = false;
    else if (e.activityTaskScheduledEventAttributes) activities.add(String(e.eventId));
    else {
      const ended =
        e.activityTaskCompletedEventAttributes ??
        e.activityTaskFailedEventAttributes ??
        e.activityTaskTimedOutEventAttributes ??
        e.activityTaskCanceledEventAttributes;
      if (ended) activities.delete(String(ended.scheduledEventId));
    }
  }
  return task || activities.size > 0;
}
