/**
 * The family's page for their case in a real browser against the real stack (Temporal dev
 * server, worker, API), with Lørenskog's seed: a parent the veiviser added reads the case in
 * plain words, consents and withdraws from the page (the engine decides, and a service can no
 * longer be connected), sees the case move when the veiviser advances it, without reloading;
 * another family's member gets exactly the answer of a missing case; the view never carries a
 * field or timer id; a page that missed a change or could not read the case for a moment
 * catches up by itself; and axe finds nothing serious on a laptop or a phone. The pages here sign
 * in with a development bearer token (the cookie sign-in is in family-journey.test.ts).
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { http } from '../server/api-stack';
import type { CaseClient } from '../server/case-client';
import { axeFindings } from '../visualizer/support/axe';
import { screenshot } from '../visualizer/support/browser';
import { useFamilyPageStack } from './family-page-stack';

jest.setTimeout(180_000);

const fx = useFamilyPageStack();
const { familyCase, openAs } = fx;
let mine: CaseClient;
let theirs: CaseClient;

/** The coordinator acts on the case as it is now (the family may have moved it meanwhile). */
async function asVeiviser(c: CaseClient, type: string, payload: unknown = {}) {
  c.revision = (await c.get('veiviser', 'veiviser-1')).body.revision;
  return c.trySend('veiviser', type, payload, 'veiviser-1');
}

/** Waits for the page's status line to say `expected`; if it never does, fails with what it says. */
async function messageSays(page: Page, expected: string | RegExp) {
  const status = page.locator('#melding');
  const text =
    typeof expected === 'string'
      ? new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
      : expected;
  try {
    await page.locator('#melding', { hasText: text }).waitFor({ timeout: 30_000 });
  } catch {
    throw new Error(
      `the status line says «${await status.textContent()}», not ${String(expected)}`,
    );
  }
}

beforeAll(async () => {
  mine = await familyCase('foresatt-1');
  theirs = await familyCase('foresatt-2');
});

test('when a parent consents and then withdraws on the page, the engine records both and the veiviser can no longer connect a service', async () => {
  const page = await openAs('foresatt-1', mine.caseId);
  await page.getByText('En veiviser hjelper dere', { exact: true }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('nb');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Saken din');
  expect(await page.getByRole('main').count()).toBe(1);
  // Which staff roles have looked at the case (#19): by role title, never by name.
  const looked = page.getByRole('region', { name: 'Hvem har sett saken' });
  await looked.waitFor();
  expect(await looked.innerText()).not.toContain('veiviser-1');

  for (const [width, height, name] of [
    [1366, 768, 'family-case-laptop'],
    [390, 844, 'family-case-phone'],
  ] as const) {
    await page.setViewportSize({ width, height });
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, name);
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  await page.getByLabel('Jeg har lest dette og samtykker.').check();
  await page.getByRole('button', { name: 'Gi samtykke' }).click();
  await page.getByText(/^Gitt av en forelder/).waitFor();
  expect((await asVeiviser(mine, 'kobleTjenester', { tjeneste: 'nav' })).status).toBe(200);
  await page.getByText('En ny tjeneste ble koblet på saken.').waitFor();

  await page.getByRole('button', { name: 'Trekk samtykket' }).click();
  await page.getByRole('button', { name: 'Ja, trekk samtykket' }).click();
  // The page's own answer first: if the withdrawal was refused, the failure names why.
  await messageSays(page, 'Samtykket er trukket.');
  await page.getByText(/^Trukket /).waitFor();
  await page.getByText('Samtykket ble trukket tilbake.').waitFor();

  const snapshot: any = (await mine.get('veiviser', 'veiviser-1')).body;
  expect(snapshot.consents.tverrfaglig_samarbeid).toMatchObject({
    givenBy: 'parent',
    via: 'family',
    withdrawnAt: expect.any(String),
  });
  const refused = await asVeiviser(mine, 'kobleTjenester', { tjeneste: 'nav' });
  expect(refused.status).toBe(422);
  expect((refused.body as any).error.code).toBe('CONSENT_MISSING');
  await page.close();
});

test('when the veiviser advances the case through the API, the open page shows the new step in plain words without reloading', async () => {
  const page = await openAs('foresatt-1', mine.caseId);
  await page.getByText('En veiviser hjelper dere', { exact: true }).waitFor();
  await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));

  expect((await asVeiviser(mine, 'sokKoordinator')).status).toBe(200);
  await page.getByText('Vi vurderer om dere får koordinator', { exact: true }).waitFor();
  await page.getByText(/^Svar på om dere får koordinator, senest: \d+\. \p{L}+ \d{4}$/u).waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(
    true,
  );
  await page
    .getByRole('status')
    .getByText(/Saken er oppdatert/)
    .waitFor();
  await screenshot(page, 'family-case-moved');
  await page.close();
});

test("when another family's member opens the case, they get exactly what a missing case gives", async () => {
  const token = await fx.stack.token('lorenskog', 'foresatt', 'foresatt-2');
  const notTheirs = await http(
    fx.stack.baseUrl,
    'GET',
    `/api/v1/kommuner/lorenskog/cases/${mine.caseId}/family`,
    { token },
  );
  const missing = await http(
    fx.stack.baseUrl,
    'GET',
    `/api/v1/kommuner/lorenskog/cases/${mine.caseId.slice(0, -2)}zz/family`,
    { token },
  );
  expect([notTheirs.status, notTheirs.body.error.code]).toEqual([404, 'CASE_NOT_FOUND']);
  expect([missing.status, missing.body.error.code]).toEqual([404, 'CASE_NOT_FOUND']);

  const page = await openAs('foresatt-2', mine.caseId);
  await page.getByText(/Vi finner ikke denne saken/).waitFor();
  const text = await page.locator('#sak').textContent();
  await page.goto(`${fx.stack.baseUrl}/familie/lorenskog/sak/${mine.caseId.slice(0, -2)}zz`);
  await page.getByText(/Vi finner ikke denne saken/).waitFor();
  expect(await page.locator('#sak').textContent()).toBe(text);
  await page.close();

  // Their own case they do see; staff are sent to the case itself.
  const own = await http(
    fx.stack.baseUrl,
    'GET',
    `/api/v1/kommuner/lorenskog/cases/${theirs.caseId}/family`,
    { token },
  );
  expect(own.status).toBe(200);
  const staff = await http(
    fx.stack.baseUrl,
    'GET',
    `/api/v1/kommuner/lorenskog/cases/${theirs.caseId}/family`,
    { token: await fx.stack.token('lorenskog', 'veiviser', 'veiviser-1') },
  );
  expect([staff.status, staff.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
});

test('when the family reads their view, no field id, timer id, form or person id is in it', async () => {
  const token = await fx.stack.token('lorenskog', 'foresatt', 'foresatt-1');
  const view = await http(
    fx.stack.baseUrl,
    'GET',
    `/api/v1/kommuner/lorenskog/cases/${mine.caseId}/family`,
    { token },
  );
  expect(view.status).toBe(200);
  const snapshot: any = (await mine.get('veiviser', 'veiviser-1')).body;
  const strings = new Set<string>();
  JSON.stringify(view.body, (key, value: unknown) => {
    strings.add(key);
    if (typeof value === 'string') strings.add(value);
    return value;
  });
  const raw = [
    ...Object.keys(snapshot.data),
    ...snapshot.timers.flatMap((t: { timerId: string; key: string }) => [t.timerId, t.key]),
    'payloadSchema',
    'data',
    'veiviser-1',
    'foresatt-1',
  ];
  expect(raw.filter((id) => strings.has(id))).toEqual([]);
  expect(snapshot.timers.length).toBeGreaterThan(0);
});

test("when staff changed the case after the page last read it, the family's consent still goes through against the case as it now is", async () => {
  const page = await fx.browser.context.newPage();
  page.on('pageerror', (e) => fx.pageErrors.push(e.message));
  // No live updates: the page keeps the revision it first read.
  await page.route('**/stream', (route) => route.abort());
  const token = await fx.stack.token('lorenskog', 'foresatt', 'foresatt-2');
  await page.setExtraHTTPHeaders({ Authorization: `Bearer ${token}` });
  await page.goto(`${fx.stack.baseUrl}/familie/lorenskog/sak/${theirs.caseId}`);
  await page.getByText('Ikke gitt.', { exact: true }).waitFor();
  const before = (await theirs.get('veiviser', 'veiviser-1')).body.revision;

  const added = await asVeiviser(theirs, 'leggTilFamilie', {
    familiemedlem: { id: 'foresatt-3', role: 'foresatt' },
  });
  expect(added.status).toBe(200);
  await page.getByLabel('Jeg har lest dette og samtykker.').check();
  await page.getByRole('button', { name: 'Gi samtykke' }).click();
  await messageSays(page, 'Samtykket er gitt.');
  await page.getByText(/^Gitt av en forelder/).waitFor();

  const after: any = (await theirs.get('veiviser', 'veiviser-1')).body;
  expect(after.revision).toBe(before + 2);
  expect(after.consents.tverrfaglig_samarbeid).toMatchObject({ givenBy: 'parent', via: 'family' });
  await page.close();
});

test('when the case cannot be read for a moment, the open page keeps what it shows, says so, and catches up by itself', async () => {
  const page = await openAs('foresatt-2', theirs.caseId);
  await page.getByText('En veiviser hjelper dere', { exact: true }).waitFor();
  let failures = 2;
  await page.route('**/family', (route) =>
    failures-- > 0
      ? route.fulfill({
          status: 503,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '1' },
          body: JSON.stringify({ error: { code: 'SERVER_BUSY', message: 'busy', nb: 'Opptatt.' } }),
        })
      : route.continue(),
  );

  expect((await asVeiviser(theirs, 'sokKoordinator')).status).toBe(200);
  await page.getByText('Vi får ikke hentet saken akkurat nå. Vi prøver igjen om litt.').waitFor();
  // What was on screen stays while the page waits to read again.
  await page.getByText('En veiviser hjelper dere', { exact: true }).waitFor();
  await page.getByText('Vi vurderer om dere får koordinator', { exact: true }).waitFor();
  await messageSays(page, /^Saken er oppdatert/);
  expect(failures).toBeLessThan(0);
  await page.close();
});

test('when a parent downloads a copy of the case from their page, then they get the printable document of their own case with its log', async () => {
  const page = await openAs('foresatt-1', mine.caseId);
  const copy = page.getByRole('region', { name: 'Kopi av saken' });
  await copy.waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    copy.getByRole('button', { name: 'Last ned en kopi av saken' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`sak-${mine.caseId}.html`);
  const path = await download.path();
  const html = readFileSync(path, 'utf8');
  expect(html).toContain('<html lang="nb">');
  expect(html).toContain(`saksnummer ${mine.caseId}`);
  expect(html).toContain('Stafettloggen');
  expect(html).not.toContain('veiviser-1');
  await copy.getByText('Kopien er lastet ned.').waitFor();
  await page.close();
});
