/**
 * A config rule (JSON Logic) in the words a process owner reads (Norwegian bokmål), for the diff
 * before publishing: `{"in":[{"var":"payload.sakstype"},["a","b"]]}` becomes «når Sakstype er en
 * av «a» og «b»». What has no words of its own (map, reduce, merge, substr …) is shown as the
 * rule's own text, so nothing is hidden.
 *
 * @module
 */
import type { KommuneConfig, Rule } from '../config';

/** Past this depth a rule is shown as its text: configs are bounded, this only keeps it short. */
const MAX_DEPTH = 12;

const COMPARE: Record<string, string> = {
  '==': 'er',
  '===': 'er',
  '!=': 'er ikke',
  '!==': 'er ikke',
  '>': 'er større enn',
  '>=': 'er minst',
  '<': 'er mindre enn',
  '<=': 'er høyst',
};
const ARITHMETIC: Record<string, string> = { '+': '+', '-': '−', '*': '·', '/': '/', '%': 'mod' };
const QUANTIFIER: Record<string, string> = { some: 'minst én', all: 'alle', none: 'ingen' };
const CASE_FACTS: Record<string, string> = {
  level: 'nivået',
  step: 'steget',
  referralSource: 'henvisningskilden',
  status: 'sakens status',
};

/**
 * @example
 * describeRule({ '>=': [{ var: 'computed.risikoskaar' }, 4] }, config)
 * // '«risikoskaar» (beregnet) er minst 4'
 */
export function describeRule(rule: Rule, config?: KommuneConfig): string {
  return new RuleWords(config).rule(rule, 0);
}

class RuleWords {
  constructor(private readonly config?: KommuneConfig) {}

  /** A condition, or any value inside one. */
  rule(r: unknown, depth: number): string {
    if (depth > MAX_DEPTH) return JSON.stringify(r);
    if (r === null || typeof r !== 'object') return this.literal(r);
    if (Array.isArray(r)) return r.map((x) => this.rule(x, depth + 1)).join(', ');
    const entries = Object.entries(r);
    if (entries.length !== 1) return JSON.stringify(r);
    const [op, raw] = entries[0];
    const args = Array.isArray(raw) ? raw : [raw];
    const sub = (x: unknown) => this.rule(x, depth + 1);
    // Inside "and"/"or", a part of the other kind is put in brackets.
    const part = (x: unknown, joiner: 'and' | 'or') => {
      const text = sub(x);
      const other = joiner === 'and' ? 'or' : 'and';
      return isOp(x, other) ? `(${text})` : text;
    };
    switch (op) {
      case 'var':
        return this.name(args[0]);
      case 'and':
        return args.map((x) => part(x, 'and')).join(' og ');
      case 'or':
        return args.map((x) => part(x, 'or')).join(' eller ');
      case '!':
        return isOp(args[0], 'var') ? `${sub(args[0])} er ikke fylt ut` : `ikke (${sub(args[0])})`;
      case '!!':
        return isOp(args[0], 'var') ? `${sub(args[0])} er fylt ut` : `${sub(args[0])} gjelder`;
      case 'in':
        return Array.isArray(args[1])
          ? `${sub(args[0])} er en av ${listOf(args[1].map((x) => this.literal(x)))}`
          : `${sub(args[0])} står i ${sub(args[1])}`;
      case 'missing':
        return `${listOf(args.map((x) => this.name(x)))} mangler`;
      case 'missing_some':
        return `færre enn ${this.literal(args[0])} av ${listOf(((args[1] as unknown[]) ?? []).map((x) => this.name(x)))} er fylt ut`;
      case 'if':
      case '?:':
        return this.conditional(args, sub);
      case 'max':
      case 'min':
        return `${op === 'max' ? 'den største' : 'den minste'} av ${listOf(args.map(sub))}`;
      case 'cat':
        return args.map(sub).join(' + ');
    }
    if (op in COMPARE) {
      // "<" and "<=" with three values: between.
      if (args.length === 3 && (op === '<' || op === '<='))
        return `${sub(args[1])} er mellom ${sub(args[0])} og ${sub(args[2])}`;
      return `${sub(args[0])} ${COMPARE[op]} ${sub(args[1])}`;
    }
    if (op in ARITHMETIC)
      return args.length === 1 && op === '-'
        ? `−${sub(args[0])}`
        : args
            .map((x) => (isOp(x, 'if') || isOp(x, '?:') ? `(${sub(x)})` : sub(x)))
            .join(` ${ARITHMETIC[op]} `);
    if (op in QUANTIFIER)
      return `${QUANTIFIER[op]} i ${sub(args[0])} der ${this.item(args[1], depth + 1)}`;
    return JSON.stringify(r);
  }

  private conditional(args: unknown[], sub: (x: unknown) => string): string {
    const parts: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2)
      parts.push(`${i === 0 ? 'hvis' : 'ellers hvis'} ${sub(args[i])}, så ${sub(args[i + 1])}`);
    if (args.length % 2 === 1) parts.push(`ellers ${sub(args[args.length - 1])}`);
    return parts.join(', ');
  }

  /** A condition on each item of a list: its vars name the item's own fields. */
  private item(r: unknown, depth: number): string {
    return new RuleWords(undefined).rule(r, depth);
  }

  /** A value read from the case, by the name a process owner knows it by. */
  private name(v: unknown): string {
    const path = Array.isArray(v) ? v[0] : v;
    if (typeof path !== 'string' || path === '') return 'verdien';
    const [root, ...rest] = path.split('.');
    const key = rest.join('.');
    switch (root) {
      case 'payload':
      case 'data':
        return `«${this.fieldTitle(key)}»`;
      case 'computed':
        return `«${key}» (beregnet)`;
      case 'consents':
        return `samtykket «${this.config?.consentTypes?.[rest[0]]?.title ?? rest[0]}»`;
      case 'case':
        return rest[0] === 'teams'
          ? `sakens team av typen «${rest[1]}»`
          : (CASE_FACTS[key] ?? `«${path}»`);
      case 'actor':
        return key === 'role' ? 'rollen til den som sender' : `«${path}»`;
    }
    return `«${path}»`;
  }

  /** A field's title: the kommune's shared field, or a form that asks for it; else its path. */
  private fieldTitle(key: string): string {
    const [field, ...inner] = key.split('.');
    const config = this.config;
    const forms = [
      config?.fields?.[field],
      ...Object.values(config?.events ?? {}).map((e) => propertyOf(e.payload, field)),
      propertyOf(config?.intake?.payload, field),
    ];
    for (const form of forms) {
      const title = inner.reduce((schema, name) => propertyOf(schema, name), form)?.title;
      if (typeof title === 'string') return title;
    }
    return key;
  }

  private literal(x: unknown): string {
    if (typeof x === 'string') return `«${x}»`;
    if (x === true) return 'ja';
    if (x === false) return 'nei';
    if (x === null) return 'ingenting';
    return String(x);
  }
}

type Schema = { title?: unknown; properties?: Record<string, Schema> } | undefined;

function propertyOf(schema: unknown, name: string): Schema {
  const properties = (schema as Schema)?.properties;
  return properties && Object.hasOwn(properties, name) ? properties[name] : undefined;
}

function isOp(x: unknown, op: string): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.hasOwn(x, op);
}

/** «a», «b» og «c». */
export function listOf(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} og ${items[items.length - 1]}`;
}
