/**
 * The process owner's audit trail (#16): every change of the kommune's config and every case
 * moved between versions, newest first, in sentences (who, when, what, why), fifty at a time
 * with a button for older ones (`GET …/config/audit`). Shown only to the `prosesseier` role;
 * the API enforces the same rule.
 */
import { ApiError, request } from './api';
import { notice } from './chrome';
import { h, replace } from './dom';
import { formatDateTime } from './format';

interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  version: number | null;
  caseId: string | null;
  reason: string | null;
}

/** Entries per page. */
const PAGE = 50;

/** What happened, as the rest of a sentence after who did it. */
function whatHappened(e: AuditEntry): string {
  const v = e.version === null ? '' : ` ${e.version}`;
  switch (e.action) {
    case 'seeded':
      return `la inn slusemodellen fra fil som versjon${v}`;
    case 'draftSaved':
      return 'lagret utkastet';
    case 'draftDiscarded':
      return 'forkastet utkastet';
    case 'published':
      return `publiserte versjon${v}`;
    case 'rolledBack':
      return `gikk tilbake: en tidligere versjon ble publisert på nytt som versjon${v}`;
    case 'caseMigrated':
      return `flyttet sak ${e.caseId ?? ''} til versjon${v}`;
    case 'caseMigrationRefused':
      return `prøvde å flytte sak ${e.caseId ?? ''} til versjon${v}, men det ble avvist`;
    case 'caseloadLimitSet':
      return 'satte en persons egen saksgrense';
    case 'caseloadLimitRemoved':
      return 'fjernet en persons egen saksgrense';
    case 'staffContactSet':
      return 'oppdaterte hvordan en ansatt nås';
    case 'staffContactRemoved':
      return 'fjernet hvordan en ansatt nås';
    case 'payloadsDecoded':
      return 'leste krypterte saksdata i Temporals nettgrensesnitt';
    default:
      return e.action;
  }
}

export function auditPanel(kommune: string): HTMLElement {
  const url = `/api/v1/kommuner/${encodeURIComponent(kommune)}/config/audit`;
  const rows = h('ol', { class: 'audit-rows' });
  const more = h('div', { class: 'audit-more' });
  const panel = h(
    'details',
    { class: 'panel audit' },
    h('summary', {}, 'Revisjonsspor'),
    h(
      'p',
      { class: 'hint' },
      'Alle endringer i slusemodellen og alle flyttinger av saker mellom versjoner, nyeste først.',
    ),
    rows,
    more,
  );
  let loaded = false;
  panel.addEventListener('toggle', () => {
    if (panel.open && !loaded) {
      loaded = true;
      void load();
    }
  });

  async function load(before?: number): Promise<void> {
    replace(more, h('p', { class: 'loading' }, 'Henter revisjonssporet …'));
    let entries: AuditEntry[];
    try {
      const query = `?limit=${PAGE}${before === undefined ? '' : `&before=${before}`}`;
      ({ entries } = await request<{ entries: AuditEntry[] }>(`${url}${query}`));
    } catch (err) {
      return void replace(
        more,
        notice('error', err instanceof ApiError ? err.message : String(err)),
      );
    }
    rows.append(
      ...entries.map((e) =>
        h(
          'li',
          { 'data-action': e.action },
          h('p', {}, h('strong', {}, formatDateTime(e.at)), ` – ${e.actor} ${whatHappened(e)}.`),
          e.reason ? h('p', { class: 'audit-reason' }, `«${e.reason}»`) : null,
        ),
      ),
    );
    if (entries.length === 0 && before === undefined)
      return void replace(more, h('p', {}, 'Ingen endringer ennå.'));
    const last = entries.at(-1);
    replace(
      more,
      entries.length === PAGE && last
        ? h(
            'button',
            { type: 'button', class: 'secondary', onclick: () => void load(last.id) },
            'Vis eldre',
          )
        : null,
    );
  }

  return panel;
}
