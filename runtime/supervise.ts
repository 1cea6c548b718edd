/**
 * The pieces a Sluse process is made of, each kept running: the embedded dev server, a case
 * worker and the HTTP API. `npm start` runs all three in one process; `npm run worker` and
 * `npm run api` run one each, as many as you like against the same Temporal and PostgreSQL.
 */
import type { FamilyProvider } from '../server/family/family-router';
import type { Server } from 'node:http';
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { loadConfigDir } from '../config';
import { createApp } from '../server/app';
import type { AuthSettings } from '../server/auth-settings';
import { storeConfigSource } from '../server/store-config-source';
import type { Channels } from '../activities';
import type {
  CaseLog,
  CaseloadLimits,
  ConfigStore,
  OpenedConfigStore,
  StaffDirectory,
} from '../store';
import { EndedSessions } from '../store/ended-sessions';
import { ScreeningCounts } from '../store/screening-counts';
import { FeedbackStore } from '../store/feedback-store';
import { CaseAccessLog } from '../store/case-access-log';
import { CaseRetention } from '../store/case-retention';
import { bundlerLogger } from './bundler-logger';
import { dataDir } from './data-dir';
import { assertPortFree, freePort, startDevServer, type DevServer } from './dev-server';
import { createSealer, loadKeyRing, type Sealer } from './key-ring';
import { logger } from './logger';
import { AesGcmPayloadCodec, webUiCodec } from './payload-codec';
import { ConfigReferences } from './config-references';
import { installSdkRuntime } from './sdk-logging';
import { loadMetricsSettings, type MetricsSettings } from './metrics';
import { assertNamespaceReady, checkRetention, type RetentionCheck } from './namespace-check';
import { connectWorker } from './temporal-connection';
import { loadTemporalSettings, SettingsError, type TemporalSettings } from './temporal-settings';
import { createTracing, loadTracingSettings, type Tracing } from './tracing';
import { temporalBinaries } from './tools';
import { createCaseWorker, workflowBundleOptions } from './worker';
import type { retentionWorkflow } from '../workflows/retention-workflow';
import { RETENTION_WORKFLOW_ID } from '../workflows/search-attributes';
import type { SqlDatabase } from '../store/sql-database';
import { parseTrustProxy } from '../server/trust-proxy';

const RESTART_DELAY_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What every Sluse process reads at start: Temporal settings and the one key ring. */
export interface ProcessBasics {
  settings: TemporalSettings;
  /** Sends published configs as references, then encrypts Temporal payloads. */
  dataConverter: DataConverter;
  /**
   * The data converter's first codec: it reads the published versions it sends and restores
   * from `readPublishedConfigs`' store, set once the process has opened it.
   */
  configReferences: ConfigReferences;
  /** Set with `CODEC_UI_ORIGIN`: the Web UI at `origin` may decode payloads (server/codec-routes.ts). */
  codec?: { origin: string; codec: PayloadCodec };
  /** Seals the cases' logs in the store, the outbox and the archive. */
  sealer: Sealer;
  /** The key of the pseudonyms in search attributes. */
  pseudonymKey: Uint8Array;
  /** The key of feedback links' tokens; workers only. */
  linkKey: Uint8Array;
  /** Set with `METRICS_TOKEN`: metrics are served, and the SDK's are read from `sdkUrl`. */
  metrics?: MetricsSettings & { sdkUrl?: string };
  /** Set with `SLUSE_TRACING=otlp` (runtime/tracing.ts): the client and worker trace through it. */
  tracing?: Tracing;
}

/**
 * Reads the settings and keys; `runsWorker`: this process runs a case worker (SDK metrics);
 * `service`: the process's name in traces.
 */
export async function loadProcessBasics(opts: {
  runsWorker: boolean;
  service: string;
}): Promise<ProcessBasics> {
  const metricsSettings = loadMetricsSettings();
  const tracing = createTracing(loadTracingSettings(), opts.service);
  // The SDK's exporter listens on a local port of its own; only /metrics of this process reads it.
  const sdkPort = metricsSettings && opts.runsWorker ? await freePort() : undefined;
  installSdkRuntime(sdkPort ? `127.0.0.1:${sdkPort}` : undefined);
  const settings = loadTemporalSettings();
  const keyRing = loadKeyRing(dataDir());
  const payloadCodec = new AesGcmPayloadCodec(keyRing);
  const configReferences = new ConfigReferences();
  return {
    settings,
    // Encode runs the codecs in order, decode in reverse: a reference is sealed like any payload.
    dataConverter: { payloadCodecs: [configReferences, payloadCodec] },
    configReferences,
    codec: codecSettings(webUiCodec(payloadCodec, configReferences)),
    sealer: createSealer(keyRing),
    pseudonymKey: keyRing.pseudonymKey,
    linkKey: keyRing.linkKey,
    metrics: metricsSettings && {
      ...metricsSettings,
      sdkUrl: sdkPort ? `http://127.0.0.1:${sdkPort}/metrics` : undefined,
    },
    tracing,
  };
}

/**
 * `CODEC_UI_ORIGIN`: the Temporal Web UI's origin (`https://temporal-ui.kommune.no`), which may
 * then decode payloads for operators; unset, there is no codec endpoint.
 */
function codecSettings(codec: PayloadCodec): { origin: string; codec: PayloadCodec } | undefined {
  const raw = process.env.CODEC_UI_ORIGIN?.trim();
  if (!raw) return undefined;
  let origin: string | undefined;
  try {
    const url = new URL(raw);
    if (/^https?:$/.test(url.protocol) && url.origin === raw) origin = url.origin;
  } catch {
    // named below
  }
  if (!origin)
    throw new SettingsError(
      'CODEC_UI_ORIGIN: expected an origin such as https://temporal-ui.example.no (scheme, host and port, no path)',
    );
  return { origin, codec };
}

/** From now on the process sends and restores configs as references to `store`'s versions. */
export function readPublishedConfigs(basics: ProcessBasics, store: ConfigStore): void {
  basics.configReferences.source = async (kommune, version) =>
    (await store.storedConfig(kommune, version)) ?? undefined;
}

/** How long stopping waits for HTTP requests in flight. */
const DRAIN_MS = 10_000;

/** The HTTP port from PORT (default 3000). */
export function httpPort(): number {
  const raw = process.env.PORT ?? '3000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SettingsError(`PORT: expected a port number 1–65535, got "${raw}"`);
  }
  return port;
}

/**
 * The address the HTTP server listens on, from HOST: 127.0.0.1 by default, so the embedded stack
 * (development tokens, the mail catcher's pages) is not reachable from the network until someone
 * says so (`HOST=0.0.0.0` behind TLS and a real issuer; see the production checklist).
 */
export function httpHost(): string {
  const raw = process.env.HOST || '127.0.0.1';
  if (raw.length > 253 || !/^[A-Za-z0-9.:-]+$/.test(raw)) {
    throw new SettingsError(
      `HOST: expected an IP address or host name to listen on, such as 127.0.0.1 or 0.0.0.0`,
    );
  }
  return raw;
}

/** Refuses to start on config files with errors, with the first one in one line. */
export function assertConfigFilesValid(): void {
  const configs = loadConfigDir();
  if (configs.errors.length === 0) return;
  const first = configs.errors[0];
  throw new SettingsError(
    `${first.file}: ${first.errors[0]?.path ?? ''} ${first.errors[0]?.message ?? 'invalid'} (npm run config:validate for all errors)`,
  );
}

/** Processes of their own share the cases' logs and configs through PostgreSQL only. */
export function requireDatabaseUrl(what: string): void {
  if (!process.env.DATABASE_URL) {
    throw new SettingsError(
      `DATABASE_URL: ${what} in a process of its own needs PostgreSQL (PGlite belongs to one process; npm start runs everything in one)`,
    );
  }
}

export interface Supervised {
  stop(): Promise<void>;
}

/** Refuses to start when the dev server's ports are taken, naming the key in temporal.yaml. */
export async function assertDevServerPortsFree(settings: TemporalSettings): Promise<void> {
  await assertPortFree(
    settings.devServer.ip,
    settings.devServer.port,
    'temporal.yaml devServer.port',
  );
  if (settings.devServer.ui)
    await assertPortFree(
      settings.devServer.ip,
      settings.devServer.uiPort,
      'temporal.yaml devServer.uiPort',
    );
}

/** Starts the embedded dev server (a failed first start is fatal) and restarts it whenever it dies. */
export async function superviseDevServer(settings: TemporalSettings): Promise<Supervised> {
  const binary = temporalBinaries().temporal;
  if (!binary)
    throw new SettingsError(
      'the temporal CLI is missing: run `npm run bootstrap`, or set TEMPORAL_CLI_PATH',
    );
  const options = {
    binary,
    ...settings.devServer,
    namespace: settings.namespace,
    searchAttributes: settings.searchAttributes,
  };
  let stopping = false;
  let current: DevServer = await startDevServer(options);
  logger.info(
    {
      address: current.address,
      ui: settings.devServer.ui
        ? `http://${settings.devServer.ip}:${settings.devServer.uiPort}`
        : null,
    },
    'temporal dev server up',
  );
  void (async () => {
    while (!stopping) {
      const code = await current.exited;
      if (stopping) return;
      logger.error({ code }, 'temporal dev server exited; restarting');
      for (;;) {
        await sleep(RESTART_DELAY_MS);
        if (stopping) return;
        try {
          current = await startDevServer(options);
          logger.info('temporal dev server back');
          break;
        } catch (err) {
          logger.error(
            { err: (err as Error).message },
            'temporal dev server failed to restart; retrying',
          );
        }
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      await current.stop();
    },
  };
}

export interface SupervisedWorker extends Supervised {
  /** The worker's state, e.g. RUNNING, or where the supervisor is (CONNECTING, RESTARTING). */
  state(): string;
}

/**
 * A case worker that is connected again and recreated whenever it stops (Temporal down, a
 * fatal worker error), on the workflow bundle built once here.
 */
export async function superviseWorker(opts: {
  basics: ProcessBasics;
  client: Client;
  caseLog: CaseLog;
  caseloadLimits?: CaseloadLimits;
  channels?: Channels;
  staffDirectory?: StaffDirectory;
  /** Where feedback links' tokens are issued. */
  feedbackTokens?: FeedbackStore;
  /** The store the nightly retention sweep reads configs from and deletes in. */
  retentionDb?: SqlDatabase;
}): Promise<SupervisedWorker> {
  const { settings, sealer, dataConverter, pseudonymKey, linkKey } = opts.basics;
  // With tracing, the plugin adds its workflow interceptors to the bundle.
  const plugins = opts.basics.tracing ? [opts.basics.tracing.plugin] : [];
  const workflowBundle = await bundleWorkflowCode({
    ...workflowBundleOptions,
    logger: bundlerLogger,
    plugins,
  });
  let stopping = false;
  let worker: Worker | undefined;
  let state = 'STARTING';
  let retentionChecked = false;
  let retentionStarted = false;
  const done = (async () => {
    while (!stopping) {
      try {
        state = 'CONNECTING';
        await assertNamespaceReady(opts.client.connection, settings.namespace);
        if (!retentionChecked) {
          reportRetention(
            settings,
            await checkRetention(
              opts.client.connection,
              settings.namespace,
              settings.retentionDays,
              !settings.external,
            ),
          );
          retentionChecked = true;
        }
        const connection = await connectWorker(settings);
        worker = await createCaseWorker({
          connection,
          client: opts.client,
          namespace: settings.namespace,
          taskQueue: settings.taskQueue,
          dataDir: dataDir(),
          sealer,
          caseLog: opts.caseLog,
          caseloadLimits: opts.caseloadLimits,
          channels: opts.channels,
          staffDirectory: opts.staffDirectory,
          feedbackTokens: opts.feedbackTokens,
          workflowBundle,
          dataConverter,
          pseudonymKey,
          linkKey,
          plugins,
          retentionDb: opts.retentionDb,
        });
        state = 'RUNNING';
        if (opts.retentionDb && !retentionStarted)
          retentionStarted = await startRetentionWorkflow(opts.client, settings.taskQueue);
        logger.info({ taskQueue: settings.taskQueue }, 'worker polling');
        await worker.run();
        await connection.close().catch(() => undefined);
      } catch (err) {
        if (stopping) return;
        logger.error({ err: (err as Error).message }, 'worker stopped; restarting');
      }
      worker = undefined;
      state = stopping ? 'STOPPED' : 'RESTARTING';
      if (!stopping) await sleep(RESTART_DELAY_MS);
    }
  })();
  return {
    state: () => (worker ? worker.getState() : state),
    async stop() {
      stopping = true;
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      // In-flight activities get a while to finish; then the process ends anyway.
      await Promise.race([done, sleep(15_000)]);
    },
  };
}

/**
 * Starts the nightly retention sweep unless it runs already (one per namespace, whichever worker
 * starts it); false when Temporal refused, so the next start of the worker tries again.
 */
async function startRetentionWorkflow(client: Client, taskQueue: string): Promise<boolean> {
  try {
    await client.workflow.start<typeof retentionWorkflow>('retentionWorkflow', {
      workflowId: RETENTION_WORKFLOW_ID,
      taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return true;
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'the retention sweep could not be started');
    return false;
  }
}

function reportRetention(settings: TemporalSettings, check: RetentionCheck): void {
  const namespace = settings.namespace;
  if (check.kind === 'set')
    logger.info({ namespace, from: check.fromDays, days: check.days }, 'namespace retention set');
  else if (check.kind === 'shorter')
    logger.warn(
      { namespace, days: check.days, retentionDays: check.wantedDays },
      'the namespace keeps closed cases for fewer days than temporal.yaml retentionDays; ask its operator to raise it (temporal operator namespace update --retention)',
    );
}

/** The HTTP API and visualizer on `port`; `/health` reports the worker by `workerState`. */
export async function serveApi(opts: {
  basics: ProcessBasics;
  client: Client;
  configStore: OpenedConfigStore;
  caseLog: CaseLog;
  caseloadLimits?: CaseloadLimits;
  staffDirectory?: StaffDirectory;
  auth: AuthSettings;
  port: number;
  /** The address to listen on (`httpHost()`). */
  host: string;
  workerState: () => string;
  /** The families' identity provider; with it the families' door is served. */
  family?: { provider: FamilyProvider };
}): Promise<Supervised> {
  const { settings, pseudonymKey } = opts.basics;
  const app = createApp({
    trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
    metrics: opts.basics.metrics,
    codec: opts.basics.codec,
    health: { client: opts.client, namespace: settings.namespace, workerState: opts.workerState },
    api: {
      client: opts.client,
      taskQueue: settings.taskQueue,
      configs: storeConfigSource(opts.configStore.store),
      configStore: opts.configStore.store,
      caseLog: opts.caseLog,
      caseloadLimits: opts.caseloadLimits,
      staffDirectory: opts.staffDirectory,
      screeningCounts: new ScreeningCounts(opts.configStore.db),
      feedback: new FeedbackStore(opts.configStore.db),
      accessLog: new CaseAccessLog(opts.configStore.db),
      deletions: new CaseRetention(opts.configStore.db),
      auth: opts.auth,
      dataDir: dataDir(),
      pseudonymKey,
      configReferences: opts.basics.configReferences,
      family: opts.family && {
        ...opts.family,
        endedSessions: new EndedSessions(opts.configStore.db),
      },
    },
  });
  const http: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port, opts.host, () => resolve(s));
    s.once('error', reject);
  });
  logger.info(
    {
      url: `http://${opts.host === '127.0.0.1' ? 'localhost' : opts.host}:${opts.port}`,
      kommuner: await opts.configStore.store.kommuner(),
    },
    'sluse API up',
  );
  return {
    async stop() {
      // New connections are refused and idle ones closed; requests in flight get a few seconds
      // to be answered (a command waits on Temporal at most its deadline) before the rest are cut.
      const closed = new Promise((resolve) => http.close(resolve));
      http.closeIdleConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
      http.closeAllConnections();
      await app.api?.close();
    },
  };
}

/** On SIGINT or SIGTERM: runs `stop` once, then exits 0. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Runs a process's main: one line for settings problems, the stack only for the unexpected. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof SettingsError) process.stderr.write(`sluse: ${err.message}\n`);
    else process.stderr.write(`sluse: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}

export { assertPortFree };
