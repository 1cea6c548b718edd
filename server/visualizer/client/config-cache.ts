/// <reference lib="dom" />
/**
 * Kommune configs by version, fetched once per page: a case is drawn on the version it runs on.
 */
import { apiPath, request } from './api';
import type { ConfigResponse } from './api-types';

const cache = new Map<string, Promise<ConfigResponse>>();

export function loadConfig(kommune: string, version?: number): Promise<ConfigResponse> {
  const key = `${kommune}@${version ?? 'current'}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = request<ConfigResponse>(apiPath(kommune, 'config') + (version ? `?version=${version}` : ''));
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}
