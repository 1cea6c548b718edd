/**
 * The whole API stack for a test file: a namespace of its own on the run's real Temporal dev
 * server, the real case worker in this
 * process, and the express app on a free port with the development issuer. Tests talk to it
 * over real HTTP with real tokens.
 */
import type { FamilyProvider } from '../../server/family/family-router';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { connectDrainable } from '../support/drainable-connection';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfigDir, type KommuneConfig } from '../../config';
import { createSealer, loadKeyRing, type Sealer } from '../../runtime/key-ring';
import { AesGcmPayloadCodec, webUiCodec } from '../../runtime/payload-codec';
import { ConfigReferences } from '../../runtime/config-references';
import { createCaseWorker } from '../../runtime/worker';
import type { Logger } from '../../runtime/logger';
import type { Channels } from '../../activities';
import type { ApiOptions } from '../../server/api-router';
import { createApp, type SluseApp } from '../../server/app';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../../server/auth-settings';
import { staticConfigSource } from '../../server/config-source';
import { storeConfigSource } from '../../server/store-config-source';
import {
  CaseLog,
  CaseloadLimits,
  EndedSessions,
  CaseAccessLog,
  CaseRetention,
  FeedbackStore,
  openDatabase,
  ScreeningCounts,
  StaffDirectory,
  type ConfigStore,
  type SqlDatabase,
} from '../../store';
import { loadDevIssuer, type DevIssuer } from '../../server/dev-issuer';
import { testNamespace, workflowBundle } from '../support/temporal';
import { memoryDatabase } from '../support/memory-database';

export interface ApiStack {
  baseUrl: string;
  configs: ReadonlyMap<string, KommuneConfig>;
  client: Client;
  /** The client's data converter: a worker of a test's own needs it to read the cases' configs. */
  dataConverter: DataConverter;
  taskQueue: string;
  issuer: DevIssuer;
  dataDir: string;
  /** Seals the outbox and archive files under `dataDir`. */
  sealer: Sealer;
  /** The cases' logs, shared by the worker and the API as in `npm start`. */
  caseLog: CaseLog;
  /** The store's database the worker and the API share. */
  db: SqlDatabase;
  app: SluseApp;
  /**
   * Another API process on the same store, Temporal and keys (no worker of its own): as
   * `npm run api` started once more behind the load balancer.
   */
  startAnotherApi(): Promise<{ baseUrl: string; stop(): Promise<void> }>;
  token(kommune: string, role: string, sub?: string): Promise<string>;
  /** Shuts the worker down as a stopping process does (`Worker.shutdown`), resolved when it has. */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  api?: Partial<ApiOptions>;
  /** Start no worker: commands then wait until the Temporal deadline. */
  noWorker?: boolean;
  /** Serve configs from this store (and the process owners' config routes) instead of the files. */
  configStore?: ConfigStore;
  /** More kommuner beside the seed files (test fixtures). */
  extraConfigs?: KommuneConfig[];
  /** The API's and visualizer's logger (default: the process logger). */
  logger?: Logger;
  /** The families' identity provider: with it the families' door is served. */
  family?: { provider: FamilyProvider };
  /** The worker's e-mail and SMS channels; left out, messages go to the outbox only. */
  channels?: Channels;
  /** Serve `/metrics` with this token (`METRICS_TOKEN`), case counts never cached. */
  metricsToken?: string;
  /** Serve the Web UI's codec endpoint to this origin (`CODEC_UI_ORIGIN`), with this key ring's codec. */
  codecUiOrigin?: string;
}

/** A server on a free port, serving `app` (or, until given one, nothing). */
async function listen(app?: SluseApp): Promise<{ server: Server; port: number }> {
  const server: Server = await new Promise((resolve) => {
    const s = createServer(app).listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, port: (server.address() as { port: number }).port };
}

export async function startApiStack(options: StackOptions = {}): Promise<ApiStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluse-api-'));
  const taskQueue = 'sluse-api-test';
  // Keys in the data folder and the cases' logs in PGlite, as `npm start` has them.
  const sealer = createSealer(loadKeyRing(dataDir));
  const db = await openDatabase(memoryDatabase());
  const caseLog = new CaseLog(db, sealer);
  const caseloadLimits = new CaseloadLimits(db);
  const feedback = new FeedbackStore(db);
  const staffDirectory = new StaffDirectory(db, sealer);
  const { address, namespace } = await testNamespace();
  const drainable = await connectDrainable(address);
  // As in `npm start`, a case's config goes to Temporal as a reference to its version; the
  // source is set below, once the configs are known.
  const configReferences = new ConfigReferences();
  const dataConverter = { payloadCodecs: [configReferences] };
  const client = new Client({ connection: drainable.connection, namespace, dataConverter });
  // Listening first, so links in the worker's messages point at this server (PUBLIC_BASE_URL).
  const { server, port } = await listen();
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  if (!options.noWorker) {
    nativeConnection = await NativeConnection.connect({ address });
    worker = await createCaseWorker({
      connection: nativeConnection,
      client,
      namespace,
      taskQueue,
      dataDir,
      sealer,
      caseLog,
      caseloadLimits,
      feedbackTokens: feedback,
      staffDirectory,
      channels: options.channels,
      publicBaseUrl: `http://127.0.0.1:${port}`,
      workflowBundle: await workflowBundle(),
      dataConverter,
    });
    workerDone = worker.run();
  }
  const configs = new Map(loadConfigDir().configs);
  for (const config of options.extraConfigs ?? []) configs.set(config.id, config);
  const configSource = options.configStore
    ? storeConfigSource(options.configStore)
    : staticConfigSource(configs);
  configReferences.source = async (kommune, version) =>
    (await configSource.version(kommune, version))?.config;
  const newApp = () =>
    createApp({
      health: { client, namespace, workerState: () => worker?.getState() ?? 'absent' },
      codec: options.codecUiOrigin
        ? {
            origin: options.codecUiOrigin,
            codec: webUiCodec(new AesGcmPayloadCodec(loadKeyRing(dataDir)), configReferences),
          }
        : undefined,
      metrics: options.metricsToken
        ? { token: options.metricsToken, caseCountsTtlMs: 0 }
        : undefined,
      api: {
        client,
        taskQueue,
        configs: configSource,
        configStore: options.configStore,
        configReferences,
        caseLog,
        caseloadLimits,
        screeningCounts: new ScreeningCounts(db),
        feedback,
        staffDirectory,
        accessLog: new CaseAccessLog(db),
        deletions: new CaseRetention(db),
        auth: { kind: 'dev', issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE },
        dataDir,
        logger: options.logger,
        family: options.family && { ...options.family, endedSessions: new EndedSessions(db) },
        options: {
          rateLimit: { limit: 100_000, windowMs: 60_000 },
          stream: { pollMs: 200, heartbeatMs: 1000 },
          // The statistics read what cases have written to the store: here within a second.
          caseLogFlushMs: 500,
          // A case made late shows in the live model within a second, not 15.
          liveModelCacheMs: 1000,
          ...options.api,
        },
      },
    });
  const app = newApp();
  server.on('request', app);
  const baseUrl = `http://127.0.0.1:${port}`;
  const issuer = await loadDevIssuer(dataDir);
  return {
    baseUrl,
    configs,
    client,
    dataConverter,
    taskQueue,
    issuer,
    dataDir,
    sealer,
    caseLog,
    db,
    app,
    async startAnotherApi() {
      const another = newApp();
      const started = await listen(another);
      return {
        baseUrl: `http://127.0.0.1:${started.port}`,
        async stop() {
          await another.api?.close();
          started.server.closeAllConnections();
          await new Promise((r) => started.server.close(r));
        },
      };
    },
    token: (kommune, role, sub = `u-${role}`) =>
      issuer.sign({ sub, kommune, role, audience: DEFAULT_AUDIENCE }),
    async stopWorker() {
      const running = worker;
      worker = undefined;
      running?.shutdown();
      await workerDone;
    },
    async stop() {
      await app.api?.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      // Requests still being handled may be waiting on the worker: let them finish first.
      await drainable.drained();
      if (worker) {
        worker.shutdown();
        await workerDone;
      }
      await nativeConnection?.close();
      await drainable.close();
      await db.close();
    },
  };
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON request; `body` as a string is sent raw (for malformed-JSON tests). */
export async function http<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = {
    ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, opts.headers);
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body:
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** Polls until `fn` returns a value other than undefined (visibility is eventually consistent). */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
