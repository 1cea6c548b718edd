/**
 * The API's `ConfigSource` read from the versioned config store: new cases start on the
 * latest published version, and any earlier version stays readable for the cases running on it.
 *
 * @module
 */
import type { ConfigStore } from '../store';
import type { ConfigSource } from './config-source';

export function storeConfigSource(store: ConfigStore): ConfigSource {
  return {
    kommuner: () => store.kommuner(),
    current: async (kommune) => (await store.latestPublished(kommune)) ?? undefined,
    version: async (kommune, version) => (await store.published(kommune, version)) ?? undefined,
  };
}
