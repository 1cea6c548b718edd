import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalSettings } from './temporal-settings';
import type { Tracing } from './tracing';

function tlsOption(settings: TemporalSettings) {
  if (!settings.tls) return undefined;
  if (settings.tls === true) return true;
  const { certPath, keyPath, caPath } = settings.tls;
  return {
    clientCertPair:
      certPath && keyPath ? { crt: readFileSync(certPath), key: readFileSync(keyPath) } : undefined,
    serverRootCACertificate: caPath ? readFileSync(caPath) : undefined,
  };
}

export function connectionOptions(settings: TemporalSettings): ConnectionOptions {
  return { address: settings.target, tls: tlsOption(settings), apiKey: settings.apiKey };
}

/**
 * A client whose connection is made on first use, so the HTTP server starts (and reports
 * Temporal down on /health) even while Temporal is unreachable.
 */
export function createLazyClient(
  settings: TemporalSettings,
  dataConverter?: DataConverter,
  tracing?: Tracing,
): Client {
  return new Client({
    connection: Connection.lazy(connectionOptions(settings)),
    namespace: settings.namespace,
    dataConverter,
    plugins: tracing ? [tracing.plugin] : [],
  });
}

export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: settings.target,
    tls: tlsOption(settings),
    apiKey: settings.apiKey,
  });
}

/** True when the frontend answers within `timeoutMs`. */
export async function isTemporalReachable(client: Client, timeoutMs = 1500): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflowService.getSystemInfo({}),
    );
    return true;
  } catch {
    return false;
  }
}
