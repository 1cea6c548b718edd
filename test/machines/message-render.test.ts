/**
 * What a message says when it is sent: the workflow fills the case's facts (titles, not ids; the
 * next deadline in Norwegian), the delivery fills the holder's name and the link, and no message
 * ever leaves with a `{{placeholder}}` in it.
 */
import fc from 'fast-check';
import { DeliveryVariables } from '../../config/message-variables';
import { effectSites } from '../../config/config-sites';
import type { KommuneConfig } from '../../config/types';
import type { ArmedTimer, CaseState, SideEffect } from '../../machines';
import { notificationFor, type NotificationContext } from '../../machines/case-notification';
import {
  caseFacts,
  deliveryVariablesIn,
  MessageValueMissingError,
  NO_DEADLINE,
  norwegianDateOf,
  renderForDelivery,
} from '../../machines/message-render';
import { loadSeed, seedIds } from './support';

const timer = (kind: ArmedTimer['kind'], dueAt: string): ArmedTimer => ({
  key: `s/${kind}/0`,
  timerId: kind,
  step: 's',
  kind,
  dueAt,
});

/** A case in `step` of `config`, held by `fk-1`; only what messages read is filled in. */
function caseIn(config: KommuneConfig, step: string, timers: ArmedTimer[] = []): CaseState {
  return {
    caseId: 'c-1',
    kommune: config.id,
    step,
    level: config.steps[step].level,
    holder: { id: 'fk-1', role: config.steps[step].holderRole, since: '2026-11-01T08:00:00Z' },
    timers,
    team: [],
  } as Partial<CaseState> as CaseState;
}

describe('the Norwegian date in {{frist}}', () => {
  it.each([
    [
      'a winter evening in UTC is the next day in Oslo',
      '2026-12-03T23:30:00.000Z',
      '4. desember 2026',
    ],
    ['a summer night (UTC+2)', '2027-06-30T22:30:00.000Z', '1. juli 2027'],
    ['the hour before midnight in summer', '2027-06-30T21:30:00.000Z', '30. juni 2027'],
    ['new year', '2026-12-31T23:00:00.000Z', '1. januar 2027'],
  ])('when the deadline is %s, then the message names the Oslo date', (_, iso, text) => {
    expect(norwegianDateOf(iso)).toBe(text);
  });

  it('when any instant is written, then it reads as Intl writes it for nb-NO in Europe/Oslo', () => {
    const intl = new Intl.DateTimeFormat('nb-NO', {
      timeZone: 'Europe/Oslo',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(norwegianDateOf(iso)).toBe(intl.format(new Date(ms)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('the case facts the workflow fills', () => {
  const holf = loadSeed('nav-holf');

  it('when a message is made, then it names the kommune, the step and the level by their titles', () => {
    expect(caseFacts(holf, caseIn(holf, 'samarbeidsmote'))).toEqual({
      kommune: holf.name,
      saksnummer: 'c-1',
      steg: 'Samarbeidsmøte med handlingsnettverket',
      niva: 'nivå 3',
      frist: NO_DEADLINE,
    });
  });

  it('when a reminder runs before the deadline, then {{frist}} is the deadline, not the reminder', () => {
    const s = caseIn(holf, 'samarbeidsmote', [
      timer('reminder', '2027-06-21T07:00:00.000Z'),
      timer('inactivity', '2027-06-01T07:00:00.000Z'),
      timer('deadline', '2027-06-24T07:00:00.000Z'),
    ]);
    expect(caseFacts(holf, s).frist).toBe('24. juni 2027');
  });
});

describe('rendering at delivery', () => {
  const n = {
    template: 'invitasjon',
    title: 'Invitasjon',
    body: 'Kontakt {{stafettholder}}. Svar her: {{lenke}}',
    link: 'https://x.no/tilbakemelding/abc',
  };

  it('when the delivery has the holder’s name, then it is filled in, and the link comes from the notification', () => {
    expect(deliveryVariablesIn(n.title, n.body)).toEqual(['lenke', 'stafettholder']);
    expect(renderForDelivery(n, { stafettholder: 'Kari Nordmann' })).toEqual({
      title: 'Invitasjon',
      body: 'Kontakt Kari Nordmann. Svar her: https://x.no/tilbakemelding/abc',
    });
  });

  it.each([
    ['the name is missing', {}, ['stafettholder']],
    ['the name is blank', { stafettholder: '  ' }, ['stafettholder']],
    ['the name would bring a placeholder', { stafettholder: '{{x}}' }, ['stafettholder']],
  ])(
    'when %s, then the message is not rendered but fails with the missing names',
    (_, values, missing) => {
      let error: unknown;
      try {
        renderForDelivery(n, values);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MessageValueMissingError);
      expect(error).toMatchObject({
        code: 'MESSAGE_VALUE_MISSING',
        template: 'invitasjon',
        missing,
      });
      expect((error as Error).message).not.toContain('x.no');
    },
  );

  it('when a running case’s old template has an unknown or unclosed placeholder, then delivery refuses it', () => {
    expect(() => renderForDelivery({ ...n, body: 'Hei {{navn}}' }, {})).toThrow(
      MessageValueMissingError,
    );
    expect(() => renderForDelivery({ ...n, body: 'Frist {{frist' }, {})).toThrow(
      /no value for \{\{/,
    );
  });
});

describe('every seed message', () => {
  const sent: Array<{ kommune: KommuneConfig; step: string; effect: SideEffect }> = [];
  for (const id of seedIds()) {
    const kommune = loadSeed(id);
    for (const { effect, path } of effectSites(kommune)) {
      const step = /^\/steps\/([^/]+)\//.exec(path)?.[1] ?? kommune.intake.step;
      if (effect.type === 'notify' || effect.type === 'escalate')
        sent.push({ kommune, step, effect: { ...effect, reason: path } });
      if (effect.type === 'sendFeedbackLink' || effect.type === 'sendSurvey')
        sent.push({ kommune, step, effect });
    }
  }

  it('there are seed messages of every kind', () => {
    expect(new Set(sent.map((s) => s.effect.type))).toEqual(
      new Set(['notify', 'escalate', 'sendFeedbackLink', 'sendSurvey']),
    );
  });

  it('when any seed message is made and delivered with the values the delivery has, then it contains no {{', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...sent),
        fc.option(
          fc.date({ min: new Date(2020, 0, 1), max: new Date(2040, 0, 1), noInvalidDate: true }),
        ),
        fc
          .string({ minLength: 1 })
          .filter((v) => v.trim() !== '' && !v.includes('{{') && !v.includes('}}')),
        ({ kommune, step, effect }, due, name) => {
          const s = caseIn(kommune, step, due ? [timer('deadline', due.toISOString())] : []);
          const ctx: NotificationContext = {
            config: kommune,
            kommune: kommune.id,
            caseId: s.caseId,
            key: 'k',
            now: '2026-11-28T08:00:00.000Z',
            linkId: () => 'token-1',
          };
          const message = notificationFor(s, effect, ctx);
          const needed = deliveryVariablesIn(message.title, message.body);
          if (needed.includes('stafettholder')) expect(message.holderId).toBe('fk-1');
          const values = Object.fromEntries(
            DeliveryVariables.filter((v) => v !== 'lenke').map((v) => [v, name]),
          );
          const out = renderForDelivery(message, values);
          expect(`${out.title}\n${out.body}`).not.toContain('{{');
          expect(`${out.title}\n${out.body}`).not.toContain('}}');
        },
      ),
      { numRuns: 300 },
    );
  });
});
