/**
 * The statistics as CSV for a spreadsheet: one row per figure, `figure,key,key2,measure,value`.
 * Long rather than wide, so every table of the JSON answer fits one header.
 *
 * @module
 */
import type { KommuneStats } from './api-schemas';

type Cell = string | number | null | undefined;

/**
 * A cell as RFC 4180 writes it, and safe to open: text a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab, carriage return first) gets an apostrophe in front. Numbers are ours
 * and stay numbers; only config text (a closing reason) could start that way.
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function statsCsv(s: KommuneStats): string {
  const rows: Cell[][] = [['figure', 'key', 'key2', 'measure', 'value']];
  const add = (figure: string, key: Cell, key2: Cell, measure: string, value: Cell) =>
    rows.push([figure, key, key2, measure, value]);
  add('range', s.range.from, s.range.to, 'asOf', s.asOf);
  add('totalCases', null, null, 'count', s.totalCases);
  for (const c of s.newCasesPerMonth) add('newCases', c.month, c.referralSource, 'count', c.count);
  for (const o of s.openByLevelAndStep) add('open', o.level, o.step, 'count', o.count);
  for (const f of s.funnel) add('funnel', f.step, f.level, 'entered', f.entered);
  for (const t of s.timeInStep.steps) {
    add('timeInStep', t.step, null, 'completedVisits', t.completedVisits);
    add('timeInStep', t.step, null, 'medianDays', t.medianDays);
    add('timeInStep', t.step, null, 'p90Days', t.p90Days);
    add('timeInStep', t.step, null, 'meanDays', t.meanDays);
    add('timeInStep', t.step, null, 'ongoing', t.ongoing);
  }
  add('overdue', null, null, 'flagged', s.overdue.flagged);
  add('overdue', null, null, 'pastDue', s.overdue.pastDue);
  for (const o of s.overdue.byStep) {
    add('overdue', o.step, null, 'flagged', o.flagged);
    add('overdue', o.step, null, 'pastDue', o.pastDue);
  }
  for (const o of s.outcomes) add('outcome', o.outcome, o.reason, 'count', o.count);
  add('reopened', null, null, 'count', s.reopened);
  add('escalations', null, null, 'count', s.escalations);
  add('messages', null, null, 'delivered', s.messages.delivered);
  add('messages', null, null, 'failed', s.messages.failed);
  for (const c of s.caseloadPerHolder) {
    add('caseload', c.holderPseudonym, c.role, 'openCases', c.openCases);
    if (c.limit !== null) add('caseload', c.holderPseudonym, c.role, 'limit', c.limit);
  }
  for (const f of s.fieldValues) add('fieldValue', f.field, f.value, 'cases', f.cases);
  // A byte-order mark, so a spreadsheet reads æ, ø and å as UTF-8.
  return '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
