/**
 * Kommune configs, fetched once per page: the current one (what new cases start on) and any
 * published version a case runs on.
 */
import { ApiError, apiPath, request } from './api';
import type { ConfigResponse } from './api-types';

const cache = new Map<string, Promise<ConfigResponse>>();

/** The current config, or published version `version`. */
export function loadConfig(kommune: string, version?: number): Promise<ConfigResponse> {
  const key = `${kommune}@${version ?? 'current'}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = request<ConfigResponse>(
      `${apiPath(kommune, 'config')}${version === undefined ? '' : `?version=${version}`}`,
    );
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}

/**
 * The version a case runs on. A server that keeps one version only answers 404 for others;
 * then the current one is drawn, with `versionWarning` saying so.
 */
export async function loadCaseConfig(kommune: string, version: number): Promise<ConfigResponse> {
  try {
    return await loadConfig(kommune, version);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'CONFIG_VERSION_NOT_FOUND')
      return loadConfig(kommune);
    throw err;
  }
}

export function versionWarning(loaded: ConfigResponse, wanted: number): string | null {
  return loaded.version === wanted
    ? null
    : `Saken følger slusemodell versjon ${wanted}, men den kan ikke hentes. Diagrammet viser versjon ${loaded.version}.`;
}
