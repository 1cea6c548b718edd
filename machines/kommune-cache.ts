/**
 * One compiled machine per (kommune, version) per worker. `machines/` is preloaded into the
 * worker's shared V8 context (runtime/worker.ts), so this map outlives each case workflow and
 * every case of a config version shares one compile (xstate machine, ajv forms) instead of
 * holding its own. Keyed by the config's text as well: a version is immutable in the store, but
 * the key must not trust that (tests and tools start cases on hand-made configs), and the same
 * text always compiles to the same result, so a hit is as deterministic as a compile.
 */
import type { KommuneConfig } from '../config/types';
import { compileKommune, type CompiledKommune, type CompileKommuneOptions } from './compile-kommune';

/** Distinct (kommune, version) entries kept; the oldest goes first. */
const MAX_ENTRIES = 64;
const cache = new Map<string, { text: string; compiled: CompiledKommune }>();

/**
 * `compileKommune`, shared by every case on this worker that runs the same config text.
 * The result's `config` is the shared copy: a caller that keeps the config should keep that one.
 *
 * @example
 * const k = sharedCompileKommune('lorenskog', input.config, input.configVersion);
 */
export function sharedCompileKommune(kommune: string, config: KommuneConfig, version: number, options: CompileKommuneOptions = {}): CompiledKommune {
  const key = `${kommune}\n${version}\n${options.legacy ? 'legacy' : ''}`;
  const text = JSON.stringify(config);
  const hit = cache.get(key);
  if (hit?.text === text) return hit.compiled;
  const compiled = compileKommune(config, version, options);
  cache.delete(key);
  cache.set(key, { text, compiled });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return compiled;
}
