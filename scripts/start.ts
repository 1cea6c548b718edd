/**
 * `npm start`: the whole system on one machine. With no settings it runs the embedded
 * Temporal dev server (SQLite under data/), the worker and the HTTP server in this process; with
 * TEMPORAL_ADDRESS it attaches to that cluster instead. Supervises what it started (see
 * runtime/supervise.ts): a dev server or worker that dies is started again, and /health says so
 * meanwhile.
 */
import {
  assertConfigFilesValid,
  assertDevServerPortsFree,
  assertPortFree,
  httpHost,
  httpPort,
  loadProcessBasics,
  readPublishedConfigs,
  runMain,
  serveApi,
  stopOnSignals,
  superviseDevServer,
  superviseWorker,
} from '../runtime/supervise';
import { logger } from '../runtime/logger';
import { createLazyClient } from '../runtime/temporal-connection';
import { loadAuthSettings } from '../server/auth-settings';
import { startFamilyDevIdp } from '../runtime/family-dev-idp-process';
import { DEV_IDP_CLIENT_ID, DEV_IDP_CLIENT_SECRET } from '../server/family/dev-people';
import { loadFamilyOidcSettings } from '../server/family/family-identity';
import { CaseLog, CaseloadLimits, FeedbackStore, openConfigStore, StaffDirectory } from '../store';
import { channelsFor, loadChannelSettings } from '../runtime/channel-settings';
import { dataDir } from '../runtime/data-dir';
import { startMailCatcher } from '../runtime/mail-catcher';
import { join } from 'node:path';

runMain(async () => {
  const basics = await loadProcessBasics({ runsWorker: true, service: 'sluse' });
  const auth = loadAuthSettings();
  const familyOidc = loadFamilyOidcSettings();
  const channelSettings = loadChannelSettings();
  const port = httpPort();
  const host = httpHost();
  assertConfigFilesValid();
  await assertPortFree(host, port, 'PORT');
  if (!basics.settings.external) await assertDevServerPortsFree(basics.settings);

  // The config store (PGlite under data/ or DATABASE_URL) is the truth for configs from now on;
  // the files only seed kommuner it does not know yet.
  const configStore = await openConfigStore();
  if (configStore.seeded.length > 0)
    logger.info({ kommuner: configStore.seeded }, 'config store seeded from config/kommuner');
  readPublishedConfigs(basics, configStore.store);
  // The worker writes the cases' logs through the API's own database handle: PGlite belongs to
  // one process (with DATABASE_URL, any number of processes share PostgreSQL).
  const caseLog = new CaseLog(configStore.db, basics.sealer);
  const caseloadLimits = new CaseloadLimits(configStore.db);
  const staffDirectory = new StaffDirectory(configStore.db, basics.sealer);
  // Mails go to SMTP_URL, or with no settings to the embedded catcher (`npm run mail:list`).
  const mailCatcher = channelSettings.smtpUrl
    ? undefined
    : await startMailCatcher(join(dataDir(), 'mail'), basics.sealer);
  if (mailCatcher)
    logger.info(
      { smtp: mailCatcher.url },
      'mails are caught locally; read them with npm run mail:list',
    );
  const channels = channelsFor(channelSettings, channelSettings.smtpUrl ?? mailCatcher?.url);
  const devServer = basics.settings.external
    ? undefined
    : await superviseDevServer(basics.settings);
  // Families sign in at FAMILY_OIDC_ISSUER, or with no settings at the embedded test provider.
  const familyIdp = familyOidc.kind === 'dev' ? await startFamilyDevIdp() : undefined;
  if (familyIdp)
    logger.info({ issuer: familyIdp.issuer }, 'families sign in at the development provider');
  const family = {
    provider:
      familyOidc.kind === 'oidc'
        ? familyOidc
        : {
            issuer: new URL(familyIdp!.issuer),
            clientId: DEV_IDP_CLIENT_ID,
            clientSecret: DEV_IDP_CLIENT_SECRET,
          },
  };
  const client = createLazyClient(basics.settings, basics.dataConverter, basics.tracing);
  const worker = await superviseWorker({
    basics,
    client,
    caseLog,
    caseloadLimits,
    channels,
    staffDirectory,
    feedbackTokens: new FeedbackStore(configStore.db),
    retentionDb: configStore.db,
  });
  const api = await serveApi({
    basics,
    client,
    configStore,
    caseLog,
    caseloadLimits,
    staffDirectory,
    auth,
    port,
    host,
    workerState: worker.state,
    family,
  });

  stopOnSignals(async () => {
    await api.stop();
    await worker.stop();
    await client.connection.close().catch(() => undefined);
    await devServer?.stop();
    await familyIdp?.stop();
    await mailCatcher?.stop();
    channels.email?.close();
    await configStore.close().catch(() => undefined);
    await basics.tracing?.flush();
  });
});
