import { parseJsonText, validateConfig, type ConfigError, type KommuneConfig, type TextPosition } from '../config';
import { parentPointer } from '../config/json-pointer';

export type ValidateDraftResult = { ok: true; config: KommuneConfig } | { ok: false; errors: ConfigError[] };

/**
 * Checks a draft's text exactly as `npm run config:validate` checks a file: JSON syntax with
 * line and column, duplicate keys, schema and semantic checks with JSON pointers, and that
 * `id` is the kommune's own id (a draft can never publish over another kommune).
 */
export function validateDraft(kommune: string, source: string): ValidateDraftResult {
  const parsed = parseJsonText(source);
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    return { ok: false, errors: [{ path: '', message: `malformed JSON at line ${line}, column ${column}: ${message}`, line, column }] };
  }
  const locate = (error: ConfigError): ConfigError => {
    let path = error.path;
    while (!parsed.positions.has(path) && path !== '') path = parentPointer(path);
    const at: TextPosition | undefined = parsed.positions.get(path);
    return at ? { ...error, ...at } : error;
  };
  const errors: ConfigError[] = parsed.duplicates.map((d) => ({
    path: d.path,
    message: `duplicate key "${d.key}" (first at line ${d.first.line}, column ${d.first.column})`,
    hint: 'JSON keeps only the last one, so the first is silently lost; rename or merge them',
    line: d.line,
    column: d.column,
  }));
  const result = validateConfig(parsed.value);
  if (!result.ok) errors.push(...result.errors.map(locate));
  const id = (parsed.value as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && id !== kommune) {
    errors.push(locate({ path: '/id', message: `id "${id}" is not this kommune's id "${kommune}"`, hint: `set "id": "${kommune}"` }));
  }
  return errors.length === 0 && result.ok ? result : { ok: false, errors };
}
