/**
 * `npm run api`: the HTTP API and visualizer in a process of their own, with no worker, against
 * TEMPORAL_ADDRESS (or the dev server `npm start` runs) and the PostgreSQL in DATABASE_URL.
 * Run as many as you like behind a load balancer; cases run on the workers (`npm run worker`).
 */
import { logger } from '../runtime/logger';
import {
  assertConfigFilesValid,
  assertPortFree,
  httpHost,
  httpPort,
  loadProcessBasics,
  readPublishedConfigs,
  requireDatabaseUrl,
  runMain,
  serveApi,
  stopOnSignals,
} from '../runtime/supervise';
import { createLazyClient } from '../runtime/temporal-connection';
import { loadAuthSettings } from '../server/auth-settings';
import { loadFamilyOidcSettings } from '../server/family/family-identity';
import { CaseLog, CaseloadLimits, openConfigStore, StaffDirectory } from '../store';

runMain(async () => {
  const basics = await loadProcessBasics({ runsWorker: false, service: 'sluse-api' });
  const auth = loadAuthSettings();
  // The families' door only with a real provider here: the development one belongs to npm start.
  const familyOidc = loadFamilyOidcSettings();
  const port = httpPort();
  const host = httpHost();
  requireDatabaseUrl('the API');
  assertConfigFilesValid();
  await assertPortFree(host, port, 'PORT');
  const configStore = await openConfigStore();
  if (configStore.seeded.length > 0)
    logger.info({ kommuner: configStore.seeded }, 'config store seeded from config/kommuner');
  readPublishedConfigs(basics, configStore.store);
  const client = createLazyClient(basics.settings, basics.dataConverter, basics.tracing);
  const api = await serveApi({
    basics,
    client,
    configStore,
    caseLog: new CaseLog(configStore.db, basics.sealer),
    caseloadLimits: new CaseloadLimits(configStore.db),
    staffDirectory: new StaffDirectory(configStore.db, basics.sealer),
    auth,
    port,
    host,
    workerState: () => 'absent',
    ...(familyOidc.kind === 'oidc' ? { family: { provider: familyOidc } } : {}),
  });
  stopOnSignals(async () => {
    await api.stop();
    await client.connection.close().catch(() => undefined);
    await configStore.close().catch(() => undefined);
    await basics.tracing?.flush();
  });
});
