/**
 * The families' door as one walk (#13), in a real browser against the real stack and the
 * embedded identity provider, signed in with the session cookie alone: a worried parent takes
 * Lørenskog's screening anonymously (no cookie), asks for a talk, signs in, confirms, and the case
 * opens with them on it; they follow it on their own page while the veiviser moves it through the
 * API, and give and withdraw consent there (the page carries the session's CSRF token); and
 * Øygarden's online sluice runs from its public page.
 */
import type { Page } from 'playwright-core';
import { startFamilyDevIdp, type FamilyDevIdp } from '../../runtime/family-dev-idp-process';
import { DEV_IDP_CLIENT_ID, DEV_IDP_CLIENT_SECRET } from '../../server/family/dev-people';
import { http, startApiStack, type ApiStack } from '../server/api-stack';
import { launchBrowser, type TestBrowser } from '../visualizer/support/browser';

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

/** Staff send an event on the case as it is now (the veiviser by default). */
async function asStaff(
  caseId: string,
  type: string,
  payload: unknown = {},
  [role, sub] = ['veiviser', 'veiviser-1'],
) {
  const token = await stack.token(KOMMUNE, role, sub);
  const path = `/api/v1/kommuner/${KOMMUNE}/cases/${caseId}`;
  const { revision } = (await http(stack.baseUrl, 'GET', path, { token })).body;
  return http(stack.baseUrl, 'POST', `${path}/events`, {
    token,
    body: { type, payload, expectedRevision: revision },
  });
}

test('a worried parent screens anonymously, asks for a talk, signs in, and follows the case on their own page as the veiviser moves it, giving and withdrawing consent there', async () => {
  await page.goto(`${stack.baseUrl}/familie/${KOMMUNE}/`);
  await page.locator('a.knapp').first().click();
  for (const fieldset of await page.locator('form fieldset').all())
    await fieldset.locator('input[type=radio]').last().check();
  await page.getByRole('button', { name: 'Se resultatet' }).click();
  await page.getByRole('button', { name: 'Be om en samtale' }).waitFor();
  // Looking and answering leaves nothing in the browser.
  expect(await browser.context.cookies()).toEqual([]);

  await page.getByRole('button', { name: 'Be om en samtale' }).click();
  await page.getByRole('link', { name: 'Logg inn' }).click();
  await page.waitForURL(/\/interaction\//);
  await page.click('button[value="forelder-a"]');
  await page.waitForURL(/\/kontakt\/bekreft$/);
  await page.getByRole('button', { name: 'Send henvendelsen' }).click();
  await page.waitForURL(/\/kontakt\/mottatt\//);
  const caseId = page.url().split('/').pop()!;

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
  // With the consent withdrawn, the veiviser can no longer connect a service.
  const refused = await asStaff(caseId, 'kobleTjenester', { tjeneste: 'nav' });
  expect([refused.status, refused.body.error.code]).toEqual([422, 'CONSENT_MISSING']);
});

test("Øygarden's online sluice runs from the public page: a worried parent's screening becomes a case in its first sluice, referred by the parents themselves", async () => {
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
  // The parent is on the case: their own page reads it in plain words.
  await page.getByRole('link', { name: 'Se saken din' }).click();
  await page.getByText('Noen lurer på hvordan barnet har det', { exact: true }).waitFor();
});
