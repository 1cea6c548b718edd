/**
 * Validates a kommune config against the JSON Schema and with the semantic checks JSON Schema
 * cannot express, and reports every problem of both at once, so a process owner does not fix
 * a draft one round at a time.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
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
  const schemaErrors = validate(input) ? [] : (validate.errors ?? []);
  if (schemaErrors.length > 0 && !checksCanRead(input, schemaErrors)) {
    return { ok: false, errors: schemaErrorsToConfigErrors(schemaErrors) };
  }
  const found = semanticErrors(input as KommuneConfig, schemaErrors.length > 0);
  if (schemaErrors.length === 0) {
    return found.length === 0
      ? { ok: true, config: input as KommuneConfig }
      : { ok: false, errors: once(found) };
  }
  const shapeErrors = schemaErrorsToConfigErrors(schemaErrors);
  // A finding in, under or around a part the schema refused (a step whose one transition is
  // refused has "no way out") follows from that error; say it once.
  const refused = shapeErrors.map((e) => e.path);
  const beside = found.filter((e) => !refused.some((p) => related(e.path, p)));
  return { ok: false, errors: [...shapeErrors, ...once(beside)] };
}

/** One JSON pointer is the other or lies inside it; the whole document ('') relates to nothing. */
function related(a: string, b: string): boolean {
  if (a === '' || b === '') return false;
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

const CHECKS = [
  checkReferences,
  checkRules,
  checkTimers,
  checkGraph,
  checkSchemas,
  checkRoles,
  checkSelfReferral,
  checkConsents,
  checkConsentGivers,
  checkSharedRules,
  checkTeams,
  checkFamilyTexts,
  checkScreening,
  checkTemplates,
  checkSurveys,
  checkRetention,
];

/**
 * Schema errors about a value itself (a level out of range, an unknown property, a missing title)
 * leave the rest of the config as the checks expect it, so they still run. A wrong type, a list
 * too short or long or a failed choice between shapes would feed them something else; nor is a
 * config read further past a size bound (it keeps the checks' work bounded) or without a part
 * every check reads (steps, events …).
 */
const LOCAL_KEYWORDS: ReadonlySet<string> = new Set([
  'additionalProperties',
  'required',
  'enum',
  'const',
  'pattern',
  'format',
  'minLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'propertyNames',
  // ajv's note that an `if` branch failed; the error inside its `then` decides.
  'if',
]);

function checksCanRead(input: unknown, errors: readonly ErrorObject[]): boolean {
  return (
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input) &&
    errors.every(
      (e) =>
        (LOCAL_KEYWORDS.has(e.keyword) || e.propertyName !== undefined) &&
        !(e.keyword === 'required' && e.instancePath === ''),
    )
  );
}

/**
 * The semantic checks. On a config the schema refused, a check may meet a shape it does not
 * expect and throw; what it found before is lost, and the others still run.
 */
function semanticErrors(config: KommuneConfig, shapeRefused: boolean): ConfigError[] {
  if (!shapeRefused) return CHECKS.flatMap((check) => check(config));
  return CHECKS.flatMap((check) => {
    try {
      return check(config);
    } catch {
      return [];
    }
  });
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
