/**
 * Where the API reads kommune configs and their versions. Today the files in
 * `config/kommuner/` are version 1 of each kommune; the versioned config store (issue 7) will
 * implement the same interface, and nothing else in the server changes.
 *
 * @module
 */
import type { KommuneConfig } from '../config/types';

export interface VersionedConfig {
  kommune: string;
  version: number;
  config: KommuneConfig;
}

export interface ConfigSource {
  kommuner(): Promise<string[]>;
  /** The version new cases start on. */
  current(kommune: string): Promise<VersionedConfig | undefined>;
  version(kommune: string, version: number): Promise<VersionedConfig | undefined>;
}

/**
 * The config of the version a case runs on: the kommune's current one when it is that version,
 * else that published version (the current one if it can no longer be read).
 */
export async function configOfCase(
  configs: Pick<ConfigSource, 'version'>,
  current: VersionedConfig,
  version: number,
): Promise<KommuneConfig> {
  if (version === current.version) return current.config;
  return (await configs.version(current.kommune, version))?.config ?? current.config;
}

/** Every loaded config as one fixed version. */
export function staticConfigSource(
  configs: ReadonlyMap<string, KommuneConfig>,
  version = 1,
): ConfigSource {
  const get = (kommune: string) => {
    const config = configs.get(kommune);
    return config && { kommune, version, config };
  };
  return {
    kommuner: async () => [...configs.keys()].sort(),
    current: async (kommune) => get(kommune),
    version: async (kommune, v) => (v === version ? get(kommune) : undefined),
  };
}
