/**
 * The events the viewer's role may send now, one generated form each. Forms survive live
 * updates while their event stays allowed, so what someone is typing is not wiped when another
 * person advances the case; a form whose event is no longer allowed goes, with a note saying so.
 * That note stays until the case moves on to another step.
 */
import type { KommuneConfig } from '../../../config/types';
import { ApiError, apiPath, request, type ErrorDetail } from './api';
import type { AllowedEventView, CaseSnapshot } from './api-types';
import { stepTitle } from './case-panels';
import { h, replace } from './dom';
import { notice } from './chrome';
import { buildSchemaForm, humanize, type SchemaForm } from './schema-form';

interface Entry {
  schemaKey: string;
  box: HTMLDetailsElement;
  form: SchemaForm;
}

/** The API points at `/body/payload/...`; the form knows pointers into the payload only. */
export function payloadPointer(path: string): string {
  return path.replace(/^\/body(?=\/|$)/, '').replace(/^\/payload(?=\/|$)/, '');
}

export interface EventForms {
  element: HTMLElement;
  update(snapshot: CaseSnapshot): void;
}

export function eventForms(opts: {
  kommune: string;
  caseId: string;
  config: KommuneConfig;
  current: () => CaseSnapshot;
  onSent: (snapshot: CaseSnapshot, eventTitle: string) => void;
  onConflict: () => void;
}): EventForms {
  const entries = new Map<string, Entry>();
  /** Events this page is sending: their form closing is the viewer's own doing, not lost work. */
  const sending = new Set<string>();
  let shownStep: string | undefined;
  const list = h('div', { class: 'event-list' });
  const status = h('div', { 'aria-live': 'polite' });
  const element = h('div', {}, status, list);

  function build(ev: AllowedEventView): Entry {
    const targets = ev.targets.filter((t) => t !== opts.current().step);
    const form = buildSchemaForm(ev.payloadSchema, {
      idPrefix: `ev-${ev.type}`,
      submitLabel: `Send: ${ev.title}`,
      onSubmit: (f) => void send(ev, f),
    });
    const box = h(
      'details',
      { class: 'event', 'data-event': ev.type },
      h(
        'summary',
        {},
        h('span', { class: 'event-title' }, ev.title),
        targets.length > 0
          ? h(
              'span',
              { class: 'event-targets' },
              ` → ${targets.map((t) => stepTitle(opts.config, t)).join(' / ')}`,
            )
          : h('span', { class: 'event-targets' }, ' ↻ i steget'),
      ),
      ev.description ? h('p', { class: 'hint' }, ev.description) : null,
      form.element,
    );
    return { schemaKey: JSON.stringify(ev.payloadSchema), box, form };
  }

  async function send(ev: AllowedEventView, form: SchemaForm): Promise<void> {
    form.clearErrors();
    form.setBusy(true);
    sending.add(ev.type);
    try {
      const snapshot = await request<CaseSnapshot>(
        apiPath(opts.kommune, 'cases', opts.caseId, 'events'),
        {
          method: 'POST',
          body: { type: ev.type, payload: form.value(), expectedRevision: opts.current().revision },
        },
      );
      entries.delete(ev.type);
      opts.onSent(snapshot, ev.title);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 409) {
        form.showErrors(
          [],
          'Saken ble endret av noen andre mens du fylte ut. Siden er oppdatert – se over og send på nytt.',
        );
        opts.onConflict();
      } else {
        const details: ErrorDetail[] = err.details.map((d) => ({
          ...d,
          path: payloadPointer(d.path),
        }));
        const allowed =
          err.allowedEvents.length > 0
            ? ` Du kan nå sende: ${err.allowedEvents.map((e) => opts.config.events[e]?.title ?? humanize(e)).join(', ')}.`
            : '';
        form.showErrors(details, `${err.message}${allowed}`);
      }
    } finally {
      sending.delete(ev.type);
      form.setBusy(false);
    }
  }

  return {
    element,
    update(snapshot) {
      const allowed = snapshot.status === 'open' ? snapshot.allowedEvents : [];
      const gone = [...entries.keys()].filter((type) => !allowed.some((e) => e.type === type));
      const lostWork = gone.filter((type) => entries.get(type)!.box.open && !sending.has(type));
      if (shownStep !== undefined && snapshot.step !== shownStep) replace(status);
      shownStep = snapshot.step;
      for (const type of gone) entries.delete(type);
      const boxes = allowed.map((ev) => {
        let entry = entries.get(ev.type);
        if (!entry || entry.schemaKey !== JSON.stringify(ev.payloadSchema)) {
          entry = build(ev);
          entries.set(ev.type, entry);
        }
        return entry.box;
      });
      // Re-appending a form would take the focus away from whoever is typing in it.
      const same =
        boxes.length === list.children.length && boxes.every((b, i) => list.children[i] === b);
      if (!same) {
        replace(
          list,
          boxes.length > 0
            ? boxes
            : h(
                'p',
                { class: 'muted' },
                snapshot.status === 'open'
                  ? 'Rollen din kan ikke sende noen hendelser i dette steget.'
                  : 'Ingen hendelser kan sendes i en avsluttet sak.',
              ),
        );
      }
      if (lostWork.length > 0) {
        replace(
          status,
          notice(
            'info',
            `Saken ble endret, og dette kan ikke lenger sendes: ${lostWork.map((t) => opts.config.events[t]?.title ?? t).join(', ')}.`,
          ),
        );
      }
    },
  };
}
