import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { searchAttributeMismatches } from '../workflows/search-attributes';

export const projectRoot = join(__dirname, '..');

const SearchAttributeTypes = [
  'Text',
  'Keyword',
  'Int',
  'Double',
  'Bool',
  'Datetime',
  'KeywordList',
] as const;

const port = z.number().int().min(1).max(65535);

const fileSchema = z.strictObject({
  address: z.string().min(1).nullable(),
  namespace: z.string().min(1),
  taskQueue: z.string().min(1),
  /** Days a closed case's history stays in Temporal (set on the embedded server, checked on a cluster). */
  retentionDays: z.number().int().min(1).max(3650).default(30),
  devServer: z.strictObject({
    ip: z.string().min(1),
    port,
    uiPort: port,
    ui: z.boolean(),
    dbFile: z.string().min(1),
  }),
  searchAttributes: z.record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
    z.enum(SearchAttributeTypes),
  ),
});

export type TemporalFileSettings = z.infer<typeof fileSchema>;

export interface TlsSettings {
  certPath?: string;
  keyPath?: string;
  caPath?: string;
}

export interface TemporalSettings extends TemporalFileSettings {
  /** True when `address` came from settings: attach to that cluster, start no dev server. */
  external: boolean;
  /** Where to connect: the cluster address, or the embedded dev server's. */
  target: string;
  apiKey?: string;
  tls?: TlsSettings | true;
}

/** A settings problem: one line naming the file, the key and what is wrong. */
export class SettingsError extends Error {
  readonly code = 'SETTINGS_INVALID';
}

/**
 * Reads `temporal.yaml` (or `SLUSE_TEMPORAL_CONFIG`) and applies env overrides.
 *
 * @example
 * const settings = loadTemporalSettings(); // throws SettingsError on a bad file
 * settings.target; // '127.0.0.1:7233' with no TEMPORAL_ADDRESS
 */
export function loadTemporalSettings(
  file = process.env.SLUSE_TEMPORAL_CONFIG ?? join(projectRoot, 'temporal.yaml'),
  env: NodeJS.ProcessEnv = process.env,
): TemporalSettings {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SettingsError(`${file}: cannot read: ${(err as Error).message.split('\n')[0]}`);
  }
  const result = fileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const at = [...issue.path, ...keys.slice(0, 1)].join('.') || '(top level)';
    const what = issue.code === 'unrecognized_keys' ? `unknown key` : issue.message;
    throw new SettingsError(`${file}: ${at}: ${what}`);
  }
  const settings = result.data;
  // The file's list is for operators registering the attributes on their cluster; the engine's
  // is the truth, and a case writing an attribute the server lacks fails its workflow task.
  const mismatches = searchAttributeMismatches(settings.searchAttributes);
  if (mismatches.length > 0) {
    throw new SettingsError(
      `${file}: searchAttributes: not what the engine writes (workflows/search-attributes.ts): ${mismatches.join('; ')}`,
    );
  }
  const devServer = {
    ...settings.devServer,
    dbFile: isAbsolute(settings.devServer.dbFile)
      ? settings.devServer.dbFile
      : join(projectRoot, settings.devServer.dbFile),
  };
  const address = env.TEMPORAL_ADDRESS || settings.address;
  const tlsFiles: TlsSettings = {
    certPath: env.TEMPORAL_TLS_CERT || undefined,
    keyPath: env.TEMPORAL_TLS_KEY || undefined,
    caPath: env.TEMPORAL_TLS_CA || undefined,
  };
  if (Boolean(tlsFiles.certPath) !== Boolean(tlsFiles.keyPath)) {
    throw new SettingsError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together');
  }
  const apiKey = env.TEMPORAL_API_KEY || undefined;
  const anyTlsFile = Object.values(tlsFiles).some(Boolean);
  const tls = anyTlsFile ? tlsFiles : apiKey || env.TEMPORAL_TLS === 'true' ? true : undefined;
  return {
    ...settings,
    devServer,
    address: address ?? null,
    namespace: env.TEMPORAL_NAMESPACE || settings.namespace,
    taskQueue: env.TEMPORAL_TASK_QUEUE || settings.taskQueue,
    external: Boolean(address),
    target: address || `${devServer.ip}:${devServer.port}`,
    apiKey,
    tls,
  };
}
