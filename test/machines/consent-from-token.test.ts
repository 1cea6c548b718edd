/**
 * Who gave a consent comes from the token: a family role that says which giver its people are
 * (`consentsAs`) gives consent as that kind, whatever a form field claims; staff recording a
 * consent given on paper say who gave it, and the record says staff recorded it. A consent both
 * a parent and the young person must give holds only while both do.
 */
import type { KommuneConfig } from '../../config/types';
import {
  applyEvent,
  compileKommune,
  fireTimer,
  openCase,
  type Actor,
  type CaseState,
  type CompiledKommune,
} from '../../machines';
import { minimalConfig } from '../config/helpers/fixtures';
import { accepted, compileSeed, rejected } from './support';

const teacher: Actor = { id: 'teacher-1', role: 'teacher' };
const mor: Actor = { id: 'mor-1', role: 'parent' };
const ungdom: Actor = { id: 'ungdom-1', role: 'youth' };
const T0 = '2027-03-01T08:00:00.000Z';
const T1 = '2027-03-08T08:00:00.000Z';

/** The minimal config with a parent and a youth family role who consent themselves. */
function familyConfig(edit?: (c: KommuneConfig) => void): CompiledKommune {
  const c = minimalConfig();
  c.roles.parent = { title: 'Forelder', family: true, consentsAs: 'parent' };
  c.roles.youth = { title: 'Ungdom', family: true, consentsAs: 'youth' };
  c.events.CONSENT!.roles = ['teacher', 'parent', 'youth'];
  // The family's own form need not say who they are; staff still fill it in.
  delete c.events.CONSENT!.payload!.required;
  c.events.TAKE_BACK = { title: 'Trekk mitt samtykke', roles: ['parent', 'youth'] };
  c.steps.team!.on!.TAKE_BACK = {
    effects: [{ type: 'withdrawConsent', consent: 'sharing' }],
  };
  edit?.(c);
  return compileKommune(c, 1);
}

/** A case at the talk step, where consent is given; the young person's age as given. */
function atTalk(k: CompiledKommune, childAge: number): CaseState {
  const opened = accepted(
    openCase(k, {
      caseId: 'c-1',
      referralSource: 'school',
      payload: { childAge },
      actor: teacher,
      now: T0,
    }),
  );
  return accepted(
    applyEvent(k, opened.state, { type: 'ASSESS', actor: teacher, payload: { score: 5 } }, T0),
  ).state;
}

const consent = (k: CompiledKommune, s: CaseState, actor: Actor, payload = {}, now = T0) =>
  applyEvent(k, s, { type: 'CONSENT', actor, payload }, now);

describe('the giver from the token', () => {
  const k = familyConfig();

  test('when a parent signed in gives consent, then it is recorded as given by a parent, digitally by the family, at that time', () => {
    const r = accepted(consent(k, atTalk(k, 9), mor));
    expect(r.state.consents.sharing).toEqual({
      givenBy: 'parent',
      givenAt: T0,
      expiresAt: '2028-03-01T08:00:00.000Z',
      via: 'family',
    });
  });

  test("when a parent's token sends a form claiming the young person consented, then it is refused at that field and nothing is recorded", () => {
    const state = atTalk(k, 16);
    const r = rejected(consent(k, state, mor, { givenBy: 'youth' }));
    expect(r).toMatchObject({
      code: 'PAYLOAD_INVALID',
      nb: expect.stringContaining('du gir samtykke som forelder'),
      details: [{ path: '/givenBy', message: 'you give consent as parent; the form says youth' }],
    });
    // The form agreeing with the token is no claim of its own.
    expect(accepted(consent(k, state, mor, { givenBy: 'parent' })).state.consents.sharing).toEqual(
      expect.objectContaining({ givenBy: 'parent', via: 'family' }),
    );
  });

  test('when a 12-year-old signed in as the young person consents where the age is 15, then it is refused with the age it takes', () => {
    const r = rejected(consent(k, atTalk(k, 12), ungdom));
    expect(r).toMatchObject({
      code: 'PAYLOAD_INVALID',
      nb: 'Ungdommen kan ikke selv gi samtykket «Samtykke til deling»: ungdommen kan samtykke selv fra 15 år; saken har registrert alder 12.',
      details: [
        { path: '', message: 'the young person may consent from age 15; the case records age 12' },
      ],
    });
    expect(accepted(consent(k, atTalk(k, 15), ungdom)).state.consents.sharing).toMatchObject({
      givenBy: 'youth',
      via: 'family',
    });
  });

  test('when staff record a consent the young person gave on paper, then the record says staff recorded it, as holder, and never who', () => {
    const r = accepted(consent(k, atTalk(k, 16), teacher, { givenBy: 'youth' }));
    expect(r.state.consents.sharing).toEqual({
      givenBy: 'youth',
      givenAt: T0,
      expiresAt: '2028-03-01T08:00:00.000Z',
      via: 'staff',
      recordedBy: { role: 'teacher', relation: 'holder' },
    });
    expect(JSON.stringify(r.state.consents)).not.toContain(teacher.id);
  });

  test('when the consent type lets only parents consent, then the young person signed in is refused', () => {
    const parentsOnly = familyConfig((c) => (c.consentTypes!.sharing!.givenBy = ['parent']));
    expect(rejected(consent(parentsOnly, atTalk(parentsOnly, 16), ungdom)).details).toEqual([
      {
        path: '',
        message: 'it may be given by: parent; not by the young person',
        nb: 'Samtykket kan gis av: forelder.',
      },
    ]);
  });
});

describe('both must consent', () => {
  const k = familyConfig((c) => (c.consentTypes!.sharing!.requires = 'all'));
  const refer = (s: CaseState) =>
    applyEvent(k, s, { type: 'REFER', actor: teacher, payload: { coordinator: 'leader-1' } }, T1);

  test('when only the parent has consented, then the consent does not hold and the case may not go where it is needed', () => {
    const parentOnly = accepted(consent(k, atTalk(k, 16), mor)).state;
    expect(parentOnly.consents.sharing).toMatchObject({ awaiting: ['youth'] });
    expect(rejected(refer(parentOnly)).code).toBe('CONSENT_MISSING');
  });

  test('when both have consented, then it holds; when one of them withdraws, the case leaves the step that needs it', () => {
    const parent = accepted(consent(k, atTalk(k, 16), mor)).state;
    const both = accepted(consent(k, parent, ungdom, {}, T1)).state;
    expect(both.consents.sharing).toMatchObject({
      givenBy: 'youth',
      givenAt: T1,
      // The first giver's consent lapses first, and with it the consent.
      expiresAt: '2028-03-01T08:00:00.000Z',
      givers: { parent: { givenAt: T0, via: 'family' }, youth: { givenAt: T1, via: 'family' } },
    });
    expect(both.consents.sharing!.awaiting).toBeUndefined();
    const inTeam = accepted(refer(both));
    expect(inTeam.state.step).toBe('team');

    const withdrawn = accepted(
      applyEvent(k, inTeam.state, { type: 'TAKE_BACK', actor: ungdom }, '2027-04-01T08:00:00.000Z'),
    );
    expect(withdrawn.transition).toMatchObject({ event: 'TAKE_BACK', to: 'talk' });
    expect(withdrawn.state.consents.sharing).toMatchObject({
      withdrawnAt: '2027-04-01T08:00:00.000Z',
      givers: { parent: { givenAt: T0 }, youth: { withdrawnAt: '2027-04-01T08:00:00.000Z' } },
    });
    expect(withdrawn.state.consents.sharing!.givers!.parent!.withdrawnAt).toBeUndefined();
  });

  test("when the first giver's consent lapses, then the case leaves the step at that moment, though the other's still runs", () => {
    const both = accepted(
      consent(k, accepted(consent(k, atTalk(k, 16), mor)).state, ungdom, {}, T1),
    ).state;
    const inTeam = accepted(refer(both)).state;
    const lapse = inTeam.timers.find((t) => t.kind === 'consentLapse')!;
    expect(lapse.dueAt).toBe('2028-03-01T08:00:00.000Z');
    const lapsed = accepted(fireTimer(k, inTeam, lapse.key, lapse.dueAt));
    expect(lapsed.state.step).toBe('talk');
  });
});

describe('Lørenskog: the digital interdisciplinary consent form', () => {
  const k = compileSeed('lorenskog');
  const veiviser: Actor = { id: 'veiviser-1', role: 'veiviser' };
  const foresatt: Actor = { id: 'foresatt-1', role: 'foresatt' };
  const send = (s: CaseState, type: string, actor: Actor, payload?: unknown) =>
    applyEvent(k, s, { type, actor, payload }, T1);

  test('when the parent, added to the case, consents signed in, then the veiviser may connect another service, and not before', () => {
    const opened = accepted(
      openCase(k, {
        caseId: 'c-1',
        referralSource: 'innbygger',
        payload: { henvendelsesgjelder: 'barn', barnetsAlder: 9 },
        actor: veiviser,
        now: T0,
      }),
    ).state;
    let s = accepted(
      send(opened, 'avklarSakstype', veiviser, { sakstype: 'koble_tjenester' }),
    ).state;
    expect(rejected(send(s, 'kobleTjenester', veiviser, { tjeneste: 'nav' })).code).toBe(
      'CONSENT_MISSING',
    );
    s = accepted(
      send(s, 'leggTilFamilie', veiviser, { familiemedlem: { id: foresatt.id, role: 'foresatt' } }),
    ).state;
    s = accepted(send(s, 'giSamtykke', foresatt)).state;
    expect(s.consents.tverrfaglig_samarbeid).toEqual({
      givenBy: 'parent',
      givenAt: T1,
      via: 'family',
    });
    expect(send(s, 'kobleTjenester', veiviser, { tjeneste: 'nav' }).ok).toBe(true);
    // The 9-year-old cannot consent themselves, not even through the veiviser's form.
    expect(rejected(send(s, 'registrerSamtykke', veiviser, { gittAv: 'youth' })).code).toBe(
      'PAYLOAD_INVALID',
    );
  });
});
