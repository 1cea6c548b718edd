/**
 * The JSON Logic operators a config's rules may use. Standard, side-effect-free operators only:
 * `log` writes to the console and dotted names call methods on values, so both are left out.
 */
export const RuleOperators = [
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'or',
  'and',
  '>',
  '>=',
  '<',
  '<=',
  'max',
  'min',
  '+',
  '-',
  '*',
  '/',
  '%',
  'map',
  'reduce',
  'filter',
  'all',
  'none',
  'some',
  'merge',
  'in',
  'cat',
  'substr',
] as const;
export type RuleOperator = (typeof RuleOperators)[number];

const operatorSet: ReadonlySet<string> = new Set(RuleOperators);

export function isRuleOperator(name: string): name is RuleOperator {
  return operatorSet.has(name);
}

/** Operators whose second argument is evaluated once per array item, with the item as data. */
export const ITERATING_OPERATORS: ReadonlySet<string> = new Set([
  'map',
  'reduce',
  'filter',
  'all',
  'none',
  'some',
]);

/** Operators that compute with numbers: a missing value turns into NaN or null and misleads. */
export const NUMERIC_OPERATORS: ReadonlySet<string> = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '<=',
  '>=',
  'min',
  'max',
]);

/** What `{"var": "<root>.x"}` may start with in a config rule. */
export const RuleVarRoots = ['data', 'payload', 'consents', 'case', 'actor', 'computed'] as const;

/**
 * The case facts a rule may read as `case.<name>`; `teams` is read as `case.teams.<kind>`, the id
 * of the team of that kind the case is on (absent until one is assigned).
 */
export const CaseFacts = ['level', 'step', 'referralSource', 'openedAt', 'teams'] as const;

/**
 * The acting person's relation to the case a rule may read as `actor.<name>`: their role,
 * whether they hold the case, whether they are on its team. Never who they are.
 */
export const ActorFacts = ['role', 'isHolder', 'onTeam'] as const;
