/**
 * `npm run docs:config`: writes `docs/config-reference.md`, the reference of every config
 * construct, property, rule operator and rule fact, and every config error code, for process owners
 * writing a kommune config. Generated from the schema, `config/rule-operators.ts`,
 * `config/config-error-codes.ts` and the seed configs (examples), so it
 * says what the validator says; `test/config/config-reference.test.ts` fails when the committed
 * page differs from what this script writes now.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import jsonLogic from 'json-logic-js';
// Prettier's standalone build: the main entry loads its ESM core with a dynamic import, which
// Jest's module sandbox refuses, and the test renders this page in-process.
import { format } from 'prettier/standalone';
import * as babelPlugin from 'prettier/plugins/babel';
import * as estreePlugin from 'prettier/plugins/estree';
import * as markdownPlugin from 'prettier/plugins/markdown';
import {
  ActorFacts,
  CaseFacts,
  RuleOperators,
  RuleVarRoots,
  type RuleOperator,
} from '../config/rule-operators';
import { ConfigErrorCodes } from '../config/config-error-codes';
import { MessageVariableNames, MessageVariables } from '../config/message-variables';

type Schema = { [keyword: string]: unknown };
type RuleVarRoot = (typeof RuleVarRoots)[number];
type CaseFact = (typeof CaseFacts)[number];
type ActorFact = (typeof ActorFacts)[number];

const REPO_ROOT = resolve(__dirname, '..');
export const SCHEMA_FILE = join(REPO_ROOT, 'config/schema/kommune-config.schema.json');
export const REFERENCE_FILE = join(REPO_ROOT, 'docs/config-reference.md');
/** The seeds, not SLUSE_CONFIG_DIR: the page must not depend on who generates it. */
const SEED_DIR = join(REPO_ROOT, 'config/kommuner');

export function readSchema(): Schema {
  return JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema;
}

const isObject = (v: unknown): v is Schema =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const hasText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const objectOf = (v: unknown): Schema => (isObject(v) ? v : {});

/** Keywords that make a `$defs` entry a schema; an entry with none is a group of schemas. */
const SCHEMA_KEYWORDS = [
  'type',
  '$ref',
  'enum',
  'const',
  'properties',
  'if',
  'allOf',
  'anyOf',
  'oneOf',
  'items',
];
const isGroup = (def: Schema): boolean => !SCHEMA_KEYWORDS.some((k) => k in def);

function defsOf(schema: Schema): Schema {
  return objectOf(schema.$defs);
}

/** `#/$defs/a/b` → ['a', 'b']. */
function refPath(ref: unknown): string[] | undefined {
  return typeof ref === 'string' && ref.startsWith('#/$defs/')
    ? ref.slice('#/$defs/'.length).split('/')
    : undefined;
}

function resolveRef(root: Schema, ref: unknown): Schema | undefined {
  const path = refPath(ref);
  if (!path) return undefined;
  let node: unknown = defsOf(root);
  for (const part of path) node = objectOf(node)[part];
  return isObject(node) ? node : undefined;
}

/**
 * JSON pointers of the schema's properties and definitions that say nothing about themselves.
 * A property is described by its own `description`, or by its definition's when that definition
 * exists for it (no property referring to it has its own: `timerTitle`, `intake`) — a generic
 * `id` or `duration` does not say what a property means. A fixed `const` (a timer's `kind`, an
 * effect's `type`) is explained by the definition it selects. `if` conditions and groups of them
 * (`kindIs`, `typeIs`) are tests, not things a config writes, and are skipped.
 */
export function undocumentedProperties(root: Schema): string[] {
  const found: string[] = [];
  const describedUses = new Map<string, number>();
  const countUses = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(countUses);
    if (!isObject(node)) return;
    for (const prop of Object.values(objectOf(node.properties))) {
      const name = refPath(objectOf(prop).$ref)?.join('/');
      if (name === undefined) continue;
      const own = hasText(objectOf(prop).description) ? 1 : 0;
      describedUses.set(name, (describedUses.get(name) ?? 0) + own);
    }
    Object.values(node).forEach(countUses);
  };
  countUses(root);
  const speaksForUsers = (ref: unknown): boolean => {
    const name = refPath(ref)?.join('/');
    return name !== undefined && describedUses.get(name) === 0;
  };
  const documented = (s: Schema): boolean =>
    hasText(s.description) ||
    'const' in s ||
    (speaksForUsers(s.$ref) && hasText(resolveRef(root, s.$ref)?.description));
  const walk = (node: unknown, pointer: string): void => {
    if (!isObject(node)) return;
    for (const [name, prop] of Object.entries(objectOf(node.properties))) {
      const at = `${pointer}/properties/${name}`;
      if (isObject(prop) && !documented(prop)) found.push(at);
      walk(prop, at);
    }
    for (const key of ['additionalProperties', 'items', 'then', 'else']) {
      walk(node[key], `${pointer}/${key}`);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((item, i) => walk(item, `${pointer}/${key}/${i}`));
    }
    for (const [name, def] of Object.entries(objectOf(node.$defs))) {
      if (!isObject(def) || isGroup(def)) continue;
      if (!hasText(def.description)) found.push(`${pointer}/$defs/${name}`);
      walk(def, `${pointer}/$defs/${name}`);
    }
  };
  walk(root, '');
  return found;
}

// --- Examples from the seed configs ---------------------------------------------------------

interface Example {
  file: string;
  pointer: string;
  value: unknown;
}

/** Whether `value` meets an `if` condition of the schema (type, required, const properties). */
function meets(root: Schema, condition: unknown, value: unknown): boolean {
  const s = isObject(condition) && condition.$ref ? resolveRef(root, condition.$ref) : condition;
  if (!isObject(s)) return false;
  if (s.type === 'array' && !Array.isArray(value)) return false;
  if (s.type === 'object' && !isObject(value)) return false;
  const v = objectOf(value);
  if (Array.isArray(s.required) && !s.required.every((k) => Object.hasOwn(v, String(k)))) {
    return false;
  }
  return Object.entries(objectOf(s.properties)).every(
    ([k, p]) => !isObject(p) || !('const' in p) || v[k] === p.const,
  );
}

/** Every value of the seeds, filed under each definition it was checked against. */
function collectExamples(root: Schema): Map<string, Example[]> {
  const byDef = new Map<string, Example[]>();
  const visit = (schema: unknown, value: unknown, file: string, pointer: string): void => {
    if (!isObject(schema)) return;
    const path = refPath(schema.$ref);
    if (path) {
      const name = path.join('/');
      byDef.set(name, [...(byDef.get(name) ?? []), { file, pointer, value }]);
      visit(resolveRef(root, schema.$ref), value, file, pointer);
    }
    if (isObject(value)) {
      const props = objectOf(schema.properties);
      for (const [key, v] of Object.entries(value)) {
        const sub = Object.hasOwn(props, key) ? props[key] : schema.additionalProperties;
        visit(sub, v, file, `${pointer}/${key}`);
      }
    }
    if (Array.isArray(value))
      value.forEach((v, i) => visit(schema.items, v, file, `${pointer}/${i}`));
    if (Array.isArray(schema.allOf)) schema.allOf.forEach((s) => visit(s, value, file, pointer));
    if ('if' in schema) {
      visit(meets(root, schema.if, value) ? schema.then : schema.else, value, file, pointer);
    }
  };
  const files = readdirSync(SEED_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
  for (const name of files) {
    const config: unknown = JSON.parse(readFileSync(join(SEED_DIR, name), 'utf8'));
    visit(root, config, `config/kommuner/${name}`, '');
  }
  return byDef;
}

/** The example showing most of a construct: most properties, then the shortest, then the first. */
function richest(examples: Example[]): Example | undefined {
  const keys = (e: Example): number => (isObject(e.value) ? Object.keys(e.value).length : 0);
  const size = (e: Example): number => JSON.stringify(e.value).length;
  return [...examples].sort((a, b) => keys(b) - keys(a) || size(a) - size(b))[0];
}

const MORE = '…';

/**
 * A shortened copy: long text, long lists, big maps and what lies deeper than `maxDepth` end in
 * "…". The top level keeps all its properties: they are what the example is for.
 */
function shorten(value: unknown, maxDepth = 4, depth = 0): unknown {
  if (typeof value === 'string') return value.length > 90 ? `${value.slice(0, 88)}${MORE}` : value;
  if (Array.isArray(value)) {
    if (depth >= maxDepth) return MORE;
    const head = value.slice(0, 2).map((v) => shorten(v, maxDepth, depth + 1));
    return value.length > 2 ? [...head, MORE] : head;
  }
  if (isObject(value)) {
    if (depth >= maxDepth) return MORE;
    const entries = Object.entries(value);
    const limit = depth === 0 ? entries.length : 4;
    const kept = entries.slice(0, limit).map(([k, v]) => [k, shorten(v, maxDepth, depth + 1)]);
    return Object.fromEntries(entries.length > limit ? [...kept, [MORE, MORE]] : kept);
  }
  return value;
}

/** Compact one-line JSON with a space after `:` and `,`. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** JSON that keeps what fits on a line on one line, as a person would write it. */
function pretty(value: unknown, indent = ''): string {
  const flat = inline(value);
  if (indent.length + flat.length <= 72 || !(Array.isArray(value) || isObject(value))) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).map(
    ([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`,
  );
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

/** `maxDepth` 1 shows a whole config's shape, not its content. */
function exampleBlock(example: Example | undefined, maxDepth = 4): string[] {
  if (!example) return [];
  return [
    `Example, from \`${example.file}\` at \`${example.pointer || '/'}\`:`,
    '',
    '```json',
    pretty(shorten(example.value, maxDepth)),
    '```',
    '',
  ];
}

// --- Schema text ------------------------------------------------------------------------------

/** Schema text in Markdown: `<n>` would be read as an HTML tag and vanish. */
const prose = (text: string): string => text.replace(/[<*]/g, (c) => `\\${c}`);

const anchor = (name: string): string => `#${name.toLowerCase()}`;
const defLink = (name: string): string => `[${name}](${anchor(name)})`;

/** What a property holds: its type, values and bounds, with links to the definitions used. */
function typeText(root: Schema, s: Schema): string {
  if ('const' in s) return `always \`${JSON.stringify(s.const)}\``;
  const parts: string[] = [];
  const path = refPath(s.$ref);
  if (path) parts.push(defLink(path[0]));
  if (Array.isArray(s.enum))
    parts.push(`one of ${s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  if (isObject(s.then) && isObject(s.else)) {
    parts.push(`${typeText(root, s.then)}, or ${typeText(root, s.else)}`);
  }
  if (Array.isArray(s.type)) parts.push(s.type.join(' or '));
  else if (s.type === 'array' && isObject(s.items))
    parts.push(`list of ${typeText(root, s.items)}`);
  else if (s.type === 'object' && isObject(s.additionalProperties)) {
    const key = isObject(s.propertyNames) ? typeText(root, s.propertyNames) : 'string';
    parts.push(`map from ${key} to ${typeText(root, s.additionalProperties)}`);
  } else if (typeof s.type === 'string') parts.push(s.type);
  const bounds: string[] = [];
  for (const k of ['minLength', 'minimum', 'maximum', 'minItems', 'minProperties', 'format']) {
    if (k in s) bounds.push(`${k} ${String(s[k])}`);
  }
  if (s.uniqueItems === true) bounds.push('no duplicates');
  return [parts.join(', ') || 'any', ...(bounds.length ? [`(${bounds.join(', ')})`] : [])].join(
    ' ',
  );
}

function descriptionOf(root: Schema, s: Schema): string {
  if (hasText(s.description)) return s.description;
  const target = resolveRef(root, s.$ref);
  return hasText(target?.description) ? target.description : '';
}

function propertyLines(root: Schema, s: Schema, indent = ''): string[] {
  const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
  const lines: string[] = [];
  for (const [name, value] of Object.entries(objectOf(s.properties))) {
    const p = objectOf(value);
    const need = required.has(name) ? 'required' : 'optional';
    const text = descriptionOf(root, p);
    lines.push(
      `${indent}- \`${name}\` (${need}; ${typeText(root, p)})${text ? ` — ${prose(text)}` : ''}`,
    );
    if (isObject(p.properties)) lines.push(...propertyLines(root, p, `${indent}  `));
  }
  return lines;
}

/** For a construct with kinds (`timer`, `effect`): each `if` value and the definition it selects. */
function kindLines(root: Schema, def: Schema): string[] {
  if (!Array.isArray(def.allOf)) return [];
  const lines: string[] = [];
  for (const branch of def.allOf) {
    const b = objectOf(branch);
    const condition = resolveRef(root, objectOf(b.if).$ref);
    const selects = refPath(objectOf(b.then).$ref);
    const fixed = Object.entries(objectOf(condition?.properties)).find(
      ([, p]) => isObject(p) && 'const' in p,
    );
    if (!fixed || !selects) continue;
    const [key, p] = fixed;
    const target = resolveRef(root, objectOf(b.then).$ref);
    const text = hasText(target?.description) ? ` — ${prose(target.description)}` : '';
    lines.push(
      `- \`"${key}": ${JSON.stringify(objectOf(p).const)}\`: ${defLink(selects[0])}${text}`,
    );
  }
  return lines.length ? ['Kinds:', '', ...lines, ''] : [];
}

// --- Rules ------------------------------------------------------------------------------------

/** The facts every rule example below is evaluated against. */
const SAMPLE_FACTS = {
  data: { alder: 9, tiltak: ['leksehjelp', 'samtalegruppe'], karakterer: [3, 4] },
  payload: { skaar: 5, arena: 'skole' },
  consents: { samarbeid: true },
  case: {
    level: 1,
    step: 'kartlegging',
    referralSource: 'skole',
    openedAt: '2026-01-05T09:00:00.000Z',
    teams: { ressursteam: 'ressursteam-nord' },
  },
  actor: { role: 'tilsyn', isHolder: true, onTeam: true },
  computed: { sjekklisteskaar: 7 },
} satisfies Record<RuleVarRoot, unknown>;

const ROOT_TEXT: Record<RuleVarRoot, string> = {
  data: "The case's recorded fields (declared in `fields`, and the intake payload's properties).",
  payload: "The payload of the event being sent (its form is the event's `payload`).",
  consents: 'Consent type → true while the consent is given, not withdrawn and not lapsed.',
  case: 'Facts about the case itself (below).',
  actor:
    "The acting person's relation to the case (below); never who they are. For the engine (timers) the role is `system`.",
  computed:
    'The named values of the top-level `computed` section, each a rule over the same facts, e.g. a weighted checklist score said once and read in every gate and recorded result.',
};

const CASE_TEXT: Record<CaseFact, string> = {
  level: "The case's BTI level, 0-3.",
  step: 'The id of the step the case is in.',
  referralSource: 'The id of the referral source the case was opened from.',
  openedAt: 'When the case was opened (ISO 8601 timestamp).',
  teams:
    'Read as `case.teams.<kind>`: the id of the team of that kind (see `teams`) the case is on; absent until an `assignTeam` effect puts it on one.',
};

const ACTOR_TEXT: Record<ActorFact, string> = {
  role: 'The role of the person sending the event.',
  isHolder: 'Whether they hold the case (are its stafettholder).',
  onTeam: "Whether they are on the case's team.",
};

const ROOT_EXAMPLE: Record<RuleVarRoot, unknown> = {
  data: { var: 'data.alder' },
  payload: { var: ['payload.skaar', 0] },
  consents: { var: 'consents.samarbeid' },
  case: { var: 'case.level' },
  actor: { var: 'actor.isHolder' },
  computed: { var: 'computed.sjekklisteskaar' },
};

const OPERATOR_EXAMPLE: Record<RuleOperator, unknown> = {
  var: { var: 'payload.skaar' },
  missing: { missing: ['payload.skaar', 'payload.grunn'] },
  missing_some: { missing_some: [1, ['payload.skaar', 'payload.grunn']] },
  if: { if: [{ '>=': [{ var: 'payload.skaar' }, 4] }, 'avklaring', 'observasjon'] },
  '?:': { '?:': [{ var: 'consents.samarbeid' }, 'ja', 'nei'] },
  '==': { '==': [{ var: 'case.level' }, 1] },
  '===': { '===': [{ var: 'payload.arena' }, 'skole'] },
  '!=': { '!=': [{ var: 'case.step' }, 'avsluttet'] },
  '!==': { '!==': [{ var: 'actor.role' }, 'tilsyn'] },
  '!': { '!': [{ var: 'consents.samarbeid' }] },
  '!!': { '!!': [{ var: 'data.tiltak' }] },
  or: { or: [{ var: 'actor.isHolder' }, { var: 'actor.onTeam' }] },
  and: { and: [{ var: 'consents.samarbeid' }, { '>=': [{ var: 'payload.skaar' }, 4] }] },
  '>': { '>': [{ var: 'payload.skaar' }, 4] },
  '>=': { '>=': [{ var: 'payload.skaar' }, 4] },
  '<': { '<': [{ var: 'data.alder' }, 12] },
  '<=': { '<=': [6, { var: 'data.alder' }, 12] },
  max: { max: [{ var: 'payload.skaar' }, { var: 'case.level' }] },
  min: { min: [{ var: 'payload.skaar' }, 3] },
  '+': { '+': [{ var: 'payload.skaar' }, 2] },
  '-': { '-': [{ var: 'payload.skaar' }, 2] },
  '*': { '*': [{ var: 'payload.skaar' }, 2] },
  '/': { '/': [{ var: 'payload.skaar' }, 2] },
  '%': { '%': [{ var: 'data.alder' }, 2] },
  map: { map: [{ var: 'data.karakterer' }, { '*': [{ var: '' }, 2] }] },
  reduce: {
    reduce: [{ var: 'data.karakterer' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0],
  },
  filter: { filter: [{ var: 'data.karakterer' }, { '>=': [{ var: '' }, 4] }] },
  all: { all: [{ var: 'data.karakterer' }, { '>=': [{ var: '' }, 3] }] },
  none: { none: [{ var: 'data.karakterer' }, { '>': [{ var: '' }, 5] }] },
  some: { some: [{ var: 'data.karakterer' }, { '==': [{ var: '' }, 4] }] },
  merge: { merge: [{ var: 'data.tiltak' }, ['foreldreveiledning']] },
  in: { in: [{ var: 'payload.arena' }, ['barnehage', 'skole', 'sfo']] },
  cat: { cat: ['Nivå ', { var: 'case.level' }] },
  substr: { substr: [{ var: 'case.openedAt' }, 0, 10] },
};

function evaluated(rule: unknown): string {
  const value: unknown = jsonLogic.apply(rule as jsonLogic.RulesLogic, SAMPLE_FACTS);
  return `\`${inline(rule)}\` → \`${inline(value)}\``;
}

function ruleLines(): string[] {
  return [
    '## Rules',
    '',
    'Rules (`when` on a transition, `value` of a `record` effect) are [JSON Logic](https://jsonlogic.com). ' +
      'Each example below shows a rule and its value, evaluated against these facts:',
    '',
    '```json',
    pretty(SAMPLE_FACTS),
    '```',
    '',
    '### What a rule may read',
    '',
    '`{"var": "<root>.<name>"}` reads a fact; `{"var": ["payload.x", 0]}` gives a default for a missing value. The roots:',
    '',
    ...RuleVarRoots.map(
      (root) => `- \`${root}\` — ${ROOT_TEXT[root]} ${evaluated(ROOT_EXAMPLE[root])}`,
    ),
    '',
    'Case facts, `case.<name>`:',
    '',
    ...CaseFacts.map(
      (f) =>
        `- \`case.${f}\` — ${CASE_TEXT[f]} ${evaluated({ var: f === 'teams' ? 'case.teams.ressursteam' : `case.${f}` })}`,
    ),
    '',
    'Actor facts, `actor.<name>`:',
    '',
    ...ActorFacts.map(
      (f) => `- \`actor.${f}\` — ${ACTOR_TEXT[f]} ${evaluated({ var: `actor.${f}` })}`,
    ),
    '',
    '### Operators',
    '',
    'Only these operators are allowed; any other is a config error.',
    '',
    ...RuleOperators.map((op) => `- \`${op}\`: ${evaluated(OPERATOR_EXAMPLE[op])}`),
    '',
  ];
}

// --- The page ---------------------------------------------------------------------------------

/** The reference page as Markdown, formatted by Prettier. */
export async function renderConfigReference(): Promise<string> {
  const root = readSchema();
  const examples = collectExamples(root);
  const defs = defsOf(root);
  const entries = Object.entries(defs).filter(
    (e): e is [string, Schema] => isObject(e[1]) && !isGroup(e[1]),
  );
  const constructs = entries.filter(([, d]) => isObject(d.properties));
  const values = entries.filter(([, d]) => !isObject(d.properties));

  const lines: string[] = [
    '# Kommune config reference',
    '',
    '<!-- Generated by `npm run docs:config` from config/schema/kommune-config.schema.json, config/rule-operators.ts and the seed configs. Do not edit by hand. -->',
    '',
    `${prose(String(root.description ?? ''))}`,
    '',
    'Every construct a kommune config may use, each property with its type and whether it is required, ' +
      'and an example taken from a seed config in `config/kommuner/` (`"…"` marks what the example leaves out). ' +
      'Then the facts and operators a rule may use. `npm run config:validate -- <file>` checks a config against all of this.',
    '',
    '## Top-level properties',
    '',
    ...propertyLines(root, root),
    '',
    ...exampleBlock(seedConfigExample(), 1),
    '## Constructs',
    '',
  ];
  for (const [name, def] of constructs) {
    lines.push(`### ${name}`, '');
    if (hasText(def.description)) lines.push(prose(def.description), '');
    lines.push(...kindLines(root, def));
    lines.push('Properties:', '', ...propertyLines(root, def), '');
    lines.push(...exampleBlock(richest(examples.get(name) ?? [])));
  }
  lines.push('## Value types', '', 'Values the constructs above refer to.', '');
  for (const [name, def] of values) {
    lines.push(`### ${name}`, '');
    if (hasText(def.description)) lines.push(prose(def.description), '');
    lines.push(`Type: ${typeText(root, def)}.`, '');
    const sample = (examples.get(name) ?? [])[0];
    const shown = sample && inline(sample.value);
    if (shown && shown.length <= 80) {
      lines.push(`Example, from \`${sample.file}\` at \`${sample.pointer}\`: \`${shown}\``, '');
    }
  }
  lines.push(...ruleLines());
  lines.push(...messageVariableLines());
  lines.push(...errorCodeLines());
  // The repository's .prettierrc, stated: the standalone build reads no config files. The babel
  // and estree plugins format the JSON examples.
  return format(lines.join('\n'), {
    parser: 'markdown',
    plugins: [markdownPlugin, babelPlugin, estreePlugin],
    printWidth: 100,
    singleQuote: true,
    trailingComma: 'all',
  });
}

/** The variables a template may use, from the one table in config/message-variables.ts. */
function messageVariableLines(): string[] {
  return [
    '## Message variables',
    '',
    "A template's `title` and `body` may use these `{{variable}}`s; any other is a config error. " +
      "Those filled *at delivery* are personal or made when sending, so they never enter the case's history; " +
      'a message whose value is missing then is not sent (its delivery fails) rather than sent with `{{…}}` in it.',
    '',
    '| Variable | Filled | Betyr | Example |',
    '| --- | --- | --- | --- |',
    ...MessageVariableNames.map((name) => {
      const v = MessageVariables[name];
      const when = v.filledAt === 'workflow' ? 'when the message is made' : 'at delivery';
      return `| \`{{${name}}}\` | ${when} | ${prose(v.nb)} | ${prose(v.example)} |`;
    }),
    '',
  ];
}

/** Every config error code with what it means, in bokmål, from the one table of codes. */
function errorCodeLines(): string[] {
  return [
    '## Config errors',
    '',
    'Every problem `npm run config:validate`, the config admin API (`CONFIG_INVALID` details, `/validate`) ' +
      'and the config view report has a stable `code`, an English `message` (and `hint`) for logs, ' +
      'and `nb`: the problem and what to do in bokmål. Branch on the code, never on the text.',
    '',
    '| Code | Betyr |',
    '| --- | --- |',
    ...Object.entries(ConfigErrorCodes).map(
      ([code, meaning]) => `| \`${code}\` | ${prose(meaning)} |`,
    ),
    '',
  ];
}

/** The first seed config, for the shape of a whole config. */
function seedConfigExample(): Example | undefined {
  const name = readdirSync(SEED_DIR)
    .filter((n) => n.endsWith('.json'))
    .sort()[0];
  if (!name) return undefined;
  const value: unknown = JSON.parse(readFileSync(join(SEED_DIR, name), 'utf8'));
  return { file: `config/kommuner/${name}`, pointer: '', value };
}

async function main(): Promise<void> {
  const undocumented = undocumentedProperties(readSchema());
  if (undocumented.length > 0) {
    console.warn(`schema properties without a description: ${undocumented.join(', ')}`);
  }
  mkdirSync(dirname(REFERENCE_FILE), { recursive: true });
  writeFileSync(REFERENCE_FILE, await renderConfigReference());
  console.log(`wrote ${REFERENCE_FILE.slice(REPO_ROOT.length + 1)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
