/**
 * `npm run worker`: one case worker in a process of its own, against TEMPORAL_ADDRESS (or the
 * dev server `npm start` runs) and the PostgreSQL in DATABASE_URL, where it writes the cases'
 * logs. Run as many as you like on one task queue; they share the key ring (SLUSE_PAYLOAD_KEY,
 * SLUSE_PSEUDONYM_KEY or the same data folder) with the API processes. With METRICS_TOKEN it
 * serves /metrics on METRICS_PORT.
 */
import {
  assertPortFree,
  httpHost,
  loadProcessBasics,
  readPublishedConfigs,
  requireDatabaseUrl,
  runMain,
  stopOnSignals,
  superviseWorker,
} from '../runtime/supervise';
import { createLazyClient } from '../runtime/temporal-connection';
import {
  CaseLog,
  CaseloadLimits,
  ConfigStore,
  FeedbackStore,
  openDatabase,
  StaffDirectory,
} from '../store';
import { channelsFor, loadChannelSettings } from '../runtime/channel-settings';
import { logger } from '../runtime/logger';
import { serveWorkerMetrics } from '../runtime/metrics';

runMain(async () => {
  const basics = await loadProcessBasics({ runsWorker: true, service: 'sluse-worker' });
  requireDatabaseUrl('a worker');
  if (basics.metrics) await assertPortFree(httpHost(), basics.metrics.port, 'METRICS_PORT');
  const channelSettings = loadChannelSettings();
  if (!channelSettings.smtpUrl)
    logger.warn(
      'SMTP_URL is not set: this worker sends no e-mail (recipients fail with NO_CHANNEL)',
    );
  const db = await openDatabase();
  // The cases' configs come as references to published versions, read from the same store.
  readPublishedConfigs(basics, new ConfigStore(db));
  const client = createLazyClient(basics.settings, basics.dataConverter, basics.tracing);
  const worker = await superviseWorker({
    basics,
    client,
    caseLog: new CaseLog(db, basics.sealer),
    caseloadLimits: new CaseloadLimits(db),
    channels: channelsFor(channelSettings),
    staffDirectory: new StaffDirectory(db, basics.sealer),
    feedbackTokens: new FeedbackStore(db),
    retentionDb: db,
  });
  // With METRICS_TOKEN: /metrics on METRICS_PORT for the scraper.
  const metrics = basics.metrics;
  const metricsServer = metrics && (await serveWorkerMetrics(metrics, httpHost()));
  stopOnSignals(async () => {
    metricsServer?.close();
    await worker.stop();
    await client.connection.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    await basics.tracing?.flush();
  });
});
