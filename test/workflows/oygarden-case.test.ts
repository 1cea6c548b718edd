/**
 * Øygarden familielos as a durable case over a year and a half of virtual time, on the
 * time-skipping test server: every timer fires from the workflow itself.
 */
import type { Actor } from '../../machines';
import { timeSkippingCases, dateAfter, DAY } from './case-harness';
import { recordHistory } from './record-history';

jest.setTimeout(180_000);

const laerer: Actor = { id: 'laerer-1', role: 'tjenesteyter' };
const rt: Actor = { id: 'rt-1', role: 'ressursteam' };
const los: Actor = { id: 'los-1', role: 'familielos' };

const t = timeSkippingCases();

test('when a worry goes all the way to familielos and back, then every follow-up, meeting, reminder, escalation and the 6/12-month limits fire on time', async () => {
  const t0 = await t.env.currentTimeMs();
  const {
    caseId,
    handle,
    view: opened,
  } = await t.h.open('oygarden', {
    referralSource: 'skole',
    payload: { arena: 'skole', barnetsAlder: 14 },
    actor: laerer,
  });
  expect(opened.state).toMatchObject({ step: 'undring', level: 0, holder: { id: 'laerer-1' } });

  // Level 0 → 1: the assessment tool's weighted score reaches the threshold.
  let v = await t.h.send(handle, 'registrerVurdering', laerer, {
    risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
  });
  expect(v.state).toMatchObject({ step: 'avklaringssamtale', level: 1 });

  // a) low-threshold measures and a follow-up talk on a chosen date, 20 days ahead.
  const followUp = dateAfter(t0, 20);
  v = await t.h.send(handle, 'registrerAvklaringssamtale', laerer, {
    utfall: 'lavterskeltiltak',
    oppfolgingsdato: followUp,
    tiltak: ['Ekstra voksenstøtte'],
  });
  expect(v.state.step).toBe('lavterskeltiltak');
  const followUpTimer = v.state.timers.find((t) => t.timerId === 'oppfolgingssamtale')!;
  expect(followUpTimer.dueAt.slice(0, 10) <= followUp).toBe(true);

  // The date passes with no talk held: reminder before, then overdue with the holder told.
  await t.env.sleep(23 * DAY);
  v = await t.h.view(handle);
  expect(v.state.overdue).toBe(true);
  let sent = await t.h.notifications('oygarden', caseId);
  expect(sent.map((n) => n.template)).toEqual(
    expect.arrayContaining(['paminnelseOppfolgingssamtale', 'oppfolgingssamtaleForfalt']),
  );
  expect(sent.filter((n) => n.template === 'oppfolgingssamtaleForfalt')).toHaveLength(1);

  // No improvement → b) with consent, to the resource team.
  await t.h.send(handle, 'registrerSamtykke', laerer, { gittAv: 'parent' });
  v = await t.h.send(handle, 'registrerOppfolgingssamtale', laerer, {
    bedring: 'nei',
    ansvarlig: 'rt-1',
  });
  expect(v.state).toMatchObject({
    step: 'ressursteam',
    level: 2,
    holder: { id: 'rt-1', role: 'ressursteam' },
    overdue: false,
  });

  // c) familielos: the los takes over at level 3, meetings monthly.
  const now1 = await t.env.currentTimeMs();
  v = await t.h.send(handle, 'registrerRessursteammote', rt, {
    utfall: 'familielos',
    barnetsStemme: true,
    ansvarlig: 'los-1',
    moteFrekvens: 'P1M',
    forsteFamilieteammote: dateAfter(now1, 10),
  });
  expect(v.state).toMatchObject({
    step: 'familielos',
    level: 3,
    holder: { id: 'los-1', role: 'familielos' },
  });
  const handovers = (await t.h.history(handle))
    .filter((e) => e.kind === 'handover')
    .map((e) => e.what);
  expect(handovers).toEqual(['— → laerer-1', 'laerer-1 → rt-1', 'rt-1 → los-1']);
  const familielosFrom = await t.env.currentTimeMs();

  // The first family-team meeting is held with action points; the next is set 30 days on.
  await t.env.sleep(9 * DAY);
  v = await t.h.send(handle, 'registrerFamilieteammote', los, {
    aksjonspunkter: [
      { title: 'Søke om støttekontakt', responsible: 'mor', due: dateAfter(now1, 40) },
    ],
    nesteMote: dateAfter(now1, 40),
  });
  expect(v.state.actionPoints.filter((a) => a.status === 'open')).toHaveLength(1);

  // That meeting is not held: a reminder before, then an escalation to a leader.
  await t.env.sleep(35 * DAY);
  sent = await t.h.notifications('oygarden', caseId);
  expect(
    sent.filter((n) => n.template === 'paminnelseFamilieteammote').length,
  ).toBeGreaterThanOrEqual(1);
  expect(
    sent.find(
      (n) => n.kind === 'escalate' && n.to === 'leder' && n.template === 'familieteammoteEskalert',
    ),
  ).toBeDefined();
  expect((await t.h.view(handle)).state.overdue).toBe(true);

  // Monthly call-ins recur while the case is at level 3.
  await t.env.sleep(Math.max(0, familielosFrom + 183 * DAY - (await t.env.currentTimeMs())));
  sent = await t.h.notifications('oygarden', caseId);
  expect(sent.filter((n) => n.template === 'kallInnFamilieteam').length).toBeGreaterThanOrEqual(4);
  // The phase-out warning at six months goes to the los and a leader.
  expect(
    sent
      .filter((n) => n.template === 'utfasingVarsel')
      .map((n) => n.to)
      .sort(),
  ).toEqual(['holder', 'leder']);
  expect((await t.h.view(handle)).state.status).toBe('open');

  // The hard limit at twelve months closes the case by itself.
  await t.env.sleep(Math.max(0, familielosFrom + 367 * DAY - (await t.env.currentTimeMs())));
  v = await t.h.view(handle);
  expect(v.state).toMatchObject({ status: 'closed', step: 'avsluttet_sak' });
  sent = await t.h.notifications('oygarden', caseId);
  expect(sent.filter((n) => n.template === 'familielosperiodeUtlopt')).toHaveLength(1);

  // The short way back: the los reopens straight into familielos within six months.
  await t.env.sleep(30 * DAY);
  const now2 = await t.env.currentTimeMs();
  v = await t.h.reopen(handle, los, { nesteFamilieteammote: dateAfter(now2, 14) });
  expect(v.state).toMatchObject({
    status: 'open',
    step: 'familielos',
    level: 3,
    holder: { id: 'los-1' },
  });

  const history = await t.h.history(handle);
  expect(history.filter((e) => e.kind === 'timer' && e.what.includes('maksVarighet'))).toHaveLength(
    1,
  );
  expect(history.map((e) => e.kind)).toEqual(
    expect.arrayContaining(['opened', 'event', 'timer', 'reopened', 'notified']),
  );

  // Closed again, the case is archived once the way back has closed.
  await t.h.send(handle, 'avsluttFamilielos', los, { arsak: 'mal_nadd' });
  await t.env.sleep(200 * DAY);
  const final = await handle.result();
  expect(final?.status).toBe('closed');
  const record = await t.h.archive.get('oygarden', caseId);
  expect(record?.history.length).toBeGreaterThan(10);

  console.log(
    `oygarden journey: ${history.length} history entries, ${sent.length} notifications before reopening`,
  );
  await recordHistory(handle, 'oygarden-familielos-journey');
});
