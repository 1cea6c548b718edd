/**
 * The process owner's list of published versions, newest first, with who published each, when
 * and why, and a way back: an earlier version is published again as a new version (a rollback,
 * `POST …/config/rollback`) after a comment and a confirmation that names both versions. Running
 * cases keep their version until they are moved, as after any publish. Shown only to the
 * `prosesseier` role; the API enforces the same rule.
 */
import { ApiError, request } from './api';
import { notice } from './chrome';
import { h, replace } from './dom';
import { formatDateTime } from './format';

interface VersionSummary {
  version: number;
  author: string;
  comment: string;
  publishedAt: string;
  restoredFrom: number | null;
}

export function versionsPanel(kommune: string): HTMLElement {
  const base = `/api/v1/kommuner/${encodeURIComponent(kommune)}/config`;
  const status = h('div', { class: 'versions-status', 'aria-live': 'polite' });
  const list = h('div', { class: 'versions-list' });
  const panel = h(
    'details',
    { class: 'panel versions' },
    h('summary', {}, 'Versjoner og tilbakerulling'),
    status,
    list,
  );
  let loaded = false;
  panel.addEventListener('toggle', () => {
    if (panel.open && !loaded) void load();
  });

  async function load(): Promise<void> {
    replace(list, h('p', { class: 'loading' }, 'Henter versjonene …'));
    let versions: VersionSummary[];
    try {
      ({ versions } = await request<{ versions: VersionSummary[] }>(`${base}/versions`));
    } catch (err) {
      return void replace(list, failed(err));
    }
    loaded = true;
    const latest = versions[0]?.version;
    replace(
      list,
      h(
        'ul',
        { class: 'version-rows' },
        versions.map((v) =>
          h(
            'li',
            { 'data-version': String(v.version) },
            h(
              'p',
              {},
              h('strong', {}, `Versjon ${v.version}`),
              v.version === latest ? ' (gjeldende)' : '',
              ` – publisert ${formatDateTime(v.publishedAt)} av ${v.author}`,
              v.restoredFrom ? `, gjenopprettet fra versjon ${v.restoredFrom}` : '',
            ),
            h('p', { class: 'version-comment' }, v.comment ? `«${v.comment}»` : 'Uten kommentar'),
            v.version === latest ? null : rollbackForm(v.version, latest),
          ),
        ),
      ),
    );
  }

  /** A comment, then a second button that says exactly what will happen. */
  function rollbackForm(version: number, latest: number): HTMLElement {
    const id = `rollback-comment-${version}`;
    const comment = h('input', {
      id,
      type: 'text',
      required: true,
      maxlength: 2000,
      placeholder: 'Hvorfor gå tilbake?',
    });
    const outcome = h('div', { class: 'rollback-outcome', 'aria-live': 'polite' });
    const form = h(
      'form',
      { class: 'rollback-form', novalidate: true },
      h('label', { for: id }, 'Kommentar (lagres i revisjonssporet)'),
      comment,
      h('button', { type: 'submit', class: 'secondary' }, `Gå tilbake til versjon ${version}`),
      outcome,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!comment.value.trim())
        return void replace(outcome, notice('error', 'Skriv hvorfor du går tilbake.'));
      const confirm = h(
        'button',
        { type: 'button', class: 'confirm-rollback' },
        `Ja, publiser versjon ${version} på nytt som versjon ${latest + 1}`,
      );
      confirm.addEventListener(
        'click',
        () => void rollback(version, comment.value.trim(), outcome),
      );
      replace(
        outcome,
        notice(
          'info',
          `Versjon ${version} blir publisert på nytt som versjon ${latest + 1}. Nye saker starter på den; løpende saker beholder sin versjon til de flyttes.`,
        ),
        confirm,
      );
      confirm.focus();
    });
    return form;
  }

  async function rollback(version: number, comment: string, outcome: HTMLElement): Promise<void> {
    replace(outcome, h('p', { class: 'loading' }, 'Publiserer …'));
    let published: VersionSummary;
    try {
      published = await request<VersionSummary>(`${base}/rollback`, {
        method: 'POST',
        body: { toVersion: version, comment },
      });
    } catch (err) {
      return void replace(outcome, failed(err));
    }
    replace(
      status,
      notice('ok', `Versjon ${version} er publisert på nytt som versjon ${published.version}.`),
      // The diagram above still shows the version the page was opened on.
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => location.reload() },
        `Vis versjon ${published.version} i diagrammet`,
      ),
    );
    await load();
  }

  return panel;
}

function failed(err: unknown): HTMLElement {
  return notice('error', err instanceof ApiError ? err.message : String(err));
}
