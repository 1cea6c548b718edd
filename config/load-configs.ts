/**
 * Loads kommune configs from files: adding a kommune is adding `<id>.json` to the config
 * directory (`config/kommuner/` unless `SLUSE_CONFIG_DIR` says otherwise). Every error carries
 * the JSON path and, since the text is at hand, the line and column in the file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ConfigError, ValidateConfigResult } from './config-error';
import type { KommuneConfig } from './types';
import { parentPointer, pointer } from './json-pointer';
import { parseJsonText, type TextPosition } from './parse-json-text';
import { validateConfig } from './validate-config';

export interface ConfigFileErrors {
  file: string;
  errors: ConfigError[];
}

export interface LoadConfigDirResult {
  /** Valid configs by kommune id. */
  configs: Map<string, KommuneConfig>;
  /** One entry per invalid file. */
  errors: ConfigFileErrors[];
}

/** `SLUSE_CONFIG_DIR`, else the repository's `config/kommuner/`. */
export function defaultConfigDir(): string {
  return process.env.SLUSE_CONFIG_DIR ?? resolve(__dirname, 'kommuner');
}

/** Reads and validates every `*.json` in `dir`, in file-name order. */
export function loadConfigDir(dir: string = defaultConfigDir()): LoadConfigDirResult {
  const configs = new Map<string, KommuneConfig>();
  const errors: ConfigFileErrors[] = [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort();
  } catch (error) {
    return {
      configs,
      errors: [
        {
          file: dir,
          errors: [
            {
              path: '',
              message: `cannot read config directory: ${(error as Error).message}`,
              code: 'FILE_UNREADABLE',
              nb: `Mappen med konfigurasjoner kan ikke leses (${(error as Error).message}).`,
            },
          ],
        },
      ],
    };
  }
  for (const name of names) {
    const file = join(dir, name);
    const result = loadConfigFile(file);
    if (result.ok) configs.set(result.config.id, result.config);
    else errors.push({ file, errors: result.errors });
  }
  return { configs, errors };
}

/**
 * Reads one config file: JSON syntax (with line and column), duplicate keys, the schema and
 * semantic checks, and that `id` equals the file name.
 *
 * @example
 * const result = loadConfigFile('config/kommuner/oygarden.json');
 * if (result.ok) console.log(result.config.name);
 */
export function loadConfigFile(
  file: string,
  alsoCheck?: ExtraCheck,
): ValidateConfigResult<KommuneConfig> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return {
      ok: false,
      errors: [
        {
          path: '',
          message: `cannot read file: ${(error as Error).message}`,
          code: 'FILE_UNREADABLE',
          nb: `Filen kan ikke leses (${(error as Error).message}).`,
        },
      ],
    };
  }
  const expectedId = basename(file).replace(/\.json$/, '');
  return validateConfigText(
    text,
    {
      id: expectedId,
      mismatch: `the file name "${basename(file)}"`,
      hint: (id) => `rename the file to ${id}.json or set "id": "${expectedId}"`,
      nb: (id) =>
        `«id» er «${id}», men filen heter «${basename(file)}». Gi filen navnet ${id}.json, eller skriv "id": "${expectedId}".`,
    },
    alsoCheck,
  );
}

/** The id a config's text must carry, and how to say so when it does not. */
export interface ExpectedId {
  id: string;
  /** Completes "id "x" does not match …". */
  mismatch: string;
  hint: (actualId: string) => string;
  /** The whole error in bokmål: what does not match, and what to do. */
  nb: (actualId: string) => string;
}

/**
 * A check that needs more than config/ may import (the engine's compile, in machines/): run
 * last, only on a config that passed every other check; its errors get lines and columns too.
 */
export type ExtraCheck = (config: KommuneConfig) => ConfigError[];

/** Like `ValidateConfigResult`, and on failure the parsed value when the JSON itself was fine. */
export type ValidateConfigTextResult =
  { ok: true; config: KommuneConfig } | { ok: false; errors: ConfigError[]; value?: unknown };

/**
 * Checks a config's text as `npm run config:validate` does: JSON syntax (with line and column),
 * duplicate keys, the schema and semantic checks, and optionally the expected `id`. Every error
 * gets the line and column of its path. Used for files, drafts and pasted configs alike.
 *
 * @example
 * const r = validateConfigText(pasted, {
 *   id: 'oygarden',
 *   mismatch: 'this kommune',
 *   hint: () => 'set "id": "oygarden"',
 *   nb: (id) => `«id» er «${id}»; skriv "id": "oygarden"`,
 * });
 */
export function validateConfigText(
  text: string,
  expected?: ExpectedId,
  alsoCheck?: ExtraCheck,
): ValidateConfigTextResult {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { message, nb, line, column, path } = parsed.error;
    const error: ConfigError =
      path === undefined
        ? {
            path: '',
            message: `malformed JSON at line ${line}, column ${column}: ${message}`,
            code: 'JSON_SYNTAX',
            nb: `Ugyldig JSON på linje ${line}, kolonne ${column}: ${nb}.`,
            line,
            column,
          }
        : {
            path,
            message: `too deep at line ${line}, column ${column}: ${message}`,
            hint: 'a config needs a few levels; this is no config',
            code: 'JSON_TOO_DEEP',
            nb: `For dypt nøstet på linje ${line}, kolonne ${column}: ${nb}. En konfigurasjon trenger noen få nivåer; dette er ingen konfigurasjon.`,
            line,
            column,
          };
    return { ok: false, errors: [error] };
  }

  const errors: ConfigError[] = parsed.duplicates.map((d) => ({
    path: d.path,
    message: `duplicate key "${d.key}" (first at line ${d.first.line}, column ${d.first.column})`,
    hint: 'JSON keeps only the last one, so the first is silently lost; rename or merge them',
    code: 'DUPLICATE_KEY',
    nb: `«${d.key}» står to ganger (første gang på linje ${d.first.line}, kolonne ${d.first.column}). JSON beholder bare den siste, så den første forsvinner uten varsel; gi dem ulike navn eller slå dem sammen.`,
    line: d.line,
    column: d.column,
  }));
  const result = validateConfig(parsed.value);
  if (!result.ok) errors.push(...result.errors.map((e) => locate(e, parsed.positions)));

  const id = (parsed.value as { id?: unknown } | null)?.id;
  if (expected && typeof id === 'string' && id !== expected.id) {
    errors.push(
      locate(
        {
          path: pointer('id'),
          message: `id "${id}" does not match ${expected.mismatch}`,
          hint: expected.hint(id),
          code: 'ID_MISMATCH',
          nb: expected.nb(id),
        },
        parsed.positions,
      ),
    );
  }
  if (errors.length === 0 && result.ok && alsoCheck) {
    errors.push(...alsoCheck(result.config).map((e) => locate(e, parsed.positions)));
  }
  return errors.length === 0 && result.ok ? result : { ok: false, errors, value: parsed.value };
}

/** Adds the line and column of the error's path, or of its nearest ancestor in the file. */
function locate(error: ConfigError, positions: Map<string, TextPosition>): ConfigError {
  let path = error.path;
  while (!positions.has(path) && path !== '') path = parentPointer(path);
  const at = positions.get(path);
  return at ? { ...error, ...at } : error;
}
