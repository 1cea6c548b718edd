/**
 * Recorded values as a caseworker reads them: each under its form's title, dates in words,
 * yes/no for ticks, choices and durations in words. Never raw JSON: a risk score or a decision
 * is read on the page, not decoded.
 */
import type { JsonSchema, KommuneConfig } from '../../../config/types';
import { h } from './dom';
import { durationWords, formatDayDate, isDuration } from './format';
import { humanize } from './schema-form';

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The title a form gives a property, else its name in words. */
export function fieldTitle(name: string, schema: unknown): string {
  return isSchema(schema) && typeof schema.title === 'string' ? schema.title : humanize(name);
}

/** A choice as the form offers it: durations in words, ids in words. */
export function choiceText(v: unknown): string {
  if (isDuration(v)) return durationWords(v);
  return typeof v === 'string' ? humanize(v) : String(v);
}

/** One value in words, by its schema where there is one. */
export function valueText(value: unknown, schema: unknown = {}): string {
  const s = isSchema(schema) ? schema : {};
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'Ja' : 'Nei';
  if (typeof value === 'number') return String(value).replace('.', ',');
  if (typeof value === 'string') {
    if (
      s.format === 'date' ||
      DATE.test(value) ||
      (s.format === 'date-time' && INSTANT.test(value))
    )
      return Number.isNaN(Date.parse(value)) ? value : formatDayDate(value);
    if (Array.isArray(s.enum) || isDuration(value)) return choiceText(value);
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return 'Ingen';
    return value.map((v) => valueText(v, s.items)).join('; ');
  }
  if (isSchema(value)) {
    const props = isSchema(s.properties) ? s.properties : {};
    return Object.entries(value)
      .map(([k, v]) => `${fieldTitle(k, props[k])}: ${valueText(v, props[k])}`)
      .join(', ');
  }
  return String(value);
}

/** Values as a description list, titled by `schemas` (a form's properties, or the config's fields). */
export function labelledValues(
  values: Record<string, unknown>,
  schemas: Record<string, unknown>,
  attrs: Record<string, string> = {},
): HTMLElement | null {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return null;
  return h(
    'dl',
    { class: 'facts recorded', ...attrs },
    entries.map(([k, v]) => [
      h('dt', {}, fieldTitle(k, schemas[k])),
      h('dd', {}, valueText(v, schemas[k])),
    ]),
  );
}

/** The case's recorded fields under the titles the config gives them. */
export function recordedDataPanel(
  data: Record<string, unknown>,
  config: KommuneConfig,
): HTMLElement {
  const fields: Record<string, JsonSchema> = config.fields ?? {};
  return (
    labelledValues(data, fields, { 'data-testid': 'recorded-data' }) ??
    h('p', { class: 'muted' }, 'Ingen opplysninger er registrert ennå.')
  );
}

/** An event's payload under its form's titles. */
export function payloadValues(payload: unknown, schema: unknown): HTMLElement | null {
  if (!isSchema(payload)) return null;
  const props = isSchema(schema) && isSchema(schema.properties) ? schema.properties : {};
  return labelledValues(payload, props);
}
