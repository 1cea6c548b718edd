/**
 * A copy of everything held about a case, for the family's right of access (#19): the case as
 * it stands, what was recorded, consents, the whole stafettlogg and the messages sent, and who
 * read the case. As JSON, and as a plain-language document to print or keep
 * (`…/export.html`). Staff appear by role, never by name or user id; entries are said in the
 * config's own words. Fetching a copy is itself a read in the access log ("export").
 *
 * @module
 */
import { z } from 'zod';
import type { KommuneConfig } from '../config/types';
import { norwegianDate } from '../machines/family-view';
import type { CaseAccessEntry } from '../store/case-access-log';
import type { HistoryEntry } from '../workflows/case-messages';
import { escapeHtml } from './html';
import type { CaseSnapshot } from './api-schemas';

const Dated = z.object({ at: z.string(), text: z.string() });

export const CaseExport = z
  .object({
    format: z.literal('sluse-case-export/1'),
    kommune: z.object({ id: z.string(), name: z.string() }),
    caseId: z.string(),
    exported: Dated.extend({ byRole: z.string() }),
    status: z.string(),
    step: z.object({ id: z.string(), title: z.string() }),
    level: z.number().int(),
    referralSource: z.object({ id: z.string(), title: z.string() }),
    holder: z.object({ role: z.string(), since: Dated }).nullable(),
    recorded: z.array(z.object({ field: z.string(), title: z.string(), value: z.unknown() })),
    consents: z.array(
      z.object({
        type: z.string(),
        title: z.string(),
        given: Dated,
        expires: Dated.optional(),
        withdrawn: Dated.optional(),
      }),
    ),
    log: z.array(
      z.object({
        seq: z.number().int(),
        at: Dated,
        kind: z.string(),
        text: z.string().describe('What happened, in the config’s words'),
        byRole: z.string(),
        payload: z.unknown().optional(),
      }),
    ),
    messages: z.array(z.object({ at: Dated, text: z.string(), delivered: z.boolean() })),
    readBy: z.array(z.object({ role: z.string(), at: Dated, what: z.string() })),
  })
  .describe('Everything held about the case, for the right of access');
export type CaseExport = z.infer<typeof CaseExport>;

const dated = (at: string) => ({ at, text: norwegianDate(at) });

const StatusText: Record<string, string> = {
  open: 'Åpen',
  closed: 'Avsluttet',
  handed_over: 'Overført',
  withdrawn: 'Trukket',
};

const FormKinds = new Set(['opened', 'event', 'reopened']);

const ReadText: Record<string, string> = {
  snapshot: 'saken',
  history: 'stafettloggen',
  stream: 'saken (fulgt løpende)',
  export: 'en kopi av saken',
};

export function buildCaseExport(input: {
  config: KommuneConfig;
  snapshot: CaseSnapshot;
  entries: readonly HistoryEntry[];
  reads: readonly CaseAccessEntry[];
  readerRole: string;
  now: string;
}): CaseExport {
  const { config, snapshot } = input;
  const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined =>
    record && Object.hasOwn(record, key) ? record[key] : undefined;
  const role = (id: string | undefined) =>
    id === undefined
      ? 'ukjent'
      : id === 'engine'
        ? 'Systemet'
        : (own(config.roles, id)?.title ?? id);
  const stepTitle = (id: string | null | undefined) =>
    id ? (own(config.steps, id)?.title ?? id) : '';
  const fieldTitle = (field: string) =>
    (own(config.fields, field) as { title?: string } | undefined)?.title ?? field;

  function textOf(e: HistoryEntry): string {
    switch (e.kind) {
      case 'opened':
        return `Saken ble åpnet i «${stepTitle(e.to)}»`;
      case 'event': {
        const title = own(config.events, e.what)?.title ?? e.what;
        return e.to && e.to !== e.from ? `${title} (videre til «${stepTitle(e.to)}»)` : title;
      }
      case 'timer': {
        // Its key is `step/timer/dueAt`.
        const [step, timer] = e.what.split('/');
        const def = own(config.steps, step)?.timers?.find((t) => t.id === timer);
        return `Frist eller påminnelse: ${def && 'title' in def && def.title ? def.title : (timer ?? e.what)}`;
      }
      case 'handover': {
        const p = e.payload as
          { from?: { role?: string } | null; to?: { role?: string } } | undefined;
        return p?.to
          ? `Stafetten gitt fra ${p.from ? role(p.from.role) : 'ingen'} til ${role(p.to.role)}`
          : 'Stafetten gitt videre';
      }
      case 'notified':
        return `Melding sendt: ${templateTitle(e)}`;
      case 'notificationFailed':
        return `Melding kom ikke fram: ${templateTitle(e)}`;
      case 'reopened':
        return 'Saken ble åpnet igjen';
      case 'migrated':
        return 'Saken ble flyttet til en ny versjon av arbeidsmåten';
      case 'taskOpened':
        return 'En oppgave ble opprettet';
      case 'taskCompleted':
        return 'En oppgave ble gjort';
      case 'reopenRequested':
        return 'Familien ba om å åpne saken igjen';
      case 'reopenDeclined':
        return 'Forespørselen om å åpne saken igjen ble avslått';
      default:
        return e.kind;
    }
  }
  function templateTitle(e: HistoryEntry): string {
    const template = (e.payload as { template?: string } | undefined)?.template;
    return (template && own(config.templates, template)?.title) || e.what;
  }

  const log = input.entries.map((e) => ({
    seq: e.seq,
    at: dated(e.at),
    kind: e.kind,
    text: textOf(e),
    byRole: role(e.actor.role),
    // What was sent with a form; the engine's own entries carry ids of recipients and holders.
    ...(e.payload !== undefined && FormKinds.has(e.kind) ? { payload: e.payload } : {}),
  }));
  return {
    format: 'sluse-case-export/1',
    kommune: { id: config.id, name: config.name },
    caseId: snapshot.caseId,
    exported: { ...dated(input.now), byRole: role(input.readerRole) },
    status: StatusText[snapshot.status] ?? snapshot.status,
    step: { id: snapshot.step, title: stepTitle(snapshot.step) },
    level: snapshot.level,
    referralSource: {
      id: snapshot.referralSource,
      title: own(config.referralSources, snapshot.referralSource)?.title ?? snapshot.referralSource,
    },
    holder: snapshot.holder
      ? { role: role(snapshot.holder.role), since: dated(snapshot.holder.since) }
      : null,
    recorded: Object.entries(snapshot.data).map(([field, value]) => ({
      field,
      title: fieldTitle(field),
      value,
    })),
    consents: Object.entries(snapshot.consents).map(([type, c]) => ({
      type,
      title: own(config.consentTypes, type)?.title ?? type,
      given: dated(c.givenAt),
      ...(c.expiresAt ? { expires: dated(c.expiresAt) } : {}),
      ...(c.withdrawnAt ? { withdrawn: dated(c.withdrawnAt) } : {}),
    })),
    log,
    messages: log
      .filter((e) => e.kind === 'notified' || e.kind === 'notificationFailed')
      .map((e) => ({ at: e.at, text: e.text, delivered: e.kind === 'notified' })),
    readBy: input.reads.map((r) => ({
      role: role(r.role),
      at: dated(r.at),
      what: ReadText[r.what] ?? r.what,
    })),
  };
}

const valueText = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'ja' : 'nei') : JSON.stringify(v);

/** The copy as a plain document in bokmål, to print or keep; no script, styles inline in its head. */
export function caseExportHtml(doc: CaseExport): string {
  const e = escapeHtml;
  const rows = (items: string[][]) =>
    items.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('');
  const table = (caption: string, head: string[], items: string[][]) =>
    items.length === 0
      ? `<h2>${e(caption)}</h2><p>Ingen.</p>`
      : `<table><caption><h2>${e(caption)}</h2></caption><thead><tr>${head
          .map((h) => `<th scope="col">${e(h)}</th>`)
          .join('')}</tr></thead><tbody>${rows(items)}</tbody></table>`;
  return `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Kopi av sak ${e(doc.caseId)} – ${e(doc.kommune.name)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}table{border-collapse:collapse;width:100%;margin:0 0 2rem}caption{text-align:left}td,th{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}@media print{body{margin:0}}</style>
</head><body><main>
<h1>Kopi av saken i ${e(doc.kommune.name)}</h1>
<p>Dette er alt kommunen har registrert i saken (saksnummer ${e(doc.caseId)}), laget ${e(doc.exported.text)} for ${e(doc.exported.byRole)}.</p>
<dl><dt>Status</dt><dd>${e(doc.status)}</dd><dt>Hvor saken er nå</dt><dd>${e(doc.step.title)} (nivå ${doc.level})</dd>
<dt>Hvordan saken kom inn</dt><dd>${e(doc.referralSource.title)}</dd>
<dt>Stafettholder</dt><dd>${doc.holder ? `${e(doc.holder.role)}, siden ${e(doc.holder.since.text)}` : 'Ingen'}</dd></dl>
${table(
  'Det som er registrert',
  ['Hva', 'Verdi'],
  doc.recorded.map((r) => [r.title, valueText(r.value)]),
)}
${table(
  'Samtykker',
  ['Samtykke', 'Gitt', 'Gjelder til', 'Trukket'],
  doc.consents.map((c) => [c.title, c.given.text, c.expires?.text ?? '', c.withdrawn?.text ?? '']),
)}
${table(
  'Stafettloggen',
  ['Når', 'Hva', 'Hvem'],
  doc.log.map((l) => [l.at.text, l.text, l.byRole]),
)}
${table(
  'Meldinger',
  ['Når', 'Hva', 'Kom fram'],
  doc.messages.map((m) => [m.at.text, m.text, m.delivered ? 'ja' : 'nei']),
)}
${table(
  'Hvem har sett saken',
  ['Når', 'Hvem', 'Hva'],
  doc.readBy.map((r) => [r.at.text, r.role, r.what]),
)}
</main></body></html>`;
}
