/**
 * `npm start`: the whole system on one machine. With no settings it runs the embedded
 * Temporal dev server (SQLite under data/), the worker and the HTTP server; with
 * TEMPORAL_ADDRESS it attaches to that cluster instead. Supervises what it started: a dev server
 * or worker that dies is started again, and /health says so meanwhile.
 */
import type { Server } from 'node:http';
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { loadConfigDir } from '../config';
import { bundlerLogger } from '../runtime/bundler-logger';
import { dataDir } from '../runtime/data-dir';
import { assertPortFree, startDevServer, type DevServer } from '../runtime/dev-server';
import { logger } from '../runtime/logger';
import { routeSdkLogsToLogger } from '../runtime/sdk-logging';
import { encryptingDataConverter } from '../runtime/payload-codec';
import { createSealer, loadKeyRing } from '../runtime/key-ring';
import { connectWorker, createLazyClient } from '../runtime/temporal-connection';
import { loadTemporalSettings, SettingsError } from '../runtime/temporal-settings';
import { temporalBinaries } from '../runtime/tools';
import { createCaseWorker, workflowBundleOptions } from '../runtime/worker';
import { createApp } from '../server/app';
import { loadAuthSettings } from '../server/auth-settings';
import { storeConfigSource } from '../server/store-config-source';
import { CaseLog, openConfigStore } from '../store';

const RESTART_DELAY_MS = 3000;

function httpPort(): number {
  const raw = process.env.PORT ?? '3000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SettingsError(`PORT: expected a port number 1–65535, got "${raw}"`);
  }
  return port;
}

async function main(): Promise<void> {
  routeSdkLogsToLogger();
  const settings = loadTemporalSettings();
  const auth = loadAuthSettings();
  // One key ring for everything this process encrypts: Temporal payloads, the cases' logs in the
  // store, the outbox and the archive; and the key of the pseudonyms in search attributes.
  const keyRing = loadKeyRing(dataDir());
  const dataConverter = encryptingDataConverter(keyRing);
  const sealer = createSealer(keyRing);
  const { pseudonymKey } = keyRing;
  const port = httpPort();
  const configs = loadConfigDir();
  if (configs.errors.length > 0) {
    const first = configs.errors[0];
    throw new SettingsError(
      `${first.file}: ${first.errors[0]?.path ?? ''} ${first.errors[0]?.message ?? 'invalid'} (npm run config:validate for all errors)`,
    );
  }
  await assertPortFree('0.0.0.0', port, 'PORT');
  if (!settings.external) {
    await assertPortFree(settings.devServer.ip, settings.devServer.port, 'temporal.yaml devServer.port');
    if (settings.devServer.ui) {
      await assertPortFree(settings.devServer.ip, settings.devServer.uiPort, 'temporal.yaml devServer.uiPort');
    }
  }

  let stopping = false;
  let devServer: DevServer | undefined;
  let worker: Worker | undefined;
  let workerState = 'STARTING';
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Starts the dev server (a failed first start is fatal) and restarts it whenever it dies. */
  async function superviseDevServer(): Promise<void> {
    const binary = temporalBinaries().temporal;
    if (!binary) throw new SettingsError('the temporal CLI is missing: run `npm run bootstrap`, or set TEMPORAL_CLI_PATH');
    const options = { binary, ...settings.devServer, namespace: settings.namespace, searchAttributes: settings.searchAttributes };
    let current = await startDevServer(options);
    devServer = current;
    logger.info({ address: current.address, ui: settings.devServer.ui ? `http://${settings.devServer.ip}:${settings.devServer.uiPort}` : null }, 'temporal dev server up');
    void (async () => {
      while (!stopping) {
        const code = await current.exited;
        if (stopping) return;
        logger.error({ code }, 'temporal dev server exited; restarting');
        for (;;) {
          await sleep(RESTART_DELAY_MS);
          if (stopping) return;
          try {
            current = devServer = await startDevServer(options);
            logger.info('temporal dev server back');
            break;
          } catch (err) {
            logger.error({ err: (err as Error).message }, 'temporal dev server failed to restart; retrying');
          }
        }
      }
    })();
  }

  // The config store (PGlite under data/ or DATABASE_URL) is the truth for configs from now on;
  // the files only seed kommuner it does not know yet.
  const configStore = await openConfigStore();
  if (configStore.seeded.length > 0) logger.info({ kommuner: configStore.seeded }, 'config store seeded from config/kommuner');
  // The worker writes the cases' logs through the API's own database handle: PGlite belongs to
  // one process (with DATABASE_URL, any number of processes share PostgreSQL).
  const caseLog = new CaseLog(configStore.db, sealer);

  if (!settings.external) await superviseDevServer();
  const client = createLazyClient(settings, dataConverter);
  const workflowBundle = await bundleWorkflowCode({ ...workflowBundleOptions, logger: bundlerLogger });

  async function superviseWorker(): Promise<void> {
    while (!stopping) {
      try {
        workerState = 'CONNECTING';
        const connection = await connectWorker(settings);
        worker = await createCaseWorker({ connection, client, namespace: settings.namespace, taskQueue: settings.taskQueue, dataDir: dataDir(), sealer, caseLog, workflowBundle, dataConverter, pseudonymKey });
        workerState = 'RUNNING';
        logger.info({ taskQueue: settings.taskQueue }, 'worker polling');
        await worker.run();
        await connection.close().catch(() => undefined);
      } catch (err) {
        if (stopping) return;
        logger.error({ err: (err as Error).message }, 'worker stopped; restarting');
      }
      worker = undefined;
      workerState = stopping ? 'STOPPED' : 'RESTARTING';
      if (!stopping) await sleep(RESTART_DELAY_MS);
    }
  }
  const workerDone = superviseWorker();

  const app = createApp({
    health: { client, namespace: settings.namespace, workerState: () => (worker ? worker.getState() : workerState) },
    api: { client, taskQueue: settings.taskQueue, configs: storeConfigSource(configStore.store), configStore: configStore.store, caseLog, auth, dataDir: dataDir(), pseudonymKey },
  });
  const http: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, () => resolve(s));
    s.once('error', reject);
  });
  logger.info({ url: `http://localhost:${port}`, kommuner: await configStore.store.kommuner() }, 'sluse up');

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    http.close();
    http.closeAllConnections();
    await app.api?.close();
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.race([workerDone, sleep(15000)]);
    await client.connection.close().catch(() => undefined);
    await devServer?.stop();
    await configStore.close().catch(() => undefined);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}


main().catch((err: unknown) => {
  // One line for settings problems; the stack only for the unexpected.
  if (err instanceof SettingsError) process.stderr.write(`sluse: ${err.message}\n`);
  else process.stderr.write(`sluse: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
