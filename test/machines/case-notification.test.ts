/** The messages a case sends: templates filled with non-personal case facts only. */
import { applyEvent, openCase, type CaseState } from '../../machines';
import { notificationFor, type NotificationContext } from '../../machines/case-notification';
import { accepted, compileSeed } from './support';

const k = compileSeed('lorenskog');
const state: CaseState = accepted(
  openCase(k, {
    caseId: 'n-1',
    referralSource: 'innbygger',
    payload: { henvendelsesgjelder: 'familie' },
    actor: { id: 'veiviser-1', role: 'veiviser' },
    now: '2027-03-01T08:00:00.000Z',
  }),
).state;
const ctx: NotificationContext = {
  config: k.config,
  kommune: 'lorenskog',
  caseId: 'n-1',
  key: 'wf/1/0',
  now: '2027-03-02T08:00:00.000Z',
  linkId: () => 'link-1',
};

describe('notifications', () => {
  it('when a template names case facts, then the workflow fills them with titles, and leaves the delivery variables for delivery', () => {
    const config = {
      ...k.config,
      templates: {
        t: {
          title: '{{kommune}}: {{steg}}',
          body: 'Sak {{saksnummer}}, {{niva}}. Kontakt {{stafettholder}}. Gammel: {{caseId}} {{link}}',
        },
      },
    };
    const n = notificationFor(
      state,
      { type: 'notify', role: 'family', template: 't', reason: 'r' },
      { ...ctx, config },
    );
    expect(n.title).toBe(
      'Lørenskog kommune – Familieveiviseren: Mottak og avklaring av henvendelsen',
    );
    expect(n.body).toBe('Sak n-1, nivå 1. Kontakt {{stafettholder}}. Gammel: n-1 {{lenke}}');
    // The name is looked up at delivery by the holder's id; the workflow never has it.
    expect(n).toMatchObject({ to: 'family', holderId: 'veiviser-1' });
    expect(n.toId).toBeUndefined();
  });

  it("when the holder is notified, then the message is addressed to the holder's id with the config's template filled in", () => {
    const n = notificationFor(
      state,
      { type: 'notify', role: 'holder', template: 'kartleggingStarStille', reason: 'stands still' },
      ctx,
    );
    expect(n).toMatchObject({
      kind: 'notify',
      to: 'holder',
      toId: 'veiviser-1',
      key: 'wf/1/0',
      title: 'Ny henvendelse venter',
      createdAt: ctx.now,
    });
    expect(n.body).toContain('sak n-1');
  });

  it('when a case closes with a feedback link, then the family gets a fresh link under the base url, and only links draw an id', () => {
    let drawn = 0;
    const counting = { ...ctx, feedbackBaseUrl: 'https://x.no/f', linkId: () => `id-${++drawn}` };
    expect(
      notificationFor(state, { type: 'sendFeedbackLink', template: 'none' }, counting),
    ).toMatchObject({
      kind: 'feedbackLink',
      to: 'family',
      link: 'https://x.no/f/id-1',
      title: 'none',
      body: '',
    });
    notificationFor(
      state,
      { type: 'escalate', role: 'leder', template: 'none', reason: 'r' },
      counting,
    );
    expect(drawn).toBe(1);
    expect(notificationFor(state, { type: 'sendSurvey', template: 'none' }, ctx).link).toBe(
      '/tilbakemelding/link-1',
    );
  });

  it('when a case closes with a feedback link naming a survey, then the link says which survey, the step it closed from and when it expires, and nothing about the family', () => {
    const closed = accepted(
      applyEvent(
        k,
        state,
        {
          type: 'avsluttVeivisersak',
          actor: { id: 'veiviser-1', role: 'veiviser' },
          payload: { arsak: 'rad_gitt' },
        },
        '2027-03-02T08:00:00.000Z',
      ),
    ).state;
    const n = notificationFor(
      closed,
      { type: 'sendFeedbackLink', template: 'tilbakemeldingsskjema', survey: 'veivisersak' },
      ctx,
    );
    expect(n.feedback).toEqual({
      survey: 'veivisersak',
      step: 'mottak',
      // 30 days in Oslo's calendar: 09:00 before and after the clocks went forward.
      expiresAt: '2027-04-01T07:00:00.000Z',
    });
    expect(
      notificationFor(
        closed,
        { type: 'sendFeedbackLink', template: 't', survey: 'constructor' },
        ctx,
      ).feedback,
    ).toBeUndefined();
  });
});
