/// <reference lib="dom" />
/**
 * The kommune's config, fetched once per page. The API serves the current version only, so a
 * case on an older version is drawn with a warning (see `versionWarning`) until it serves others.
 */
import { apiPath, request } from './api';
import type { ConfigResponse } from './api-types';

const cache = new Map<string, Promise<ConfigResponse>>();

export function loadConfig(kommune: string): Promise<ConfigResponse> {
  let hit = cache.get(kommune);
  if (!hit) {
    hit = request<ConfigResponse>(apiPath(kommune, 'config'));
    hit.catch(() => cache.delete(kommune));
    cache.set(kommune, hit);
  }
  return hit;
}

export function versionWarning(loaded: ConfigResponse, wanted: number): string | null {
  return loaded.version === wanted
    ? null
    : `Saken følger slusemodell versjon ${wanted}, men bare versjon ${loaded.version} kan hentes. Diagrammet viser versjon ${loaded.version}.`;
}
