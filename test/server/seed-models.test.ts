/**
 * End to end over HTTP, one seed model at a time: open a case, walk it through the kommune's
 * sluices with the roles the config names, then read the list, the snapshot, the history and
 * the statistics. Real dev server, real worker, real tokens.
 */
import { http, eventually, startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';
import { holfIntake } from '../machines/support';

jest.setTimeout(120_000);

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => stack?.stop());

async function get<T = any>(kommune: string, role: string, path: string, sub?: string) {
  return http<T>(stack.baseUrl, 'GET', `/api/v1/kommuner/${kommune}${path}`, {
    token: await stack.token(kommune, role, sub),
  });
}

/** Waits until the case list (visibility) shows the case in `step`. */
async function listedIn(kommune: string, role: string, caseId: string, step: string) {
  return eventually(`case ${caseId} listed in ${step}`, async () => {
    const res = await get(kommune, role, `/cases?step=${step}`);
    return res.body.cases.find((c: { caseId: string }) => c.caseId === caseId);
  });
}

describe('Lørenskog Familieveiviseren', () => {
  const kommune = 'lorenskog';

  test('when a veiviser opens a case and it goes to a coordinator decision, then the koordinator holds it and can close it', async () => {
    const c = new CaseClient(stack, kommune);
    const opened = await c.open('veiviser', 'barnehage_skole_ppt', { henvendelsesgjelder: 'barn' });
    expect(opened).toMatchObject({
      step: 'mottak',
      level: 1,
      status: 'open',
      revision: 1,
      holder: { id: 'u-veiviser', role: 'veiviser' },
    });
    expect(opened.allowedEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(['avklarSakstype', 'avsluttVeivisersak', 'byttVeiviser']),
    );

    expect((await c.send('veiviser', 'avklarSakstype', { sakstype: 'koordinator' })).step).toBe(
      'vurdering_koordinator',
    );
    // The saksbehandler sees exactly the one event the role may send here.
    const asSaksbehandler = await c.get('saksbehandler');
    expect(asSaksbehandler.body.allowedEvents.map((e) => e.type)).toEqual(['fattVedtak']);
    const decided = await c.send('saksbehandler', 'fattVedtak', {
      vedtak: 'barnekoordinator',
      vedtaksdato: '2026-01-12',
      koordinator: 'k-17',
    });
    expect(decided).toMatchObject({
      step: 'koordinatorsak',
      level: 3,
      holder: { id: 'k-17', role: 'koordinator' },
    });

    await c.send('koordinator', 'registrerAktivitet', { aktivitet: 'mote' }, 'k-17');
    await c.send('koordinator', 'sendStatusoppdatering', { dato: '2026-02-01' }, 'k-17');
    const closed = await c.send(
      'koordinator',
      'avsluttKoordinatorsak',
      { arsak: 'behovet_er_borte' },
      'k-17',
    );
    expect(closed).toMatchObject({ step: 'avsluttet_koordinator', status: 'closed', revision: 6 });
    expect(closed.path).toEqual([
      'mottak',
      'vurdering_koordinator',
      'koordinatorsak',
      'avsluttet_koordinator',
    ]);

    const history = await get(kommune, 'leder', `/cases/${c.caseId}/history`);
    expect(history.status).toBe(200);
    const moves = history.body.entries.filter((e: { kind: string }) => e.kind !== 'notified');
    expect(moves.map((e: { what: string }) => e.what)).toEqual([
      'opened',
      '— → u-veiviser',
      'avklarSakstype',
      'fattVedtak',
      'u-veiviser → k-17',
      'registrerAktivitet',
      'sendStatusoppdatering',
      'avsluttKoordinatorsak',
    ]);
    expect(moves[3]).toMatchObject({
      actor: { id: 'u-saksbehandler', role: 'saksbehandler' },
      from: 'vurdering_koordinator',
      to: 'koordinatorsak',
    });

    const listed = await eventually('closed case listed', async () => {
      const res = await get(kommune, 'leder', '/cases?status=closed');
      return res.body.cases.find((x: { caseId: string }) => x.caseId === c.caseId);
    });
    expect(listed).toMatchObject({
      step: 'avsluttet_koordinator',
      level: 1,
      referralSource: 'barnehage_skole_ppt',
    });
  });

  test('when a veivisersak is closed and the family comes back, then the veiviser reopens it the short way', async () => {
    const c = new CaseClient(stack, kommune);
    await c.open('veiviser', 'innbygger', { henvendelsesgjelder: 'familie' });
    expect((await c.send('veiviser', 'avklarSakstype', { sakstype: 'koble_tjenester' })).step).toBe(
      'veivisersak',
    );
    await c.send('veiviser', 'registrerAktivitet', { aktivitet: 'kobling_av_tjenester' });
    const closed = await c.send('veiviser', 'avsluttVeivisersak', { arsak: 'tjenester_koblet' });
    expect(closed.status).toBe('closed');

    const reopened = await http(stack.baseUrl, 'POST', `${c.path}/reopen`, {
      token: await stack.token(kommune, 'veiviser'),
      body: { expectedRevision: closed.revision },
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({
      step: 'veivisersak',
      status: 'open',
      revision: closed.revision + 1,
    });
  });

  test('when cases are open in several steps, then the list filters by step, level, holder and status and pages with a cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = new CaseClient(stack, kommune);
      await c.open('veiviser', 'nav', { henvendelsesgjelder: 'ungdom' }, 'veiviser-paging');
      ids.push(c.caseId);
    }
    const mine = await eventually('three cases of veiviser-paging', async () => {
      const res = await get(
        kommune,
        'leder',
        '/cases?holder=veiviser-paging&step=mottak&level=1&status=open',
      );
      return res.body.cases.length === 3 ? res.body.cases : undefined;
    });
    expect(mine.map((x: { caseId: string }) => x.caseId).sort()).toEqual([...ids].sort());

    const page1 = await get(kommune, 'leder', '/cases?holder=veiviser-paging&pageSize=2');
    expect(page1.body.cases).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await get(
      kommune,
      'leder',
      `/cases?holder=veiviser-paging&pageSize=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.cases).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    const all = [...page1.body.cases, ...page2.body.cases]
      .map((x: { caseId: string }) => x.caseId)
      .sort();
    expect(all).toEqual([...ids].sort());

    const otherFilters = await get(
      kommune,
      'leder',
      '/cases?holder=veiviser-paging&pageSize=2&level=2&cursor=' + page1.body.nextCursor,
    );
    expect(otherFilters.status).toBe(400);
  });

  test('when statistics are read, then they count cases per referral source and month, open per step, the funnel and time in step', async () => {
    // Openings are in the store when they answer; the commands' facts a moment later.
    const stats = await eventually('stats with the earlier cases and their commands', async () => {
      const res = await get(kommune, 'leder', '/stats');
      const body = res.body;
      const mottak = body.timeInStep.steps.find((s: { step: string }) => s.step === 'mottak');
      const reopened = body.openByLevelAndStep.some(
        (o: { step: string }) => o.step === 'veivisersak',
      );
      return body.totalCases >= 5 &&
        body.funnel.find((f: { step: string }) => f.step === 'koordinatorsak').entered >= 1 &&
        mottak?.completedVisits >= 2 &&
        reopened
        ? body
        : undefined;
    });
    const month = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Oslo',
      year: 'numeric',
      month: '2-digit',
    })
      .format(new Date())
      .slice(0, 7);
    expect(stats.newCasesPerMonth).toEqual(
      expect.arrayContaining([
        { month, referralSource: 'nav', count: 3 },
        { month, referralSource: 'innbygger', count: 1 },
      ]),
    );
    expect(stats.openByLevelAndStep).toEqual(
      expect.arrayContaining([
        { level: 1, step: 'mottak', count: 3 },
        { level: 2, step: 'veivisersak', count: 1 },
      ]),
    );
    expect(stats.funnel.map((f: { step: string }) => f.step)).toEqual(
      Object.keys(stack.configs.get(kommune)!.steps),
    );
    expect(stats.funnel.find((f: { step: string }) => f.step === 'mottak').entered).toBe(5);
    const mottak = stats.timeInStep.steps.find((s: { step: string }) => s.step === 'mottak');
    expect(mottak.completedVisits).toBe(2);
    expect(mottak.ongoing).toBe(3);
    // Both visits lasted seconds: 0 days at the statistics' 0.01-day resolution (a count in
    // milliseconds or hours would not be 0, and no visits would be null).
    expect(mottak).toMatchObject({ medianDays: 0, meanDays: 0 });
    expect(stats.overdue).toEqual({ flagged: 0, pastDue: 0, byStep: [] });
  });
});

describe('Nye Øygarden familielosen', () => {
  const kommune = 'oygarden';

  test('when a worry scores high, then the case passes the talk, consent and the resource team to a familielos at level 3', async () => {
    const c = new CaseClient(stack, kommune);
    const opened = await c.open('tjenesteyter', 'barnehage', {
      arena: 'barnehage',
      barnetsAlder: 5,
    });
    expect(opened).toMatchObject({ step: 'undring', level: 0 });

    const scored = await c.send('tjenesteyter', 'registrerVurdering', {
      risikofaktorer: { hoytFravaer: true, foresatteUnderPress: true },
    });
    expect(scored).toMatchObject({ step: 'avklaringssamtale', level: 1 });

    // Without consent the case cannot go to the resource team: the gate target requires it.
    const refused = await c.trySend('tjenesteyter', 'registrerAvklaringssamtale', {
      utfall: 'ressursteam',
      ansvarlig: 'rt-1',
    });
    expect(refused.status).toBe(422);
    expect((refused.body as any).error.code).toBe('CONSENT_MISSING');

    await c.send('tjenesteyter', 'registrerSamtykke', { gittAv: 'parent' });
    const toTeam = await c.send('tjenesteyter', 'registrerAvklaringssamtale', {
      utfall: 'ressursteam',
      ansvarlig: 'rt-1',
      samtaledukBrukt: true,
    });
    expect(toTeam).toMatchObject({
      step: 'ressursteam',
      level: 2,
      holder: { id: 'rt-1', role: 'ressursteam' },
    });

    const toLos = await c.send(
      'ressursteam',
      'registrerRessursteammote',
      {
        utfall: 'familielos',
        barnetsStemme: true,
        ansvarlig: 'los-1',
        moteFrekvens: 'P1M',
        forsteFamilieteammote: '2026-12-15',
      },
      'rt-1',
    );
    expect(toLos).toMatchObject({
      step: 'familielos',
      level: 3,
      holder: { id: 'los-1', role: 'familielos' },
    });

    const meeting = await c.send(
      'familielos',
      'registrerFamilieteammote',
      {
        nesteMote: '2027-01-15',
        aksjonspunkter: [{ title: 'Søke fritidsaktivitet', responsible: 'foresatt' }],
      },
      'los-1',
    );
    expect(meeting.actionPoints).toEqual([
      expect.objectContaining({ title: 'Søke fritidsaktivitet', status: 'open' }),
    ]);

    const history = await get(kommune, 'familielos', `/cases/${c.caseId}/history`, 'los-1');
    expect(
      history.body.entries.filter((e: any) => e.from !== e.to && e.to).map((e: any) => e.to),
    ).toEqual(
      expect.arrayContaining(['undring', 'avklaringssamtale', 'ressursteam', 'familielos']),
    );
    // Visibility knows the holder by pseudonym only; the leader does not hold the case.
    expect(await listedIn(kommune, 'leder', c.caseId, 'familielos')).toMatchObject({
      level: 3,
      heldByYou: false,
      holderPseudonym: expect.stringMatching(/^p-/),
    });
    // The kindergarten employee handed the case on and sees only their own cases: it is gone for them.
    expect((await c.get('tjenesteyter')).status).toBe(404);

    const stats = await eventually('funnel through familielos', async () => {
      const res = await get(kommune, 'leder', '/stats');
      return res.body.funnel.find((f: any) => f.step === 'familielos').entered === 1
        ? res.body
        : undefined;
    });
    expect(stats.funnel.filter((f: any) => f.entered > 0).map((f: any) => f.step)).toEqual([
      'undring',
      'avklaringssamtale',
      'ressursteam',
      'familielos',
    ]);
  });

  test('when a parent (foresatt) looks at a case they are not part of, then it does not exist for them', async () => {
    const c = new CaseClient(stack, kommune);
    await c.open('tjenesteyter', 'skole', { arena: 'skole', barnetsAlder: 9 });
    const asParent = await c.get('foresatt', 'parent-1');
    expect(asParent.status).toBe(404);
    expect((asParent.body as any).error.code).toBe('CASE_NOT_FOUND');
    const list = await get(kommune, 'foresatt', '/cases', 'parent-1');
    expect(list.body.cases).toEqual([]);
    expect((await get(kommune, 'foresatt', '/stats', 'parent-1')).status).toBe(403);
  });
});

describe('NAV HOLF', () => {
  const kommune = 'nav-holf';
  const intake = holfIntake();
  const fge = { forberedelse: 'Mål for møtet', gjennomforing: 'Plan', etterrefleksjon: 'Gikk bra' };

  test('when a family meets the criteria and consents, then the coordinator maps, plans, follows up and completes', async () => {
    const c = new CaseClient(stack, kommune);
    const opened = await c.open('nav_veileder', 'nav_sosialtjeneste', intake);
    expect(opened).toMatchObject({
      step: 'vurdering',
      level: 0,
      holder: { id: 'fk-1', role: 'familiekoordinator' },
    });
    // The NAV adviser who proposed the family sees only their own cases: this one is the coordinator's.
    expect((await c.get('nav_veileder')).status).toBe(404);
    // The leader sees every case and may change coordinator, but not decide inclusion.
    const notMine = await c.trySend('leder', 'vurderInklusjon');
    expect(notMine.status).toBe(403);
    expect((notMine.body as any).error).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
      allowedEvents: ['byttFamiliekoordinator'],
    });

    const fk = (type: string, payload?: unknown) =>
      c.send('familiekoordinator', type, payload, 'fk-1');
    expect((await fk('vurderInklusjon')).step).toBe('invitasjon');
    expect((await fk('registrerSamtykke', { gittAv: 'parent' })).step).toBe('familiekartlegging');
    const mapped = await fk('registrerKartlegging', {
      kartlegging: {
        arbeid: { situasjon: 'Uten arbeid' },
        okonomi: { situasjon: 'Sosialhjelp' },
        bolig: { situasjon: 'Leier' },
        barn: [{ barnRef: 'barn-a', alder: 7, situasjon: 'Trives på skolen' }],
      },
    });
    expect(mapped.step).toBe('familieplan');
    const planned = await fk('registrerFamilieplan', {
      familieplan: {
        mal: [{ familiemedlem: 'forelder-a', malomrade: 'arbeid', mal: 'Arbeidspraksis' }],
      },
      aktiviteter: [{ title: 'Møte med arbeidsgiver', responsible: 'fk-1', due: '2027-02-01' }],
    });
    expect(planned).toMatchObject({ step: 'oppfolging', level: 3 });
    await fk('registrerMote', { dato: '2027-01-10', fge });
    expect(
      (
        await fk('kallInnSamarbeidsmote', {
          dato: '2027-01-20',
          deltakere: [{ id: 'nav-2', role: 'NAV' }],
        })
      ).step,
    ).toBe('samarbeidsmote');
    expect((await fk('registrerSamarbeidsmote', { dato: '2027-01-20', fge })).step).toBe(
      'oppfolging',
    );
    const done = await fk('avsluttOppfolging', { arsak: 'i_arbeid' });
    expect(done).toMatchObject({ step: 'avsluttet_fullfort', status: 'closed' });

    const snapshot = await c.get('leder');
    expect(snapshot.body).toMatchObject({
      status: 'closed',
      team: [{ id: 'nav-2', role: 'NAV' }],
      allowedEvents: [],
    });
    const history = await get(kommune, 'leder', `/cases/${c.caseId}/history`);
    expect(history.body.entries.filter((e: any) => e.kind === 'event')).toHaveLength(8);
    expect(await listedIn(kommune, 'leder', c.caseId, 'avsluttet_fullfort')).toMatchObject({
      status: 'closed',
    });
  });

  test('when a family does not meet the criteria, then the case ends in ikke_inkludert', async () => {
    const c = new CaseClient(stack, kommune);
    await c.open(
      'familiekoordinator',
      'familien_selv',
      { ...intake, antallBarnUnder18Hjemme: 0 },
      'fk-1',
    );
    const result = await c.send('familiekoordinator', 'vurderInklusjon', {}, 'fk-1');
    expect(result).toMatchObject({
      step: 'ikke_inkludert',
      status: expect.not.stringMatching(/^open$/),
    });
  });
});

describe('config and statechart', () => {
  test('when the visualizer asks for a config version, then it gets the steps as nodes with levels and the transitions as edges with gates', async () => {
    const config = await get('oygarden', 'leder', '/config');
    expect(config.body).toMatchObject({
      kommune: 'oygarden',
      version: 1,
      config: { id: 'oygarden' },
    });
    const chart = await get('oygarden', 'leder', '/config/statechart?version=1');
    expect(chart.status).toBe(200);
    expect(chart.body.initial).toBe('undring');
    expect(chart.body.nodes.find((n: any) => n.id === 'familielos')).toMatchObject({
      level: 3,
      holderRole: 'familielos',
      final: null,
    });
    const gates = chart.body.edges.filter(
      (e: any) => e.from === 'undring' && e.event === 'registrerVurdering',
    );
    expect(gates.map((g: any) => [g.to, g.gate.index, g.gate.of])).toEqual([
      ['avklaringssamtale', 0, 2],
      ['undring', 1, 2],
    ]);
    expect(gates[0].gate.description).toMatch(/minst 4/);
    expect(chart.body.edges.some((e: any) => e.kind === 'reopen' && e.to === 'familielos')).toBe(
      true,
    );
    expect((await get('oygarden', 'leder', '/config/statechart?version=7')).body.error.code).toBe(
      'CONFIG_VERSION_NOT_FOUND',
    );
  });
});
