/**
 * Real Temporal servers for tests, each on free ports, in memory, stopped in afterAll.
 * Tests never assume anything is running.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import './quiet-runtime';
import { temporal } from '@temporalio/proto';
import { bundlerLogger } from '../../runtime/bundler-logger';
import { temporalBinaries } from '../../runtime/tools';
import { workflowBundleOptions } from '../../runtime/worker';
import { searchAttributeRegistrations } from '../../workflows/search-attributes';

export { startEphemeralDevServer as startTestDevServer } from '../../runtime/dev-server';

/** A time-skipping server with the engine's search attributes registered. */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = temporalBinaries().testServer;
  const env = await TestWorkflowEnvironment.createTimeSkipping(
    path ? { server: { executable: { type: 'existing-path', path } } } : undefined,
  );
  const types = temporal.api.enums.v1.IndexedValueType;
  const byName: Record<string, temporal.api.enums.v1.IndexedValueType> = {
    Keyword: types.INDEXED_VALUE_TYPE_KEYWORD,
    Int: types.INDEXED_VALUE_TYPE_INT,
    Bool: types.INDEXED_VALUE_TYPE_BOOL,
    Datetime: types.INDEXED_VALUE_TYPE_DATETIME,
    KeywordList: types.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  };
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(searchAttributeRegistrations).map(([name, type]) => [name, byName[type]]),
    ),
  });
  return env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ ...workflowBundleOptions, logger: bundlerLogger });
  return bundle;
}
