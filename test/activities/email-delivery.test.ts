/**
 * The seeds' messages reach people by e-mail through a real SMTP server started here and a real
 * case worker on the time-skipping Temporal server: Lørenskog's new coordinator gets "Ny
 * koordinatorsak" at the address the leader put in the staff directory, and the parent added to
 * the case gets the feedback link at close; Øygarden's parents get the invitation to the talk at
 * school, and HOLF's family the invitations to take part and to the collaboration meeting, with
 * their coordinator's name; a family with a coordinator gets the yearly survey; a retry sends
 * nothing twice.
 */
import type { AddressObject } from 'mailparser';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, smtpChannel, type Notification } from '../../activities';
import type { Actor } from '../../machines';
import { FeedbackStore, StaffDirectory } from '../../store';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher';
import { startTimeSkippingEnv, terminateWhenQuiet, workflowBundle } from '../support/temporal';
import { holfIntake } from '../machines/support';
import { CaseHarness, dateAfter } from '../workflows/case-harness';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
let h: CaseHarness;
let smtp: SmtpCatcher;
const logged: unknown[] = [];
let activities: ReturnType<typeof createActivities>;
let feedback: FeedbackStore;
/**
 * Cases a test leaves open: ended at its end (in `withWorker`), so a later test's skipped year
 * does not run them.
 */
const stillOpen: WorkflowHandle[] = [];

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  env = await startTimeSkippingEnv();
  h = await CaseHarness.create(env.client);
  const staff = new StaffDirectory(h.db, h.sealer);
  feedback = new FeedbackStore(h.db);
  await staff.put({
    kommune: 'lorenskog',
    personId: 'koord-1',
    displayName: 'Kari Koordinator',
    email: 'kari.koordinator@lorenskog.example',
    actor: 'leder-1',
  });
  await staff.put({
    kommune: 'nav-holf',
    personId: 'fk-1',
    displayName: 'Fatima Koordinator',
    email: 'fatima.koordinator@nav.example',
    actor: 'leder-1',
  });
  activities = createActivities({
    outbox: h.outbox,
    archive: h.archive,
    caseLog: h.caseLog,
    countOpenCases: async () => 0,
    feedbackLinks: { baseUrl: 'https://sluse.lorenskog.example', tokens: feedback },
    delivery: {
      channels: {
        email: smtpChannel({
          url: smtp.url,
          from: 'Lørenskog kommune <ikke-svar@lorenskog.example>',
        }),
      },
      sent: h.outbox,
      staff: {
        get: async (kommune, id) => {
          const e = await staff.get(kommune, id);
          return e && { ...e, id: e.personId };
        },
        withRole: async () => [],
      },
      now: () => new Date().toISOString(),
    },
    log: (_message, fields) => logged.push(fields),
  });
});

afterEach(async () => {
  // A test that timed out: its worker is gone, so these are ended as they are.
  await Promise.all(stillOpen.splice(0).map((handle) => handle.terminate('test over')));
});

afterAll(async () => {
  await h?.close();
  await env?.teardown();
  await smtp?.close();
});

const mailTo = (address: string, subject?: string) => smtp.mailTo(address, subject);

/** The worker of the test running now; one that timed out is stopped before the next starts. */
let running: { worker: Worker; done: Promise<void> } | undefined;

/** Runs `fn` with a case worker on this file's task queue and activities. */
async function withWorker(fn: () => Promise<void>): Promise<void> {
  if (running) {
    // A test that timed out left its worker polling: one task queue takes one worker here.
    if (running.worker.getState() === 'RUNNING') running.worker.shutdown();
    await running.done.catch(() => undefined);
  }
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: h.taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
  });
  const done = worker.runUntil(async () => {
    try {
      await fn();
    } finally {
      // Ended while this worker still runs, so what they have in flight can finish first.
      await Promise.all(stillOpen.splice(0).map((h) => terminateWhenQuiet(h, 'test over')));
    }
  });
  running = { worker, done };
  await done;
  running = undefined;
}

const veiviser: Actor = { id: 'veiviser-1', role: 'veiviser' };
const saksbehandler: Actor = { id: 'sb-1', role: 'saksbehandler' };

test('when a decision makes someone coordinator, and when a case with a parent closes, then each gets the exact Norwegian e-mail once, the parent with a form link the case history cannot make', async () => {
  await withWorker(async () => {
    // The coordinator, from the staff directory.
    const koord = await h.open('lorenskog', {
      referralSource: 'sykehus',
      payload: { henvendelsesgjelder: 'barn' },
      actor: veiviser,
    });
    stillOpen.push(koord.handle);
    await h.send(koord.handle, 'avklarSakstype', veiviser, { sakstype: 'koordinator' });
    await h.send(koord.handle, 'fattVedtak', saksbehandler, {
      vedtak: 'barnekoordinator',
      vedtaksdato: dateAfter(await env.currentTimeMs(), 0),
      koordinator: 'koord-1',
    });
    const toKoordinator = await mailTo('kari.koordinator@lorenskog.example');
    expect(toKoordinator.subject).toBe('Ny koordinatorsak');
    expect((toKoordinator.from as AddressObject).value[0]).toMatchObject({
      name: 'Lørenskog kommune',
      address: 'ikke-svar@lorenskog.example',
    });
    expect(toKoordinator.text?.trim()).toBe(`Du er koordinator i sak ${koord.caseId}.`);
    expect(toKoordinator.html).toContain('<html lang="nb">');
    expect(toKoordinator.html).toContain(
      `<h1>Ny koordinatorsak</h1><p>Du er koordinator i sak ${koord.caseId}.</p>`,
    );

    // The parent, with the contact details entered when they were added to the case.
    const veivisersak = await h.open('lorenskog', {
      referralSource: 'politi',
      payload: { henvendelsesgjelder: 'familie' },
      actor: veiviser,
    });
    stillOpen.push(veivisersak.handle);
    await h.send(veivisersak.handle, 'avklarSakstype', veiviser, { sakstype: 'koble_tjenester' });
    await h.send(veivisersak.handle, 'leggTilFamilie', veiviser, {
      familiemedlem: {
        id: 'forelder-1',
        role: 'foresatt',
        email: 'ola.forelder@example.no',
        mobile: '+4791234567',
        preferredChannel: 'email',
      },
    });
    await h.send(veivisersak.handle, 'leggTilFamilie', veiviser, {
      familiemedlem: { id: 'forelder-1b', role: 'foresatt', email: 'eva.forelder@example.no' },
    });
    await h.send(veivisersak.handle, 'avsluttVeivisersak', veiviser, { arsak: 'tjenester_koblet' });
    const toParent = await mailTo('ola.forelder@example.no');
    expect(toParent.subject).toBe('Hvordan var samarbeidet med Familieveiviseren?');
    expect(toParent.text?.trim()).toMatch(
      /^Takk for samarbeidet\. Vi vil gjerne høre hvordan du opplevde det\. Svarene er anonyme: https:\/\/sluse\.lorenskog\.example\/tilbakemelding\/[A-Za-z0-9_-]{20,}$/,
    );
    expect(toParent.text).not.toContain('{{');
    expect(toParent.html).toMatch(
      /<p>Takk for samarbeidet\. .* Svarene er anonyme: https:\/\/sluse\.lorenskog\.example\/tilbakemelding\/[A-Za-z0-9_-]{20,}<\/p>/,
    );

    // The mail's token opens the form; what Temporal holds (the link's id) is no working link.
    const token = /\/tilbakemelding\/([A-Za-z0-9_-]+)$/.exec(toParent.text!.trim())![1];
    expect(await feedback.lookup(token)).toMatchObject({ state: 'open', survey: 'veivisersak' });
    // The other parent has a link of their own: each can answer once.
    const toOther = await mailTo('eva.forelder@example.no');
    const otherToken = /\/tilbakemelding\/([A-Za-z0-9_-]+)$/.exec(toOther.text!.trim())![1];
    expect(otherToken).not.toBe(token);
    expect(await feedback.lookup(otherToken)).toMatchObject({ state: 'open' });
    const [link] = (await h.notifications('lorenskog', veivisersak.caseId)).filter(
      (n) => n.kind === 'feedbackLink',
    );
    const linkId = link.link!.slice(link.link!.lastIndexOf('/') + 1);
    // Every payload of the history, decoded (the test worker has no payload codec).
    const history = [
      ...JSON.stringify(await veivisersak.handle.fetchHistory()).matchAll(
        /"data":"([A-Za-z0-9+/=]+)"/g,
      ),
    ]
      .map((m) => Buffer.from(m[1], 'base64').toString('utf8'))
      .join('\n');
    expect(history).toContain(linkId);
    expect(history).not.toContain(token);
    expect(history).not.toContain(otherToken);
    expect(await feedback.lookup(linkId)).toEqual({ state: 'unknown' });

    // Delivering the same notification again (a retry, a replay) sends no second mail and
    // issues no second link.
    const issued = async () =>
      (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM feedback_token'))[0].n;
    const tokensBefore = await issued();
    const before = smtp.received.length;
    await expect(activities.deliverNotification(link)).resolves.toEqual([
      { recipient: { role: 'foresatt', id: 'forelder-1' }, channel: 'email', status: 'sent' },
      { recipient: { role: 'foresatt', id: 'forelder-1b' }, channel: 'email', status: 'sent' },
    ]);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.received.length).toBe(before);
    expect(await issued()).toBe(tokensBefore);
  });
  // Logs carry ids and counts, never an address.
  expect(JSON.stringify(logged)).not.toMatch(/@lorenskog\.example|@example\.no|\+4791234567/);
});

test('when a parent with an e-mail address is on an Øygarden case that moves to level 1, and on a HOLF case invited in and called to a collaboration meeting, then each invitation arrives as the exact Norwegian e-mail', async () => {
  const laerer: Actor = { id: 'laerer-1', role: 'tjenesteyter' };
  const veileder: Actor = { id: 'veileder-1', role: 'nav_veileder' };
  const fk: Actor = { id: 'fk-1', role: 'familiekoordinator' };
  await withWorker(async () => {
    // Øygarden: the teacher puts the parent on the case, and the assessment moves it to level 1.
    const oygarden = await h.open('oygarden', {
      referralSource: 'skole',
      payload: { arena: 'skole', barnetsAlder: 9 },
      actor: laerer,
    });
    stillOpen.push(oygarden.handle);
    await h.send(oygarden.handle, 'leggTilForesatt', laerer, {
      foresatt: { id: 'foresatt-1', role: 'foresatt', email: 'kari.foresatt@example.no' },
    });
    const moved = await h.send(oygarden.handle, 'registrerVurdering', laerer, {
      risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
    });
    expect(moved.state).toMatchObject({ step: 'avklaringssamtale', level: 1 });
    const toTalk = await mailTo('kari.foresatt@example.no');
    expect(toTalk.subject).toBe('Invitasjon til avklaringssamtale');
    expect(toTalk.text?.trim()).toBe(
      'Dere inviteres til en samtale i barnehagen/skolen om hvordan barnet har det, og hva vi kan gjøre sammen. Samtaleduk kan brukes som støtte.',
    );
    expect(toTalk.html).toContain('<h1>Invitasjon til avklaringssamtale</h1>');

    // HOLF: the coordinator adds the parent; their own name comes from the staff directory.
    const holf = await h.open('nav-holf', {
      referralSource: 'nav_sosialtjeneste',
      payload: holfIntake('fk-1'),
      actor: veileder,
    });
    stillOpen.push(holf.handle);
    await h.send(holf.handle, 'leggTilForesatt', fk, {
      foresatt: { id: 'forelder-h1', role: 'foresatt', email: 'per.forelder@example.no' },
    });
    await h.send(holf.handle, 'vurderInklusjon', fk);
    const invited = await mailTo('per.forelder@example.no', 'Invitasjon til helhetlig oppfølging');
    expect(invited.text?.trim()).toBe(
      'Dere inviteres til å få en familiekoordinator i NAV som hjelper hele familien med arbeid, økonomi, bolig og barnas situasjon. Deltakelse er frivillig. Fatima Koordinator i NAV tar kontakt med dere for å fortelle mer.',
    );
    await h.send(holf.handle, 'registrerSamtykke', fk, { gittAv: 'parent' });
    await h.send(holf.handle, 'registrerKartlegging', fk, {
      kartlegging: {
        arbeid: { situasjon: 'a' },
        okonomi: { situasjon: 'b' },
        bolig: { situasjon: 'c' },
        barn: [{ barnRef: 'b1', alder: 7, situasjon: 'd' }],
      },
    });
    await h.send(holf.handle, 'registrerFamilieplan', fk, {
      familieplan: { mal: [{ familiemedlem: 'far', malomrade: 'arbeid', mal: 'Fast jobb' }] },
      aktiviteter: [{ title: 'Søke fritidskort', responsible: 'mor' }],
    });
    const called = await h.send(holf.handle, 'kallInnSamarbeidsmote', fk, {
      deltakere: [{ id: 'skole-1', title: 'Kontaktlærer' }],
    });
    expect(called.state.step).toBe('samarbeidsmote');
    const meeting = await mailTo('per.forelder@example.no', 'Invitasjon til samarbeidsmøte');
    expect(meeting.text?.trim()).toMatch(
      /^Dere inviteres til et samarbeidsmøte med tjenestene som hjelper familien\. Møtet holdes senest \d{1,2}\. [a-zø]+ \d{4}\. Familiekoordinatoren deres, Fatima Koordinator, tar kontakt for å avtale tid og sted\.$/,
    );
    expect(meeting.text).not.toContain('{{');
  });
  expect(JSON.stringify(logged)).not.toMatch(/@example\.no|@nav\.example/);
});

test("when a test's case is ended with its invitation still on the way, then the file's next skipped month still passes in virtual time", async () => {
  await withWorker(async () => {
    const holf = await h.open('nav-holf', {
      referralSource: 'nav_sosialtjeneste',
      payload: holfIntake('fk-1'),
      actor: { id: 'veileder-1', role: 'nav_veileder' },
    });
    stillOpen.push(holf.handle);
    const fk: Actor = { id: 'fk-1', role: 'familiekoordinator' };
    await h.send(holf.handle, 'leggTilForesatt', fk, {
      foresatt: { id: 'forelder-h2', role: 'foresatt', email: 'eva.forelder@example.no' },
    });
    // Its invitation's delivery is scheduled as this answers; the case ends right after.
    await h.send(holf.handle, 'vurderInklusjon', fk);
  });
  // Ended with the delivery in flight, the Java server would hold time skipping for good: this
  // sleep would run in real time and the test time out.
  const before = await env.currentTimeMs();
  await env.sleep(30 * 24 * 3_600_000);
  expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(30 * 24 * 3_600_000);
});

test('when a family has had a coordinator for a year, then the parent on the case gets the yearly survey by e-mail, with a link to its form', async () => {
  const koordinator: Actor = { id: 'koord-1', role: 'koordinator' };
  await withWorker(async () => {
    const c = await h.open('lorenskog', {
      referralSource: 'sykehus',
      payload: { henvendelsesgjelder: 'barn' },
      actor: veiviser,
    });
    stillOpen.push(c.handle);
    await h.send(c.handle, 'avklarSakstype', veiviser, { sakstype: 'koordinator' });
    await h.send(c.handle, 'fattVedtak', saksbehandler, {
      vedtak: 'barnekoordinator',
      vedtaksdato: dateAfter(await env.currentTimeMs(), 0),
      koordinator: 'koord-1',
    });
    await h.send(c.handle, 'leggTilFamilie', koordinator, {
      familiemedlem: { id: 'forelder-3', role: 'foresatt', email: 'liv.forelder@example.no' },
    });
    expect(smtp.received.some((m) => m.subject === 'Årlig tilbakemelding om koordinator')).toBe(
      false,
    );
    await env.sleep(366 * 24 * 3_600_000);
    const survey = await mailTo('liv.forelder@example.no', 'Årlig tilbakemelding om koordinator');
    expect(survey.text?.trim()).toMatch(
      /^En gang i året spør vi familier med barnekoordinator\/koordinator hvordan de opplever oppfølgingen\. Svarene er anonyme: https:\/\/sluse\.lorenskog\.example\/tilbakemelding\/[A-Za-z0-9_-]{20,}$/,
    );
    const token = /\/tilbakemelding\/([A-Za-z0-9_-]+)$/.exec(survey.text!.trim())![1];
    expect(await feedback.lookup(token)).toMatchObject({
      state: 'open',
      survey: 'koordinatorArlig',
    });
  });
});

test('when a coordinator sends a status update in a quiet period, then the parent on the case gets the exact Norwegian e-mail naming the step and the coordinator', async () => {
  const koordinator: Actor = { id: 'koord-1', role: 'koordinator' };
  await withWorker(async () => {
    const c = await h.open('lorenskog', {
      referralSource: 'sykehus',
      payload: { henvendelsesgjelder: 'barn' },
      actor: veiviser,
    });
    stillOpen.push(c.handle);
    await h.send(c.handle, 'avklarSakstype', veiviser, { sakstype: 'koordinator' });
    await h.send(c.handle, 'fattVedtak', saksbehandler, {
      vedtak: 'barnekoordinator',
      vedtaksdato: dateAfter(await env.currentTimeMs(), 0),
      koordinator: 'koord-1',
    });
    await h.send(c.handle, 'leggTilFamilie', koordinator, {
      familiemedlem: { id: 'forelder-4', role: 'foresatt', email: 'per.forelder@example.no' },
    });
    await h.send(c.handle, 'sendStatusoppdatering', koordinator, {
      dato: dateAfter(await env.currentTimeMs(), 0),
    });
    const mail = await mailTo(
      'per.forelder@example.no',
      'Status i saken din hos Familieveiviseren',
    );
    expect(mail.text?.trim()).toBe(
      'Hei! Dette er en statusoppdatering fra Lørenskog kommune – Familieveiviseren. Saken deres er i steget «Barnekoordinator/koordinator», og Kari Koordinator følger den opp. Det har vært lite kontakt en stund, men saken er ikke glemt. Ta gjerne kontakt med Kari Koordinator hvis dere lurer på noe.',
    );
    expect(mail.html).toContain('lang="nb"');
    expect(
      smtp.received.filter((m) => m.subject === 'Status i saken din hos Familieveiviseren'),
    ).toHaveLength(1);
  });
});

test('when a family member has no contact details, then delivery says so for them and sends nothing', async () => {
  const n: Notification = {
    key: 'test/no-contact/1',
    kommune: 'lorenskog',
    caseId: 'c1',
    kind: 'notify',
    to: 'foresatt',
    template: 't',
    title: 'Tittel',
    body: 'Tekst',
    reason: 'test',
    createdAt: new Date().toISOString(),
    recipients: [{ kind: 'family', id: 'forelder-2', role: 'foresatt' }],
  };
  const before = smtp.received.length;
  await expect(activities.deliverNotification(n)).resolves.toEqual([
    {
      recipient: { role: 'foresatt', id: 'forelder-2' },
      channel: null,
      status: 'failed',
      error: 'NO_CONTACT_DETAILS',
    },
  ]);
  expect(smtp.received.length).toBe(before);
});
