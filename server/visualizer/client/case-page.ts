/**
 * One case, live: where it stands on the statechart of its own config version, what is due,
 * who holds it, what happened, and what the viewer may do now. Every change anyone makes (or a
 * timer fires) arrives over the stream and redraws the page within a second or two.
 */
import type { KommuneConfig } from '../../../config/types';
import { ApiError, apiPath, request } from './api';
import type { CaseHistory, CaseSnapshot } from './api-types';
import {
  actionPointsPanel,
  alerts,
  factsPanel,
  historyPanel,
  stepTitle,
  tasksPanel,
  teamPanel,
  timersPanel,
} from './case-panels';
import { notice, renderChrome } from './chrome';
import { loadCaseConfig, loadConfig, versionWarning } from './config-cache';
import { diagramOf } from './diagram-cache';
import { renderDiagram } from './diagram-view';
import { h, replace } from './dom';
import { eventForms, payloadPointer } from './event-forms';
import { nowPanel, overdueDeadlines, reopenWindow } from './case-now';
import { recordedDataPanel } from './recorded-data';
import { buildSchemaForm, type SchemaForm } from './schema-form';
import type { HistoryEntry } from './api-types';
import { marksOf } from '../case-marks';
import { openLiveStream, type LiveStatus } from './live-stream';
import type { Viewer } from './session';
import { stepDetails } from './step-details';

const TICK_MS = 30_000;

export async function casePage(viewer: Viewer, caseId: string): Promise<void> {
  const main = renderChrome(viewer, 'saker', h('p', { class: 'loading' }, 'Laster saken …'));
  const casePath = (...rest: string[]) => apiPath(viewer.kommune, 'cases', caseId, ...rest);
  // The case, its history and the current config (what most cases run on) at once, and the
  // current config's diagram as soon as that is in: one wait where there were four in a row. Only
  // a case on another version waits for its own config and diagram after reading the case.
  const snapshotP = request<CaseSnapshot>(casePath());
  let historyAsked = 0;
  let historyShown = 0;
  /** The history as it is now; an answer to an earlier ask never replaces a later one's. */
  const askHistory = () => ({
    ticket: ++historyAsked,
    answer: request<CaseHistory>(casePath('history')),
  });
  const firstHistory = askHistory();
  const currentP = loadConfig(viewer.kommune);
  const currentDiagramP = currentP.then((c) => diagramOf(viewer.kommune, c.version, c.config));
  // Left unread when the case cannot be shown or runs on another version; not an error then.
  firstHistory.answer.catch(() => undefined);
  currentDiagramP.catch(() => undefined);
  let snapshot: CaseSnapshot;
  try {
    snapshot = await snapshotP;
  } catch (err) {
    const text =
      err instanceof ApiError && err.status === 404
        ? 'Fant ingen sak med denne id-en i din kommune.'
        : (err as Error).message;
    return void replace(
      main,
      h('h1', {}, 'Sak'),
      notice('error', text),
      h('p', {}, h('a', { href: '/visualizer/saker' }, '← Til sakslisten')),
    );
  }
  const openedOn = snapshot.configVersion;
  const current = await currentP.catch(() => undefined);
  const loaded =
    current?.version === openedOn ? current : await loadCaseConfig(viewer.kommune, openedOn);
  const { config } = loaded;
  // The same request as the one started above when the case runs on the current version.
  const { diagram } = await diagramOf(viewer.kommune, loaded.version, config);

  const title = h('h1', {});
  const live = h('p', { class: 'live', role: 'status' });
  const versionBox = h('div', {});
  const alertBox = h('div', {});
  // Apart from the alerts, which every clock tick redraws: the notice that the case is gone stays.
  const goneBox = h('div', {});
  const announce = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });
  const sent = h('div', { 'aria-live': 'polite' });
  const details = h(
    'div',
    { class: 'step-details', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Velg et steg i diagrammet (Tab og Enter) for å se detaljer.'),
  );
  const view = renderDiagram(diagram, {
    label: `Slusemodellen for ${config.name}, versjon ${loaded.version}`,
    onSelect: (n) => replace(details, stepDetails(n, diagram, config)),
  });
  const facts = h('div', {});
  const nowBox = h('div', { class: 'now-box' });
  const recorded = h('div', {});
  const reopenBox = h('div', {});
  let reopenForm: SchemaForm | null = null;
  let historyEntries: HistoryEntry[] | null = null;
  const timers = h('div', {});
  const actionPoints = h('div', {});
  const tasks = h('div', {});
  const team = h('div', {});
  const history = h('div', {});
  const forms = eventForms({
    kommune: viewer.kommune,
    caseId,
    config,
    current: () => snapshot,
    onSent: (next, eventTitle) =>
      done(next, `Registrert: ${eventTitle}. Saken er nå i «${stepTitle(config, next.step)}».`),
    onConflict: () => void refresh(),
  });

  /** The result of the viewer's own sending, focused so keyboard and screen reader land on it. */
  function done(next: CaseSnapshot, text: string): void {
    // Applied first: a move clears the notes of the step left behind, not this one.
    apply(next);
    const note = notice('ok', text);
    note.tabIndex = -1;
    replace(sent, note);
    note.focus();
  }

  const section = (heading: string, id: string, cls: string, ...body: Node[]) =>
    h(
      'section',
      { class: `panel ${cls}`, 'aria-labelledby': id },
      h('h2', { id }, heading),
      ...body,
    );
  replace(
    main,
    h(
      'div',
      { class: 'case-head' },
      h('p', { class: 'crumbs' }, h('a', { href: '/visualizer/saker' }, '← Alle saker')),
      title,
      live,
    ),
    versionBox,
    goneBox,
    alertBox,
    announce,
    // Actions first in reading order (and on a phone, first on screen); the grid puts the
    // diagram beside them on a wide screen.
    h(
      'div',
      { class: 'case-grid' },
      section(
        'Hva du kan gjøre nå',
        'h-actions',
        'case-actions',
        nowBox,
        sent,
        reopenBox,
        forms.element,
      ),
      h(
        'div',
        { class: 'case-main' },
        section('Slusemodell', 'h-diagram', 'case-diagram', view.element, details),
      ),
      h(
        'div',
        { class: 'case-side' },
        section('Nøkkelinfo', 'h-facts', '', facts),
        section('Registrerte opplysninger', 'h-recorded', '', recorded),
        section('Tidsur og frister', 'h-timers', '', timers),
        section('Aksjonspunkter', 'h-actions-points', '', actionPoints),
        section('Oppgaver', 'h-tasks', '', tasks),
        section('Team', 'h-team', '', team),
      ),
    ),
    section('Historikk (nyeste først)', 'h-history', 'case-history', history),
  );

  function apply(next: CaseSnapshot): void {
    if (next.revision < snapshot.revision) return;
    const moved = next.step !== snapshot.step;
    snapshot = next;
    // A note about what happened in the step left behind would now mislead.
    if (moved) replace(sent);
    draw();
    if (moved) announce.textContent = `Saken er flyttet til ${stepTitle(config, next.step)}.`;
    void loadHistory();
  }

  function draw(): void {
    replace(
      title,
      `Sak ${caseId}: `,
      h('span', { 'data-testid': 'title-step' }, stepTitle(config, snapshot.step)),
      h('span', { class: 'level-chip' }, ` Nivå ${snapshot.level}`),
    );
    document.title = `Sak ${caseId} – Sluse`;
    tick();
    replace(facts, factsPanel(snapshot, config));
    replace(recorded, recordedDataPanel(snapshot.data, config));
    drawReopen();
    replace(team, teamPanel(snapshot, config));
    replace(
      tasks,
      tasksPanel(snapshot, config, (t, button) => void completeTask(t, button)),
    );
    replace(versionBox, versionNote());
    forms.update(snapshot);
    view.update(marksOf(snapshot, diagram));
    main.dataset.revision = String(snapshot.revision);
  }

  /** Says when the diagram is not the version the case follows (a server with one version, or a migration since the page opened). */
  function versionNote(): HTMLElement | null {
    if (snapshot.configVersion === loaded.version) return null;
    if (snapshot.configVersion === openedOn)
      return notice('info', versionWarning(loaded, openedOn));
    return notice('info', [
      `Saken er flyttet til slusemodell versjon ${snapshot.configVersion}; diagrammet viser versjon ${loaded.version}. `,
      h('a', { href: location.pathname }, 'Last siden på nytt'),
      ' for å se den nye modellen.',
    ]);
  }

  /** Redraws what depends on the clock: time left, overdue marks. */
  function tick(): void {
    const now = Date.now();
    replace(
      alertBox,
      alerts(snapshot, config, now, overdueDeadlines(snapshot, config, historyEntries)),
    );
    replace(nowBox, nowPanel(snapshot, config, viewer.role, historyEntries, now));
    replace(timers, timersPanel(snapshot, now));
    replace(actionPoints, actionPointsPanel(snapshot, now));
  }

  /** Reads the history (again: after every change), or takes the one already asked for. */
  async function loadHistory(asked = askHistory()): Promise<void> {
    try {
      const h2 = await asked.answer;
      if (asked.ticket < historyShown) return;
      historyShown = asked.ticket;
      historyEntries = h2.entries;
      replace(history, historyPanel(h2.entries, config as KommuneConfig));
      // The history names the deadline that passed.
      tick();
    } catch (err) {
      if (asked.ticket < historyShown) return;
      replace(history, notice('error', `Historikken kunne ikke hentes: ${(err as Error).message}`));
    }
  }

  async function completeTask(
    task: CaseSnapshot['tasks'][number],
    button: HTMLButtonElement,
  ): Promise<void> {
    button.disabled = true;
    try {
      const next = await request<CaseSnapshot>(casePath('tasks', task.id, 'complete'), {
        method: 'POST',
        body: { expectedRevision: snapshot.revision },
      });
      done(next, `Oppgaven «${task.title}» er merket som gjort.`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      button.disabled = false;
      replace(sent, notice('error', err.message));
      if (err.status === 409) void refresh();
    }
  }

  /** The short way back, while the window is open and the viewer's role may take it. */
  function drawReopen(): void {
    const w = reopenWindow(snapshot, config, viewer.role);
    if (!w?.open || !w.mayReopen || !config.reopen) {
      reopenForm = null;
      return void replace(reopenBox);
    }
    if (reopenForm) return;
    const form = buildSchemaForm(config.reopen.payload ?? { type: 'object', properties: {} }, {
      idPrefix: 'reopen',
      submitLabel: 'Gjenåpne saken',
      onSubmit: (f) => void sendReopen(f),
    });
    reopenForm = form;
    replace(
      reopenBox,
      h(
        'details',
        { class: 'event', 'data-event': 'reopen', open: true },
        h(
          'summary',
          {},
          h('span', { class: 'event-title' }, 'Gjenåpne saken'),
          h('span', { class: 'event-targets' }, ` → ${stepTitle(config, config.reopen.step)}`),
        ),
        form.element,
      ),
    );
  }

  async function sendReopen(form: SchemaForm): Promise<void> {
    form.clearErrors();
    form.setBusy(true);
    try {
      const next = await request<CaseSnapshot>(casePath('reopen'), {
        method: 'POST',
        body: { payload: form.value(), expectedRevision: snapshot.revision },
      });
      done(next, `Saken er gjenåpnet i «${stepTitle(config, next.step)}».`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 409) void refresh();
      form.showErrors(
        err.details.map((d) => ({ ...d, path: payloadPointer(d.path) })),
        err.message,
      );
    } finally {
      form.setBusy(false);
    }
  }

  async function refresh(): Promise<void> {
    apply(await request<CaseSnapshot>(casePath()));
  }

  const liveText: Record<LiveStatus, string> = {
    connecting: '○ Kobler til direkteoppdatering …',
    live: '● Direkte: siden oppdateres av seg selv',
    retrying: '⚠ Mistet forbindelsen – prøver igjen …',
    ended: '○ Ingen direkteoppdatering: saken er ikke lenger synlig for deg',
  };
  let wasLive = false;
  openLiveStream(casePath('stream'), {
    onStatus: (s) => {
      live.textContent = liveText[s];
      live.dataset.status = s;
      // After a gap, fetch once: changes made while disconnected are not replayed by the stream.
      if (s === 'live' && wasLive) void refresh();
      if (s === 'live') wasLive = true;
    },
    onGone: () =>
      replace(goneBox, notice('error', 'Saken finnes ikke lenger eller er ikke synlig for deg.')),
    onMessage: (_event, data) => {
      const next =
        (data as { snapshot?: CaseSnapshot } | null)?.snapshot ?? (data as CaseSnapshot | null);
      if (
        next &&
        typeof next === 'object' &&
        typeof next.revision === 'number' &&
        next.caseId === caseId
      )
        apply(next);
    },
  });

  draw();
  // Read alongside the case; the live stream's first snapshot reads it again, so a change made
  // between the two reads is not missed.
  await loadHistory(firstHistory);
  setInterval(tick, TICK_MS);
}
