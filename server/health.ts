import type { Client } from '@temporalio/client';
import { isTemporalReachable } from '../runtime/temporal-connection';

export interface HealthReport {
  status: 'ok' | 'degraded';
  temporal: { reachable: boolean; namespace: string };
  worker: { state: string; polling: boolean };
}

export interface HealthSources {
  client: Client;
  namespace: string;
  /** The worker's current state, e.g. RUNNING, or `absent` when this process runs none. */
  workerState(): string;
}

/** Checks Temporal live on every call, so a dead server shows at once. */
export async function checkHealth(src: HealthSources): Promise<HealthReport> {
  const reachable = await isTemporalReachable(src.client);
  const state = src.workerState();
  const polling = reachable && state === 'RUNNING';
  return {
    status: reachable && (polling || state === 'absent') ? 'ok' : 'degraded',
    temporal: { reachable, namespace: src.namespace },
    worker: { state, polling },
  };
}
