/**
 * Validates a kommune config: first against the JSON Schema, then — only when the shape is right,
 * so the checks can trust it — the semantic checks JSON Schema cannot express.
 */
import type { ValidateFunction } from 'ajv';
import type { ConfigError, ValidateConfigResult } from './config-error';
import type { KommuneConfig } from './types';
import schema from './schema/kommune-config.schema.json';
import { createConfigAjv } from './create-ajv';
import { schemaErrorsToConfigErrors } from './schema-errors';
import { checkReferences } from './check-references';
import { checkRules } from './check-rules';
import { checkConsents } from './check-consents';
import { checkConsentGivers } from './check-consent-givers';
import { checkGraph } from './check-graph';
import { checkTimers } from './check-timers';
import { checkSchemas } from './check-schemas';
import { checkRoles } from './check-roles';
import { checkSelfReferral } from './check-self-referral';
import { checkSharedRules } from './check-shared-rules';
import { checkTeams } from './check-teams';
import { checkFamilyTexts } from './check-family-texts';
import { checkScreening } from './check-screening';
import { checkTemplates } from './check-templates';
import { checkSurveys } from './check-surveys';
import { checkRetention } from './check-retention';
import { tooDeepAt, tooDeepError } from './json-depth';

let compiled: ValidateFunction | undefined;

/** Compiling the schema takes tens of milliseconds; do it once per process. */
function schemaValidator(): ValidateFunction {
  compiled ??= createConfigAjv().compile(schema);
  return compiled;
}

/**
 * Checks `input` (parsed JSON) as a kommune config.
 *
 * @example
 * const result = validateConfig(JSON.parse(text));
 * if (!result.ok) for (const e of result.errors) console.log(`${e.path} — ${e.message}`);
 */
export function validateConfig(input: unknown): ValidateConfigResult<KommuneConfig> {
  // A value from JSON.parse (an HTTP body) may be nested deeper than the checks can recurse.
  const deep = tooDeepAt(input);
  if (deep !== undefined) return { ok: false, errors: [tooDeepError(deep)] };
  const validate = schemaValidator();
  if (!validate(input)) {
    return { ok: false, errors: schemaErrorsToConfigErrors(validate.errors ?? []) };
  }
  const config = input as KommuneConfig;
  const errors: ConfigError[] = [
    ...checkReferences(config),
    ...checkRules(config),
    ...checkTimers(config),
    ...checkGraph(config),
    ...checkSchemas(config),
    ...checkRoles(config),
    ...checkSelfReferral(config),
    ...checkConsents(config),
    ...checkConsentGivers(config),
    ...checkSharedRules(config),
    ...checkTeams(config),
    ...checkFamilyTexts(config),
    ...checkScreening(config),
    ...checkTemplates(config),
    ...checkSurveys(config),
    ...checkRetention(config),
  ];
  return errors.length === 0 ? { ok: true, config } : { ok: false, errors: once(errors) };
}

/** A shared event is checked once per step it applies in: the same finding at its one path, once. */
function once(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
