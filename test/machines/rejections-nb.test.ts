/**
 * Every refusal tells the person who acted why, in bokmål (`nb`), with the config's titles where
 * the English names steps and events; the English `message` stays for logs. One case walked
 * through the engine's refusals, each code once. (The random walks in properties.test.ts check
 * that every rejection they meet carries `nb`.)
 */
import type { KommuneConfig } from '../../config/types';
import {
  applyEvent,
  compileKommune,
  migrateCase,
  openCase,
  reopenCase,
  type Actor,
  type CaseState,
  type Rejection,
  type RejectionCode,
} from '../../machines';
import holderOnly from '../workflows/fixtures/holder-only.json';
import { accepted, rejected } from './support';

const config = holderOnly as KommuneConfig;
const k = compileKommune(config, 1);
const holder: Actor = { id: 'koordinator-1', role: 'koordinator' };
const colleague: Actor = { id: 'koordinator-2', role: 'koordinator' };
const leder: Actor = { id: 'leder-1', role: 'leder' };
const T0 = '2027-03-01T08:00:00.000Z';
const T1 = '2027-03-02T08:00:00.000Z';

const opened = (): CaseState =>
  accepted(openCase(k, { caseId: 'c-1', referralSource: 'skole', actor: holder, now: T0 })).state;
const send = (state: CaseState, type: string, actor: Actor, payload?: unknown) =>
  applyEvent(k, state, { type, actor, payload }, T1);

const seen = new Map<RejectionCode, Rejection>();
function refusal(r: ReturnType<typeof send>): Rejection {
  const rejection = rejected(r);
  seen.set(rejection.code, rejection);
  return rejection;
}

test('when an event is refused, then the refusal says why in bokmål with the config’s titles', () => {
  const state = opened();
  expect(refusal(send(state, 'finnesIkke', holder))).toMatchObject({
    code: 'EVENT_UNKNOWN',
    nb: 'Hendelsen «finnesIkke» finnes ikke.',
  });
  expect(refusal(send(state, 'registrerMote', leder))).toMatchObject({
    code: 'ROLE_NOT_ALLOWED',
    nb: 'Rollen «Leder» kan ikke sende «Registrer møte».',
  });
  expect(refusal(send(state, 'registrerMote', colleague))).toMatchObject({
    code: 'ACTOR_NOT_ALLOWED',
    message: `"Registrer møte" may be sent in step "Oppfølging" only by the case's holder`,
    nb: '«Registrer møte» kan i steget «Oppfølging» bare sendes av sakens stafettholder.',
    allowedEvents: ['byttKoordinator', 'avslutt'],
  });
  expect(
    refusal(send(state, 'byttKoordinator', holder, { ansvarlig: 'ikke en id!' })),
  ).toMatchObject({
    code: 'PERSON_ID_INVALID',
    nb: '«ansvarlig» må angi en person med brukerident.',
    details: [{ path: '/ansvarlig', nb: expect.stringMatching(/^Ikke en gyldig brukerident/) }],
  });
  expect(refusal(send(state, 'byttKoordinator', holder, {}))).toMatchObject({
    code: 'PAYLOAD_INVALID',
    nb: 'Skjemaet for «Bytt koordinator» er ikke riktig utfylt.',
    details: [
      {
        path: '/ansvarlig',
        message: "must have required property 'ansvarlig'",
        nb: 'Må fylles ut.',
      },
    ],
  });
  expect(
    refusal(openCase(k, { caseId: 'c-2', referralSource: 'nabo', actor: holder, now: T0 })),
  ).toMatchObject({ code: 'REFERRAL_SOURCE_UNKNOWN', nb: 'Henvisningskilden «nabo» er ukjent.' });
  expect(
    refusal(openCase(k, { caseId: 'c-3', referralSource: 'skole', actor: leder, now: T0 })),
  ).toMatchObject({
    code: 'ROLE_NOT_ALLOWED',
    nb: 'Rollen «Leder» kan ikke opprette saker. Det kan: Koordinator.',
  });

  const closed = accepted(send(state, 'avslutt', holder)).state;
  expect(refusal(send(closed, 'registrerMote', holder))).toMatchObject({
    code: 'CASE_CLOSED',
    nb: 'Saken er avsluttet (02.03.2027).',
  });
  expect(refusal(reopenCase(k, closed, { actor: holder, now: T1 }))).toMatchObject({
    code: 'REOPEN_NOT_ALLOWED',
    nb: `${config.name} har ingen kort vei tilbake for avsluttede saker.`,
  });
});

test('when a migration is refused, then the reason is in bokmål too', () => {
  const state = opened();
  const same = refusal(migrateCase(k, state, { now: T1 }));
  expect(same).toMatchObject({
    code: 'MIGRATION_REFUSED',
    nb: 'Saken følger allerede versjon 1; den kan bare flyttes til en nyere versjon.',
  });
  const { oppfolging, ...rest } = config.steps;
  const renamed = { ...config, steps: { ...rest, videre: oppfolging! } };
  const v2 = compileKommune({ ...renamed, intake: { ...config.intake, step: 'videre' } }, 2);
  expect(refusal(migrateCase(v2, state, { now: T1 }))).toMatchObject({
    code: 'MIGRATION_REFUSED',
    nb: 'Steget «oppfolging» finnes ikke i versjon 2; oppgi hvilket steg saken skal flyttes til.',
    details: [{ path: '/stepMapping', nb: expect.stringMatching(/^Steget «oppfolging»/) }],
  });
});

afterAll(() => {
  // Every refusal met above carries bokmål, for itself and each field.
  for (const r of seen.values()) {
    expect(r.nb).toMatch(/\S/);
    for (const d of r.details) expect(d.nb).toMatch(/\S/);
  }
});
