/**
 * Semantic check of JSON Logic rules (gate conditions and recorded values): only the safe
 * operators in `RuleOperators`, one operator per rule object, and every `var` / `missing` path
 * names something that exists — a case field, a payload property, a consent type or a case fact —
 * down to nested properties (`payload.risikofaktorer.atferdsendring`). Arithmetic and comparison
 * straight over a value that may be missing are refused: JSON Logic turns the gap into NaN or
 * null, and the gate is silently false.
 */
import type { ConfigError } from './config-error';
import type { ConfigErrorCode } from './config-error-codes';
import type { JsonSchema, KommuneConfig } from './types';
import { caseFieldNames, ruleSites, type PayloadScope } from './config-sites';
import { didYouMean } from './did-you-mean';
import { lookupPath, type Presence } from './form-paths';
import { childPointer } from './json-pointer';
import { capitalize } from './text';
import {
  ActorFacts,
  CaseFacts,
  ITERATING_OPERATORS,
  NUMERIC_OPERATORS,
  RuleOperators,
  RuleVarRoots,
  isRuleOperator,
} from './rule-operators';

interface RuleContext {
  fields: Set<string>;
  /** The config's named values, read as `computed.<name>`. */
  computed: Set<string>;
  /** What `data` holds from the start: the intake form's required properties, as an object form. */
  caseData: JsonSchema;
  consents: Set<string>;
  /** Kinds of the config's teams, read as `case.teams.<kind>`. */
  teamKinds: Set<string>;
  scope: PayloadScope;
  errors: ConfigError[];
}

/** An event without a form takes an empty object (machines/payload-validation.ts). */
const NO_PAYLOAD: JsonSchema = { type: 'object', additionalProperties: false };

export function checkRules(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const fields = caseFieldNames(config);
  const caseData = caseDataForm(config);
  const consents = new Set(Object.keys(config.consentTypes ?? {}));
  const computed = new Set(Object.keys(config.computed ?? {}));
  const teamKinds = new Set(Object.values(config.teams ?? {}).map((t) => t.kind));
  for (const site of ruleSites(config)) {
    walkRule(site.rule, site.path, false, {
      fields,
      computed,
      caseData,
      consents,
      teamKinds,
      scope: site.scope,
      errors,
    });
  }
  return errors;
}

/**
 * The case's data as one object form: each field's schema (from `fields`, else the intake
 * form's property), required when the intake form requires it — recorded at opening, it is
 * always there. Other fields appear only once an effect records them.
 */
function caseDataForm(config: KommuneConfig): JsonSchema {
  const intake = config.intake.payload ?? {};
  const intakeProps = (typeof intake.properties === 'object' && intake.properties) || {};
  const properties: Record<string, unknown> = { ...intakeProps, ...(config.fields ?? {}) };
  const required = Array.isArray(intake.required) ? intake.required : [];
  return { type: 'object', additionalProperties: false, properties, required };
}

/**
 * `itemScope`: inside the per-item argument of map/filter/reduce/all/none/some, where `var`
 * reads the current item (or `current`/`accumulator`), not the case — those paths are not checked.
 */
function walkRule(rule: unknown, path: string, itemScope: boolean, ctx: RuleContext): void {
  if (Array.isArray(rule)) {
    rule.forEach((item, i) => walkRule(item, childPointer(path, i), itemScope, ctx));
    return;
  }
  if (typeof rule !== 'object' || rule === null) return;

  const keys = Object.keys(rule);
  if (keys.length !== 1) {
    ctx.errors.push({
      path,
      message:
        keys.length === 0
          ? 'an empty object is not a rule'
          : `a rule object must have exactly one operator, found ${keys.length}: ${keys.join(', ')}`,
      hint: 'combine conditions with {"and": [...]} or {"or": [...]}',
      code: 'RULE_NOT_ONE_OPERATOR',
      nb: `${
        keys.length === 0
          ? 'Et tomt objekt er ingen regel.'
          : `Et regelobjekt må ha nøyaktig én operator, men har ${keys.length}: ${keys.join(', ')}.`
      } Kombiner betingelser med {"and": [...]} eller {"or": [...]}.`,
    });
    return;
  }
  const op = keys[0];
  const opPath = childPointer(path, op);
  if (!isRuleOperator(op)) {
    const guess = didYouMean(op, RuleOperators);
    ctx.errors.push({
      path: opPath,
      message: `unknown or unsafe rule operator "${op}"`,
      code: 'RULE_UNKNOWN_OPERATOR',
      nb: `Operatoren «${op}» finnes ikke eller er ikke tillatt i regler. ${
        guess ? `Mente du «${guess}»?` : `Tillatte operatorer: ${RuleOperators.join(' ')}`
      }`,
      hint: guess ? `did you mean "${guess}"?` : `allowed operators: ${RuleOperators.join(' ')}`,
    });
    return;
  }
  const args: unknown = (rule as Record<string, unknown>)[op];
  const argList = Array.isArray(args) ? args : [args];
  const argPath = (i: number): string => (Array.isArray(args) ? childPointer(opPath, i) : opPath);

  if (op === 'var') {
    const [name, fallback] = argList;
    checkVarArg(name, argPath(0), itemScope, ctx);
    walkRule(fallback, argPath(1), itemScope, ctx);
    return;
  }
  if (op === 'missing') {
    argList.forEach((arg, i) => checkVarArg(arg, argPath(i), itemScope, ctx));
    return;
  }
  if (op === 'missing_some') {
    const [count, names] = argList;
    walkRule(count, argPath(0), itemScope, ctx);
    if (Array.isArray(names)) {
      names.forEach((n, i) => checkVarArg(n, childPointer(argPath(1), i), itemScope, ctx));
    } else {
      walkRule(names, argPath(1), itemScope, ctx);
    }
    return;
  }
  if (ITERATING_OPERATORS.has(op)) {
    argList.forEach((arg, i) => walkRule(arg, argPath(i), i === 1 ? true : itemScope, ctx));
    return;
  }
  argList.forEach((arg, i) => walkRule(arg, argPath(i), itemScope, ctx));
  if (NUMERIC_OPERATORS.has(op) && !itemScope) {
    argList.forEach((arg, i) => checkNumericArg(op, arg, argPath(i), ctx));
  }
}

/** `{"+": [{"var": "payload.x"}, 1]}` with `x` optional and no default: NaN when it is left out. */
function checkNumericArg(op: string, arg: unknown, path: string, ctx: RuleContext): void {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) return;
  const keys = Object.keys(arg);
  if (keys.length !== 1 || keys[0] !== 'var') return;
  const varArg: unknown = (arg as Record<string, unknown>).var;
  const [name, fallback] = Array.isArray(varArg) ? varArg : [varArg];
  if (typeof name !== 'string' || (fallback !== undefined && fallback !== null)) return;
  if (resolveVar(name, ctx).presence !== 'maybe') return;
  const [root, ...rest] = name.split('.');
  ctx.errors.push({
    path: childPointer(path, 'var'),
    message: `"${op}" reads "${name}", which may be missing: the rule then works on null and the result is silently wrong`,
    code: 'RULE_MAYBE_MISSING_VALUE',
    nb: `«${op}» leser «${name}», som kan mangle: da regner regelen med null, og svaret blir feil uten at noen merker det. ${
      root === 'payload'
        ? `Gjør «${rest.join('.')}» påkrevd i skjemaet, eller gi en standardverdi: {"var": ["${name}", 0]}.`
        : `Gi en standardverdi: {"var": ["${name}", 0]}, eller gjør «${rest[0]}» påkrevd i inntaksskjemaet.`
    }`,
    hint:
      root === 'payload'
        ? `make "${rest.join('.')}" required in the form, or give a default: {"var": ["${name}", 0]}`
        : `give a default: {"var": ["${name}", 0]}, or require "${rest[0]}" in the intake form`,
  });
}

function checkVarArg(arg: unknown, path: string, itemScope: boolean, ctx: RuleContext): void {
  if (typeof arg === 'string') {
    if (!itemScope) checkVarPath(arg, path, ctx);
  } else {
    walkRule(arg, path, itemScope, ctx);
  }
}

function checkVarPath(name: string, path: string, ctx: RuleContext): void {
  const { error } = resolveVar(name, ctx);
  if (error) ctx.errors.push({ path, ...error });
}

/** What a `var` path names: an error when it names nothing, and whether its value is always there. */
function resolveVar(
  name: string,
  ctx: RuleContext,
): { error?: Omit<ConfigError, 'path'>; presence: Presence } {
  // The empty path reads the whole rule context; that is legal JSON Logic.
  if (name === '') return { presence: 'yes' };
  const [root, first, ...rest] = name.split('.');
  if (!(RuleVarRoots as readonly string[]).includes(root)) {
    return {
      presence: 'unknown',
      error: {
        message: `"${name}" does not start with one of: ${RuleVarRoots.join(', ')}`,
        code: 'RULE_UNKNOWN_ROOT',
        nb: `«${name}» begynner ikke med ett av: ${RuleVarRoots.join(', ')}. Regler leser data.<felt>, payload.<skjemafelt>, consents.<samtykke>, case.<faktum>, actor.<faktum> eller computed.<navn>.`,
        hint: 'rules read data.<field>, payload.<property>, consents.<type>, case.<fact>, actor.<fact> or computed.<name>',
      },
    };
  }
  if (first === undefined) return { presence: 'unknown' };
  if (root === 'data') {
    if (!ctx.fields.has(first)) {
      const guess = didYouMean(first, ctx.fields);
      return {
        presence: 'unknown',
        error: {
          message: `"${name}" refers to an undeclared case field "${first}"`,
          code: 'UNKNOWN_CASE_FIELD',
          nb: `«${name}» viser til saksfeltet «${first}», som ikke er definert. ${
            guess
              ? `Mente du «data.${guess}»?`
              : 'Definer det under «fields» (eller i inntaksskjemaet).'
          }`,
          hint: guess
            ? `did you mean "data.${guess}"?`
            : 'declare it in fields (or the intake payload)',
        },
      };
    }
    return followForm(name, ctx.caseData, [first, ...rest], {
      where: "the case's data",
      nbWhere: 'sakens data',
      code: 'UNKNOWN_FIELD_PROPERTY',
    });
  }
  if (root === 'payload') return payloadVar(name, [first, ...rest], ctx.scope);
  if (root === 'consents') {
    if (ctx.consents.has(first)) return { presence: 'unknown' };
    const guess = didYouMean(first, ctx.consents);
    return {
      presence: 'unknown',
      error: {
        message: `"${name}" refers to an unknown consent type "${first}"`,
        code: 'UNKNOWN_CONSENT_TYPE',
        nb: `«${name}» viser til samtykketypen «${first}», som ikke finnes. ${
          guess ? `Mente du «consents.${guess}»?` : 'Definer den under «consentTypes».'
        }`,
        hint: guess ? `did you mean "consents.${guess}"?` : 'declare it in consentTypes',
      },
    };
  }
  if (root === 'computed') {
    // Always evaluated (null when its rule has nothing to work on), so never "missing".
    if (ctx.computed.has(first) && rest.length === 0) return { presence: 'yes' };
    const guess = didYouMean(first, ctx.computed);
    return {
      presence: 'unknown',
      error: {
        code: 'COMPUTED_UNKNOWN',
        message:
          rest.length > 0 && ctx.computed.has(first)
            ? `"${name}": a computed value is read whole, as "computed.${first}"`
            : `"${name}" refers to an unknown computed value "${first}"`,
        nb:
          rest.length > 0 && ctx.computed.has(first)
            ? `«${name}»: en beregnet verdi leses hel, som «computed.${first}»`
            : `«${name}» viser til en beregnet verdi «${first}» som ikke finnes under «computed»`,
        hint: guess ? `did you mean "computed.${guess}"?` : 'define it under "computed"',
      },
    };
  }
  if (root === 'actor') {
    if ((ActorFacts as readonly string[]).includes(first)) return { presence: 'yes' };
    return {
      presence: 'unknown',
      error: {
        message: `"${name}" is not a fact about the acting person`,
        code: 'RULE_UNKNOWN_ACTOR_FACT',
        nb: `«${name}» er ikke noe regler kan vite om den som handler. Regler kan lese ${ActorFacts.map((f) => `actor.${f}`).join(', ')}, men aldri hvem personen er.`,
        hint: `rules may read ${ActorFacts.map((f) => `actor.${f}`).join(', ')}; never who they are`,
      },
    };
  }
  if (first === 'teams') return teamVar(name, rest, ctx.teamKinds);
  if ((CaseFacts as readonly string[]).includes(first)) return { presence: 'yes' };
  return {
    presence: 'unknown',
    error: {
      message: `"${name}" is not a case fact`,
      code: 'RULE_UNKNOWN_CASE_FACT',
      nb: `«${name}» er ikke et saksfaktum. Regler kan lese ${CaseFacts.map((f) => `case.${f}`).join(', ')}.`,
      hint: `rules may read ${CaseFacts.map((f) => `case.${f}`).join(', ')}`,
    },
  };
}

/** `case.teams.<kind>`: the team of that kind the case is on, absent until one is assigned. */
function teamVar(
  name: string,
  rest: string[],
  kinds: Set<string>,
): { error?: Omit<ConfigError, 'path'>; presence: Presence } {
  const kind = rest[0];
  if (rest.length === 1 && kind !== undefined && kinds.has(kind)) return { presence: 'unknown' };
  const guess = kind === undefined ? undefined : didYouMean(kind, kinds);
  const known = [...kinds].join(', ') || '(ingen)';
  return {
    presence: 'unknown',
    error: {
      message: `"${name}" must be case.teams.<kind> of a team kind in "teams"`,
      code: 'TEAM_KIND_UNKNOWN',
      nb: `«${name}» må være case.teams.<type> for en teamtype under «teams» (${known}).${
        guess ? ` Mente du «case.teams.${guess}»?` : ''
      }`,
      hint: guess ? `did you mean "case.teams.${guess}"?` : `team kinds: ${known}`,
    },
  };
}

function payloadVar(
  name: string,
  segments: string[],
  scope: PayloadScope,
): { error?: Omit<ConfigError, 'path'>; presence: Presence } {
  if (scope.kind === 'unknown') return { presence: 'unknown' };
  if (scope.kind === 'none') {
    return {
      presence: 'unknown',
      error: {
        message: `"${name}": ${scope.owner} fires without a payload, so "${segments[0]}" cannot be read from one`,
        code: 'NO_PAYLOAD_TO_READ',
        nb: `«${name}»: ${scope.nbOwner} utløses uten skjema, så «${segments[0]}» kan ikke leses herfra. Les skjemafelter i overgangen til hendelsen som har dem.`,
        hint: 'read payload fields in the transition of the event that carries them',
      },
    };
  }
  return followForm(name, scope.schema ?? NO_PAYLOAD, segments, {
    where: `the payload of ${scope.owner}`,
    nbWhere: `skjemaet til ${scope.nbOwner}`,
    code: 'UNKNOWN_PAYLOAD_PROPERTY',
  });
}

/** Follows `segments` into `form`; `where` (`nbWhere`) names the form's root in messages. */
function followForm(
  name: string,
  form: JsonSchema,
  segments: string[],
  root: { where: string; nbWhere: string; code: ConfigErrorCode },
): { error?: Omit<ConfigError, 'path'>; presence: Presence } {
  const { where, nbWhere } = root;
  const found = lookupPath(form, segments);
  if (found.found) return { presence: found.presence };
  const prefix = name.slice(0, name.length - segments.join('.').length);
  const parent = segments.slice(0, found.index);
  const missing = segments[found.index];
  const owner = parent.length === 0 ? where : `"${parent.join('.')}" in ${where}`;
  const nbOwner = parent.length === 0 ? nbWhere : `«${parent.join('.')}» i ${nbWhere}`;
  const guess = didYouMean(missing, found.declared);
  const spelled = (n: string) => `${prefix}${[...parent, n].join('.')}`;
  return {
    presence: 'unknown',
    error: {
      message: `"${name}": ${owner} has no property "${missing}"`,
      code: root.code,
      nb: `«${name}»: ${nbOwner} har ikke feltet «${missing}». ${
        guess
          ? `Mente du «${spelled(guess)}»?`
          : found.notAnObject
            ? `«${parent.join('.')}» er ikke et objekt og har ingen felter å lese.`
            : found.declared.length > 0
              ? `Feltene er: ${found.declared.join(', ')}.`
              : `${capitalize(nbOwner)} har ingen felter.`
      }`,
      hint: guess
        ? `did you mean "${spelled(guess)}"?`
        : found.notAnObject
          ? `"${parent.join('.')}" is not an object, so it has no properties to read`
          : found.declared.length > 0
            ? `its properties: ${found.declared.join(', ')}`
            : `${owner} declares no properties`,
    },
  };
}
