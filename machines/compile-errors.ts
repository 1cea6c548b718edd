/**
 * The last check before a config is published: the engine compiles it, exactly as a workflow
 * will. The validator's checks are meant to catch everything first; this is the guarantee that
 * a config that passed them cannot make every case opening of a kommune fail.
 *
 * @module
 */
import type { ConfigError } from '../config/config-error';
import type { KommuneConfig } from '../config/types';
import { FormCompileError, compileKommune } from './compile-kommune';

/** Version number of a compile that only probes; nothing runs on it. */
const PROBE_VERSION = 0;

/**
 * Why the engine cannot compile `config` (a form's JSON path, or `""` for the machine), or `[]`.
 *
 * @example
 * compileErrors(config) // [] for every config validateConfig accepts
 */
export function compileErrors(config: KommuneConfig): ConfigError[] {
  try {
    // Every form, though the engine compiles each only when first used.
    compileKommune(config, PROBE_VERSION).compileAllForms();
    return [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [
      {
        path: error instanceof FormCompileError ? error.path : '',
        message: `the engine cannot compile this config: ${message}`,
        code: 'ENGINE_COMPILE_FAILED',
        nb: `Motoren kan ikke bygge saksflyten av denne konfigurasjonen (${message}). Publisert slik ville hver ny sak i kommunen feile; rett feilen før publisering.`,
        hint: 'published as it is, every case opening of the kommune would fail; fix it before publishing',
      },
    ];
  }
}
