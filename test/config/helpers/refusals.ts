/**
 * The config tests' one shape: edit a copy of a seed or fixture, validate it, expect it refused
 * at the JSON path a process owner would change (or not at all).
 */
import { validateConfig, type ConfigError } from '../../../config';

/** What the validator refuses in a config: its errors, none when the config is valid. */
export function refusalsOf(config: unknown): ConfigError[] {
  const result = validateConfig(config);
  return result.ok ? [] : result.errors;
}

/** The refusals of a copy of `seed` after `edit`, made through the shape `E` the test edits. */
export function refusalsAfterEdit<E>(seed: unknown, edit: (copy: E) => void): ConfigError[] {
  const copy = structuredClone(seed) as E;
  edit(copy);
  return refusalsOf(copy);
}

/** Exactly one refusal, with these fields (path, code, nb…; others may be there too). */
export function expectOneRefusal(
  refusals: ConfigError[],
  fields: Partial<Record<keyof ConfigError, unknown>>,
): void {
  expect(refusals).toEqual([expect.objectContaining(fields)]);
}
