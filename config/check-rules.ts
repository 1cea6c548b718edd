/**
 * Semantic check of JSON Logic rules (gate conditions and recorded values): only the safe
 * operators in `RuleOperators`, one operator per rule object, and every `var` / `missing` path
 * names something that exists — a case field, a payload property, a consent type or a case fact.
 */
import type { ConfigError } from './config-error';
import type { KommuneConfig } from './types';
import { caseFieldNames, ruleSites, type PayloadScope } from './config-sites';
import { payloadFieldError } from './check-references';
import { didYouMean } from './did-you-mean';
import { childPointer } from './json-pointer';
import {
  CaseFacts,
  ITERATING_OPERATORS,
  RuleOperators,
  RuleVarRoots,
  isRuleOperator,
} from './rule-operators';

interface RuleContext {
  fields: Set<string>;
  consents: Set<string>;
  scope: PayloadScope;
  errors: ConfigError[];
}

export function checkRules(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const fields = caseFieldNames(config);
  const consents = new Set(Object.keys(config.consentTypes ?? {}));
  for (const site of ruleSites(config)) {
    walkRule(site.rule, site.path, false, { fields, consents, scope: site.scope, errors });
  }
  return errors;
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
}

function checkVarArg(arg: unknown, path: string, itemScope: boolean, ctx: RuleContext): void {
  if (typeof arg === 'string') {
    if (!itemScope) checkVarPath(arg, path, ctx);
  } else {
    walkRule(arg, path, itemScope, ctx);
  }
}

function checkVarPath(name: string, path: string, ctx: RuleContext): void {
  // The empty path reads the whole rule context; that is legal JSON Logic.
  if (name === '') return;
  const [root, first] = name.split('.');
  if (!(RuleVarRoots as readonly string[]).includes(root)) {
    ctx.errors.push({
      path,
      message: `"${name}" does not start with one of: ${RuleVarRoots.join(', ')}`,
      hint: 'rules read data.<field>, payload.<property>, consents.<type> or case.<fact>',
    });
    return;
  }
  if (first === undefined) return;
  if (root === 'data') {
    if (ctx.fields.has(first)) return;
    const guess = didYouMean(first, ctx.fields);
    ctx.errors.push({
      path,
      message: `"${name}" refers to an undeclared case field "${first}"`,
      hint: guess
        ? `did you mean "data.${guess}"?`
        : 'declare it in fields (or the intake payload)',
    });
  } else if (root === 'payload') {
    const error = payloadFieldError(ctx.scope, first, path);
    if (error) ctx.errors.push({ ...error, message: `"${name}": ${error.message}` });
  } else if (root === 'consents') {
    if (ctx.consents.has(first)) return;
    const guess = didYouMean(first, ctx.consents);
    ctx.errors.push({
      path,
      message: `"${name}" refers to an unknown consent type "${first}"`,
      hint: guess ? `did you mean "consents.${guess}"?` : 'declare it in consentTypes',
    });
  } else if (!(CaseFacts as readonly string[]).includes(first)) {
    ctx.errors.push({
      path,
      message: `"${name}" is not a case fact`,
      hint: `rules may read ${CaseFacts.map((f) => `case.${f}`).join(', ')}`,
    });
  }
}
