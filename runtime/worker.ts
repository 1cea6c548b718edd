import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { getHeapStatistics } from 'node:v8';
import {
  NativeConnection,
  Worker,
  type BundleOptions,
  type WorkerOptions,
} from '@temporalio/worker';
import { createActivities, FileArchive, FileOutbox, type Channels } from '../activities';
import { pseudonym } from '../machines/pseudonym';
import type { CaseLog } from '../store/case-log';
import { CaseRetention } from '../store/case-retention';
import { ConfigStore } from '../store/config-store';
import type { SqlDatabase } from '../store/sql-database';
import { caseHistoryDeleter } from './case-history-deletion';
import type { CaseloadLimits } from '../store/caseload-limits';
import type { StaffDirectory } from '../store/staff-directory';
import type { FeedbackStore } from '../store/feedback-store';
import type { Sealer } from './key-ring';
import { heldOpenCasesQuery } from '../workflows/visibility-query';
import { loadKeyRing } from './key-ring';
import { logger } from './logger';

export const workflowsPath = require.resolve('../workflows');

/**
 * How every worker, test and bench bundles the workflows. `machines/` (and with it xstate, ajv,
 * date-holidays, json-logic and their data: most of the bundle) is evaluated once per worker in
 * the SDK's reused V8 context instead of once per cached case (issue #12: 3.2 MB per case), and
 * its module-level memos (compiled configs, holiday sets) are shared by all cases of the worker.
 * The SDK deep-freezes what these modules export when it preloads them, so they must export no
 * state that is written later, and hold no per-workflow state: `machines/` is pure (its memos
 * hold deterministic results of immutable inputs).
 */
export const workflowBundleOptions: Pick<
  BundleOptions,
  'workflowsPath' | 'preloadModules' | 'webpackConfigHook'
> = {
  workflowsPath,
  preloadModules: [require.resolve('../machines')],
  webpackConfigHook: nativeSyntax,
};

/**
 * The SDK compiles workflow code for ES2017, so every object spread, class field and `??` in the
 * machine becomes a helper call: a quarter of a command's step in the sandbox (issue #12). The
 * Node that runs the bundle has them all (ES2022); their semantics are the same, so histories
 * replay alike.
 */
type WebpackConfiguration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
function nativeSyntax(config: WebpackConfiguration): WebpackConfiguration {
  for (const rule of config.module?.rules ?? []) {
    const use = rule && typeof rule === 'object' ? rule.use : undefined;
    const options = use && typeof use === 'object' && !Array.isArray(use) ? use.options : undefined;
    const jsc = options && typeof options === 'object' ? options.jsc : undefined;
    if (jsc && typeof jsc === 'object') jsc.target = 'es2022';
  }
  return config;
}

/**
 * Heap per cached case workflow and the worker's own heap with no case (bundle, shared modules,
 * SDK, PGlite), in MiB. `bench/case-memory.ts` measured 0.10 MiB per freshly opened case and
 * ~145 MiB with none (2.7 MiB per case before the modules were preloaded); 0.25 leaves room for
 * cases whose state and unwritten log have grown.
 */
export const HEAP_PER_CACHED_CASE_MIB = 0.25;
export const WORKER_BASE_HEAP_MIB = 150;

/**
 * How many case workflows a worker keeps cached: what fits in `HEAP_FILL` of its heap limit after
 * the base, at the heap per case above; 60 % leaves room for a burst of activations and garbage.
 * The SDK's default assumes ~1.7 MiB per workflow and the whole heap; a cache that does not fit
 * ends in the workflow thread running out of memory. A case evicted from the cache is not lost:
 * its next task replays its history.
 */
export const HEAP_FILL = 0.6;

/**
 * The most cached cases, whatever the heap: a case is touched a few times a week, so a bigger
 * cache saves little replay and costs a lot. `bench:scale` at 10,000 cases on the 2-core machine:
 * with the 4 GB default heap and 9,585 cached, 31 answers of 503 in stalls, RSS growing ~0.4 GiB
 * per 1,000 cases to 5.2 GiB, list page p95 408 ms; capped at 1,000, 2 answers of 503, the same
 * opening rate (0.69 of raw), RSS level at 1.6–1.9 GiB, list page p95 122 ms.
 */
export const MAX_CACHED_CASES = 1_000;

export function cachedWorkflowsFor(
  heapLimitMib = getHeapStatistics().heap_size_limit / 2 ** 20,
): number {
  const fits = Math.floor(
    ((heapLimitMib - WORKER_BASE_HEAP_MIB) * HEAP_FILL) / HEAP_PER_CACHED_CASE_MIB,
  );
  return Math.max(2, Math.min(MAX_CACHED_CASES, fits));
}

export interface CaseWorkerOptions {
  connection: NativeConnection;
  client: Client;
  namespace: string;
  taskQueue: string;
  dataDir: string;
  /** Seals the outbox and archive files (see runtime/key-ring.ts). */
  sealer: Sealer;
  /** The cases' logs in the store; in one process with the API, the API's own (PGlite is single-process). */
  caseLog: CaseLog;
  /** People's own caseload limits, set by leaders; left out, every role's rule applies as written. */
  caseloadLimits?: Pick<CaseloadLimits, 'limitOf'>;
  /**
   * E-mail and SMS (runtime/channel-settings.ts); left out, notifications are only recorded in
   * the outbox.
   */
  channels?: Channels;
  /** How staff are reached; left out, messages to staff fail with NO_CONTACT_DETAILS. */
  staffDirectory?: Pick<StaffDirectory, 'get' | 'withRole'>;
  /** Where feedback links' tokens are issued (store/feedback-store.ts). */
  feedbackTokens?: Pick<FeedbackStore, 'issue'>;
  /** The key of feedback links' tokens; by default the key ring's. */
  linkKey?: Uint8Array;
  /** Base of links in messages; by default `PUBLIC_BASE_URL`. */
  publicBaseUrl?: string;
  /** A prebuilt bundle (tests build one per run); otherwise the worker bundles `workflows/`. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Encrypts payloads; must match the clients' (see runtime/payload-codec.ts). */
  dataConverter?: DataConverter;
  /** The pseudonym key cases are started with; by default the key ring's (see runtime/key-ring.ts). */
  pseudonymKey?: Uint8Array;
  /** Tracing (runtime/tracing.ts); a prebuilt bundle must have been built with the same plugins. */
  plugins?: WorkerOptions['plugins'];
  /**
   * The store the nightly retention sweep reads the configs from and deletes in (the case log's
   * database); left out, this worker runs no sweep (workflows/retention-workflow.ts).
   */
  retentionDb?: SqlDatabase;
}

export function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  const outbox = new FileOutbox(join(opts.dataDir, 'outbox'), opts.sealer);
  const archive = new FileArchive(join(opts.dataDir, 'archive'), opts.sealer);
  const pseudonymKey = opts.pseudonymKey ?? loadKeyRing(opts.dataDir).pseudonymKey;
  const linkKey = opts.linkKey ?? loadKeyRing(opts.dataDir).linkKey;
  const activities = createActivities({
    outbox,
    archive,
    caseLog: opts.caseLog,
    feedbackLinks: { key: linkKey, tokens: opts.feedbackTokens, baseUrl: opts.publicBaseUrl },
    async countOpenCases(kommune, holderId, exceptCaseId) {
      // Cases publish their holder as a pseudonym only.
      const { count } = await opts.client.workflow.count(
        heldOpenCasesQuery(kommune, pseudonym(pseudonymKey, holderId), exceptCaseId),
      );
      return count;
    },
    personalCaseLimit: opts.caseloadLimits
      ? (kommune, personId) => opts.caseloadLimits!.limitOf(kommune, personId)
      : undefined,
    delivery: opts.channels && {
      channels: opts.channels,
      sent: outbox,
      staff: {
        get: async (kommune, id) => {
          const e = await opts.staffDirectory?.get(kommune, id);
          return e ? { ...e, id: e.personId } : null;
        },
        withRole: async (kommune, role) =>
          ((await opts.staffDirectory?.withRole(kommune, role)) ?? []).map((e) => ({
            ...e,
            id: e.personId,
          })),
      },
      now: () => new Date().toISOString(),
    },
    retention: opts.retentionDb && {
      retentionOf: publishedRetention(new ConfigStore(opts.retentionDb)),
      store: new CaseRetention(opts.retentionDb),
      archive,
      outbox,
      deleteHistory: caseHistoryDeleter(opts.client, opts.namespace),
      log: (message, fields) => logger.info(fields, message),
    },
    log: (message, fields) => logger.info(fields, message),
  });
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities,
    dataConverter: opts.dataConverter,
    maxCachedWorkflows: cachedWorkflowsFor(),
    plugins: opts.plugins,
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : {
          workflowsPath,
          bundlerOptions: {
            preloadModules: workflowBundleOptions.preloadModules,
            webpackConfigHook: workflowBundleOptions.webpackConfigHook,
          },
        }),
  });
}

/** Each kommune's retention, from its newest published config: the rule in force decides. */
function publishedRetention(configs: ConfigStore) {
  return async () =>
    Promise.all(
      (await configs.kommuner()).map(async (kommune) => ({
        kommune,
        retention: (await configs.latestPublished(kommune))?.config.retention,
      })),
    );
}
