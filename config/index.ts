/**
 * The kommune config: its types (the contract), the JSON Schema twin, validation and loading.
 *
 * - `validateConfig(input)` checks parsed JSON: schema first, then semantic checks (unknown ids,
 *   unreachable steps, unsafe rules, bad durations …), every error with a JSON pointer.
 * - `loadConfigDir(dir?)` / `loadConfigFile(file)` read `<id>.json` files, adding syntax errors
 *   with line and column, duplicate keys, and the id-equals-file-name rule.
 * - `createPayloadAjv` / `boundedForm` / `FormLimits`: how payload forms compile, for the
 *   validator and the engine alike (patterns on RE2, default bounds on text and lists).
 * - `parseJsonText` / `findDuplicateKeys` are the strict JSON reader behind the loader;
 *   `tooDeepAt` finds where an already parsed value is nested too deep to walk.
 *
 * @module
 */
export * from './types';
export type { ConfigError, ValidateConfigResult } from './config-error';
export { validateConfig } from './validate-config';
export {
  loadConfigDir,
  loadConfigFile,
  defaultConfigDir,
  validateConfigText,
} from './load-configs';
export type {
  ConfigFileErrors,
  ExpectedId,
  ExtraCheck,
  LoadConfigDirResult,
  ValidateConfigTextResult,
} from './load-configs';
export { parseJsonText, findDuplicateKeys, MAX_JSON_DEPTH } from './parse-json-text';
export { tooDeepAt, tooDeepError } from './json-depth';
export type { DuplicateKey, ParseJsonTextResult, TextPosition } from './parse-json-text';
export { parseDuration, type DurationParts } from './duration';
export { RuleOperators, type RuleOperator } from './rule-operators';
export { createPayloadAjv } from './create-ajv';
export { FormLimits, boundedForm } from './form-bounds';
export { linearRegExp } from './linear-regexp';
export {
  scoreScreening,
  scoreRange,
  ScreeningAnswerErrorCodes,
  type ScreeningAnswers,
  type ScreeningAnswerError,
  type ScreeningAnswerErrorCode,
  type ScreeningScore,
} from './screening';
