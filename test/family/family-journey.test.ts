/**
 * The families' door as one walk (#13), in a real browser against the real stack and the
 * embedded identity provider, signed in with the session cookie alone: a worried parent takes
 * Lørenskog's screening anonymously (no cookie), asks for a talk, signs in, confirms, and the case
 * opens with them on it; they follow it on their own page while the veiviser moves it through the
 * API, and give and withdraw consent there (the page carries the session's CSRF token); a youth
 * of 15 walks the same way for themselves while a 14-year-old is refused and opens nothing; and
 * Øygarden's online sluice runs from its public page.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { FileOutbox } from '../../activities';
import { startFamilyDevIdp, type FamilyDevIdp } from '../../runtime/family-dev-idp-process';
import { DEV_IDP_CLIENT_ID, DEV_IDP_CLIENT_SECRET } from '../../server/family/dev-people';
import { eventually, http, startApiStack, type ApiStack } from '../server/api-stack';
import { launchBrowser, screenshot, type TestBrowser } from '../visualizer/support/browser';

jest.setTimeout(180_000);

const KOMMUNE = 'lorenskog';
let idp: FamilyDevIdp;
let stack: ApiStack;
let browser: TestBrowser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  idp = await startFamilyDevIdp();
  stack = await startApiStack({
    family: {
      provider: {
        issuer: new URL(idp.issuer),
        clientId: DEV_IDP_CLIENT_ID,
        clientSecret: DEV_IDP_CLIENT_SECRET,
      },
    },
  });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await idp?.stop();
});

afterEach(() => expect(pageErrors).toEqual([]));

/** Every case the walks in this file opened in Lørenskog: nothing else may exist there. */
const opened: string[] = [];

/**
 * The public screening of `kommune` for its first age band, every question answered with the
 * first option (no worry) or the last (the most), up to its result page.
 */
async function screen(kommune: string, answer: 'first' | 'last'): Promise<void> {
  await page.goto(`${stack.baseUrl}/familie/${kommune}/`);
  await page.locator('a.knapp').first().click();
  for (const fieldset of await page.locator('form fieldset').all())
    await fieldset.locator('input[type=radio]')[answer]().check();
  await page.getByRole('button', { name: 'Se resultatet' }).click();
}

/** From a result that recommends a talk, through sign-in at the provider as `person`. */
async function askForTalkAs(person: string): Promise<void> {
  await page.getByRole('button', { name: 'Be om en samtale' }).click();
  await page.getByRole('link', { name: 'Logg inn' }).click();
  await page.waitForURL(/\/interaction\//);
  await page.click(`button[value="${person}"]`);
}

/** …confirms the waiting request, and returns the new case's id from the receipt. */
async function confirmRequest(): Promise<string> {
  await page.waitForURL(/\/kontakt\/bekreft$/);
  await page.getByRole('button', { name: 'Send henvendelsen' }).click();
  await page.waitForURL(/\/kontakt\/mottatt\//);
  const caseId = page.url().split('/').pop()!;
  opened.push(caseId);
  return caseId;
}

/** What the kommune's notification outbox holds for the case (sealed files, read with the key). */
const outboxOf = (caseId: string, kommune = KOMMUNE) =>
  new FileOutbox(join(stack.dataDir, 'outbox'), stack.sealer).list(kommune, caseId);

/** Staff send an event on the case as it is now (the veiviser by default). */
async function asStaff(
  caseId: string,
  type: string,
  payload: unknown = {},
  [role, sub] = ['veiviser', 'veiviser-1'],
  kommune = KOMMUNE,
) {
  const token = await stack.token(kommune, role, sub);
  const path = `/api/v1/kommuner/${kommune}/cases/${caseId}`;
  const { revision } = (await http(stack.baseUrl, 'GET', path, { token })).body;
  return http(stack.baseUrl, 'POST', `${path}/events`, {
    token,
    body: { type, payload, expectedRevision: revision },
  });
}

test('a worried parent screens anonymously, asks for a talk, signs in, and follows the case on their own page as the veiviser moves it, giving and withdrawing consent there', async () => {
  // A low score gives advice and offers, and no way to ask for a talk.
  await screen(KOMMUNE, 'first');
  await page.getByRole('heading', { name: 'Det høres ut som det går greit' }).waitFor();
  expect(await page.getByRole('button', { name: 'Be om en samtale' }).count()).toBe(0);
  await screen(KOMMUNE, 'last');
  await page.getByRole('button', { name: 'Be om en samtale' }).waitFor();
  // Looking and answering leaves nothing in the browser.
  expect(await browser.context.cookies()).toEqual([]);

  await askForTalkAs('forelder-a');
  const caseId = await confirmRequest();

  // The request waits in mottak with no holder: the leader, who sees every case, reads the
  // screening's answers as its intake and hands it to a veiviser.
  const leader = await stack.token(KOMMUNE, 'leder', 'leder-1');
  const read = (token: string) =>
    http(stack.baseUrl, 'GET', `/api/v1/kommuner/${KOMMUNE}/cases/${caseId}`, { token });
  expect((await read(leader)).body).toMatchObject({
    step: 'mottak',
    referralSource: 'innbygger',
    data: { ageBand: 'barn-og-unge', answers: { endring: 'ja', sliten: 'ja' } },
  });
  // No age is recorded for a parent: theirs says nothing about the child's.
  expect((await read(leader)).body.data).not.toHaveProperty('barnetsAlder');
  // Nobody holds it yet, so the config tells the leader that a family's request waits.
  const waiting = await eventually('the leader is told', async () =>
    (await outboxOf(caseId)).find((n) => n.to === 'leder'),
  );
  expect(waiting).toMatchObject({ kind: 'notify', title: 'Ny henvendelse fra en familie venter' });
  const staff = await stack.token(KOMMUNE, 'veiviser', 'veiviser-1');
  expect((await read(staff)).status).toBe(404);
  const handover = await asStaff(caseId, 'byttVeiviser', { ansvarlig: 'veiviser-1' }, [
    'leder',
    'leder-1',
  ]);
  expect(handover.status).toBe(200);
  expect((await read(staff)).body.holder).toMatchObject({ id: 'veiviser-1' });

  await page.getByRole('link', { name: 'Se saken din' }).click();
  await page.getByText('Vi har fått henvendelsen', { exact: true }).waitFor();
  await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));

  expect((await asStaff(caseId, 'avklarSakstype', { sakstype: 'koble_tjenester' })).status).toBe(
    200,
  );
  await page.getByText('En veiviser hjelper dere', { exact: true }).waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(
    true,
  );

  await page.getByLabel('Jeg har lest dette og samtykker.').check();
  await page.getByRole('button', { name: 'Gi samtykke' }).click();
  await page.getByText(/^Gitt av en forelder/).waitFor();
  await page.getByRole('button', { name: 'Trekk samtykket' }).click();
  await page.getByRole('button', { name: 'Ja, trekk samtykket' }).click();
  await page.getByText(/^Trukket /).waitFor();

  const after = await read(staff);
  expect(after.body.consents.tverrfaglig_samarbeid).toMatchObject({
    givenBy: 'parent',
    via: 'family',
    withdrawnAt: expect.any(String),
  });
  // As Lørenskog's config has it, a withdrawal does not move the case: it stays a veivisersak
  // (advice and meetings go on), the family's page says so, and connecting a service is refused.
  expect(after.body.step).toBe('veivisersak');
  await page.getByText('En veiviser hjelper dere', { exact: true }).waitFor();
  const refused = await asStaff(caseId, 'kobleTjenester', { tjeneste: 'nav' });
  expect([refused.status, refused.body.error.code]).toEqual([422, 'CONSENT_MISSING']);
});

test('a youth of 15 screens, asks for a talk for themselves, and follows and consents on their own page; a 14-year-old is told why not and opens nothing', async () => {
  const leader = await stack.token(KOMMUNE, 'leder', 'leder-1');
  const read = (caseId: string, token = leader) =>
    http(stack.baseUrl, 'GET', `/api/v1/kommuner/${KOMMUNE}/cases/${caseId}`, { token });

  // The 14-year-old: the same screening and request, refused at sign-in in plain words.
  await browser.context.clearCookies();
  await screen(KOMMUNE, 'last');
  await askForTalkAs('ungdom-14');
  await page.getByRole('heading', { name: 'Du kan ikke logge inn her' }).waitFor();
  expect(await page.textContent('main')).toContain(
    'Du må være minst 15 år for å be om kontakt selv. Snakk med en voksen du stoler på',
  );
  await screenshot(page, 'family-youth-14-refused');

  // The youth of 15, for themselves: Lørenskog's one band is for children and youth (0–18).
  await browser.context.clearCookies();
  await screen(KOMMUNE, 'last');
  await askForTalkAs('ungdom-15');
  const caseId = await confirmRequest();
  const opening = (await read(caseId)).body;
  expect(opening).toMatchObject({
    step: 'mottak',
    referralSource: 'innbygger',
    holder: null,
    // Their age from sign-in is the case's age, which their own consent is checked against.
    data: { ageBand: 'barn-og-unge', barnetsAlder: 15 },
  });
  expect(opening.team).toEqual([expect.objectContaining({ role: 'ungdom' })]);
  await eventually('the leader is told', async () =>
    (await outboxOf(caseId)).find((n) => n.to === 'leder'),
  );

  // No case opened for the 14-year-old: every case the leader sees in the kommune is one these
  // walks opened (the youth's, listed last, shows the list has caught up).
  const listed = await eventually('the youth case is listed', async () => {
    const list = await http(
      stack.baseUrl,
      'GET',
      `/api/v1/kommuner/${KOMMUNE}/cases?pageSize=100`,
      {
        token: leader,
      },
    );
    const ids: string[] = list.body.cases.map((c: { caseId: string }) => c.caseId);
    return ids.includes(caseId) ? ids : undefined;
  });
  expect(listed.filter((id) => !opened.includes(id))).toEqual([]);

  expect(
    (await asStaff(caseId, 'byttVeiviser', { ansvarlig: 'veiviser-1' }, ['leder', 'leder-1']))
      .status,
  ).toBe(200);
  await page.getByRole('link', { name: 'Se saken din' }).click();
  await page.getByText('Vi har fått henvendelsen', { exact: true }).waitFor();
  expect((await asStaff(caseId, 'avklarSakstype', { sakstype: 'koble_tjenester' })).status).toBe(
    200,
  );
  await page.getByText('En veiviser hjelper dere', { exact: true }).waitFor();

  await page.getByLabel('Jeg har lest dette og samtykker.').check();
  await page.getByRole('button', { name: 'Gi samtykke' }).click();
  await page.getByText(/^Gitt av ungdommen selv/).waitFor();
  await screenshot(page, 'family-youth-consent-given');
  const given = (await read(caseId)).body.consents.tverrfaglig_samarbeid;
  expect(given).toMatchObject({ givenBy: 'youth', via: 'family' });
  expect(given.withdrawnAt).toBeUndefined();
  // With the youth's own consent, the veiviser may connect a service.
  expect((await asStaff(caseId, 'kobleTjenester', { tjeneste: 'utekontakt' })).status).toBe(200);

  await page.getByRole('button', { name: 'Trekk samtykket' }).click();
  await page.getByRole('button', { name: 'Ja, trekk samtykket' }).click();
  await page.getByText(/^Trukket /).waitFor();
  const after = (await read(caseId)).body;
  expect(after.consents.tverrfaglig_samarbeid).toMatchObject({
    givenBy: 'youth',
    via: 'family',
    withdrawnAt: expect.any(String),
  });
  expect(after.step).toBe('veivisersak');
});

test("Øygarden's online sluice runs from the public page: a worried parent's screening becomes a case in its first sluice, referred by the parents themselves; their withdrawal of consent on their page moves the case from the resource team back to level 1", async () => {
  await browser.context.clearCookies();
  await page.goto(`${stack.baseUrl}/familie/oygarden/`);
  await page.locator('a.knapp').first().click();
  for (const fieldset of await page.locator('form fieldset').all())
    await fieldset.locator('input[type=radio]').last().check();
  await page.getByRole('button', { name: 'Se resultatet' }).click();
  await page.getByRole('button', { name: 'Be om en samtale' }).click();
  await page.getByRole('link', { name: 'Logg inn' }).click();
  await page.waitForURL(/\/interaction\//);
  await page.click('button[value="forelder-a"]');
  await page.getByRole('button', { name: 'Send henvendelsen' }).click();
  await page.waitForURL(/\/kontakt\/mottatt\//);
  const caseId = page.url().split('/').pop()!;

  const leader = await stack.token('oygarden', 'leder', 'leder-1');
  const asLeader = await http(stack.baseUrl, 'GET', `/api/v1/kommuner/oygarden/cases/${caseId}`, {
    token: leader,
  });
  expect(asLeader.body).toMatchObject({
    step: 'undring',
    referralSource: 'foresatte',
    data: { ageBand: 'barn-0-5' },
  });
  // Nobody holds it yet: the leader hears that a parent's self-assessment waits.
  await eventually('the leader is told', async () =>
    (await outboxOf(caseId, 'oygarden')).find(
      (n) => n.to === 'leder' && n.title === 'Ny egenvurdering fra foresatte',
    ),
  );
  // The parent is on the case: their own page reads it in plain words.
  await page.getByRole('link', { name: 'Se saken din' }).click();
  await page.getByText('Noen lurer på hvordan barnet har det', { exact: true }).waitFor();

  // Staff take it to the resource team with the parents' consent (level 2 requires it)…
  const staff = (type: string, payload: unknown, who: [string, string]) =>
    asStaff(caseId, type, payload, who, 'oygarden');
  const tjenesteyter: [string, string] = ['tjenesteyter', 'ty-1'];
  for (const [type, payload, who] of [
    ['byttStafettholder', { stafettholder: 'ty-1' }, ['leder', 'leder-1']],
    [
      'registrerVurdering',
      { risikofaktorer: { hoytFravaer: true, foresatteUnderPress: true } },
      tjenesteyter,
    ],
    ['registrerSamtykke', { gittAv: 'parent' }, tjenesteyter],
    [
      'registrerAvklaringssamtale',
      { utfall: 'ressursteam', ansvarlig: 'rt-1', ressursteam: 'ressursteam-nord' },
      tjenesteyter,
    ],
  ] as const)
    expect([type, (await staff(type, payload, [...who] as [string, string])).status]).toEqual([
      type,
      200,
    ]);
  await page.getByText('Saken er hos ressursteamet', { exact: true }).waitFor();

  // …and when the parent withdraws it on their page, the case moves as Øygarden's config says:
  // back to level 1 (lavterskeltiltak), where nothing is shared across services.
  await page.getByRole('button', { name: 'Trekk samtykket' }).click();
  await page.getByRole('button', { name: 'Ja, trekk samtykket' }).click();
  await page.getByText('Dere prøver ut tiltak', { exact: true }).waitFor();
  await page.getByText(/^Trukket /).waitFor();
  await screenshot(page, 'family-consent-withdrawn-case-moved');
  const moved = await http(stack.baseUrl, 'GET', `/api/v1/kommuner/oygarden/cases/${caseId}`, {
    token: leader,
  });
  expect(moved.body).toMatchObject({
    step: 'lavterskeltiltak',
    level: 1,
    consents: { deling_ressursteam: { givenBy: 'parent', withdrawnAt: expect.any(String) } },
  });
});
