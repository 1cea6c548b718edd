/**
 * A running case keeps the config version it started on. After a process owner publishes a v2
 * that renames a step and adds one, `GET …/config?version=N` serves each version in full, and the
 * page of a case on v1 draws v1's steps while a case opened since draws v2's. Real dev server,
 * worker, API, config store (PGlite) and Debian's Chromium.
 */
import type { Page } from 'playwright-core';
import type { KommuneConfig } from '../../config';
import { openConfigStore, type OpenedConfigStore } from '../../store';
import { http, startApiStack, type ApiStack } from '../server/api-stack';
import { CaseClient } from '../server/case-client';
import { seedDirWith, testKommune } from '../store/test-kommune';
import { launchBrowser, signIn, type TestBrowser } from './support/browser';
import { memoryDatabase } from '../support/memory-database';
import { expectFitsBothSizes } from './support/fit';

jest.setTimeout(180_000);

const K = 'versjonby';
let opened: OpenedConfigStore;
let stack: ApiStack;
let browser: TestBrowser;
let page: Page;
const pageErrors: string[] = [];
let onV1: CaseClient;

/** v2: «Kartlegging» is now «Utredning» (a new id), and «Oppfølging» follows it. */
function version2(): KommuneConfig {
  const config = testKommune(K);
  const { kartlegging, ...steps } = config.steps;
  return {
    ...config,
    steps: {
      ...steps,
      mottak: { ...steps.mottak, on: { ...steps.mottak.on, henvis: { target: 'utredning' } } },
      utredning: {
        ...kartlegging,
        title: 'Utredning',
        on: { ...kartlegging.on, folgOpp: { target: 'oppfolging' } },
      },
      oppfolging: {
        title: 'Oppfølging',
        level: 2,
        holderRole: 'koordinator',
        on: { avslutt: { target: 'avsluttet' } },
      },
    },
    events: { ...config.events, folgOpp: { title: 'Følg opp', roles: ['koordinator'] } },
  };
}

const config = async (query: string, role = 'koordinator') =>
  http(stack.baseUrl, 'GET', `/api/v1/kommuner/${K}/config${query}`, {
    token: await stack.token(K, role),
  });

beforeAll(async () => {
  opened = await openConfigStore({ ...memoryDatabase(), seedDir: seedDirWith(K) });
  stack = await startApiStack({ configStore: opened.store });
  onV1 = new CaseClient(stack, K);
  await onV1.open('koordinator', 'skole', {});
  await onV1.send('koordinator', 'henvis');

  const owner = await stack.token(K, 'prosesseier', 'po-1');
  const path = `/api/v1/kommuner/${K}/config`;
  expect(
    (
      await http(stack.baseUrl, 'PUT', `${path}/draft`, {
        token: owner,
        body: { config: version2() },
      })
    ).status,
  ).toBe(200);
  const published = await http(stack.baseUrl, 'POST', `${path}/publish`, {
    token: owner,
    body: { comment: 'Kartlegging heter nå utredning' },
  });
  expect(published.body).toMatchObject({ version: 2 });

  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page, stack.baseUrl, await stack.token(K, 'koordinator'));
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await opened?.close();
});

afterEach(() => expect(pageErrors).toEqual([]));

test('when a version is asked for, then GET …/config?version=N answers that version in full, for case roles and process owners alike', async () => {
  const v1 = await config('?version=1');
  expect(v1.status).toBe(200);
  expect(v1.body).toMatchObject({ kommune: K, version: 1 });
  expect(Object.keys(v1.body.config.steps)).toEqual(['mottak', 'kartlegging', 'avsluttet']);
  expect(v1.body.config).toEqual(testKommune(K));

  const v2 = await config('?version=2');
  expect(v2.body.version).toBe(2);
  expect(Object.keys(v2.body.config.steps).sort()).toEqual([
    'avsluttet',
    'mottak',
    'oppfolging',
    'utredning',
  ]);
  expect((await config('')).body.version).toBe(2);
  expect((await config('?version=1', 'prosesseier')).body).toMatchObject({
    version: 1,
    config: { steps: { kartlegging: { title: 'Kartlegging' } } },
  });

  const missing = await config('?version=9');
  expect(missing.status).toBe(404);
  expect(missing.body.error.code).toBe('CONFIG_VERSION_NOT_FOUND');
  expect((await config('?version=latest')).status).toBe(400);
});

test('when a case runs on v1 after v2 renamed and added steps, then its page draws v1 where it stands, and a new case draws v2', async () => {
  expect((await onV1.get('koordinator')).body).toMatchObject({
    configVersion: 1,
    step: 'kartlegging',
  });
  await page.goto(`${stack.baseUrl}/visualizer/saker/${onV1.caseId}`);
  await page.waitForSelector('g.node[data-step="kartlegging"][data-state="current"]');
  const steps = async () =>
    (
      await page
        .locator('svg.diagram g.node[data-step]')
        .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-step')))
    ).sort();
  expect(await steps()).toEqual(['__start__', 'avsluttet', 'kartlegging', 'mottak'].sort());
  expect(await page.textContent('[data-testid=current-step]')).toBe('Kartlegging');
  expect(await page.getAttribute('.diagram-scroll', 'aria-label')).toContain('versjon 1');
  expect(await page.locator('.notice:has-text("slusemodell versjon")').count()).toBe(0);

  const onV2 = new CaseClient(stack, K);
  await onV2.open('koordinator', 'skole', {});
  await onV2.send('koordinator', 'henvis');
  await page.goto(`${stack.baseUrl}/visualizer/saker/${onV2.caseId}`);
  await page.waitForSelector('g.node[data-step="utredning"][data-state="current"]');
  expect(await steps()).toEqual(
    ['__start__', 'avsluttet', 'mottak', 'oppfolging', 'utredning'].sort(),
  );
  expect(await page.textContent('g.node[data-step="oppfolging"] .node-badge')).toContain(
    'Mulig neste',
  );
});

test("when a case stands on a step v2 renamed, then the case list names it by v1's title, not its id", async () => {
  const row = `tr[data-case="${onV1.caseId}"] td[data-label="Steg"]`;
  await page.goto(`${stack.baseUrl}/visualizer/saker`);
  await page.waitForSelector(row);
  expect(await page.innerText(row)).toMatch(/^Kartlegging/);
});

test('when the process owner opens the audit trail, then every change is a sentence (who, when, what, why) in the order the API keeps it, fifty at a time with older ones on request, and it fits a laptop and a phone', async () => {
  const owner = await stack.token(K, 'prosesseier', 'po-1');
  const path = `/api/v1/kommuner/${K}/config`;
  // Enough saved drafts for a second page.
  for (let i = 0; i < 50; i++)
    expect(
      (
        await http(stack.baseUrl, 'PUT', `${path}/draft`, {
          token: owner,
          body: { config: version2() },
        })
      ).status,
    ).toBe(200);
  const all = (await http(stack.baseUrl, 'GET', `${path}/audit?limit=500`, { token: owner })).body
    .entries as Array<{ action: string; reason: string | null }>;
  expect(all.length).toBeGreaterThan(50);

  const tab = await browser.context.newPage();
  tab.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(tab, stack.baseUrl, owner);
  await tab.locator('details.audit > summary').click();
  const rows = tab.locator('.audit-rows > li');
  await rows.nth(49).waitFor();
  expect(await rows.count()).toBe(50);
  await tab.getByRole('button', { name: 'Vis eldre' }).click();
  await rows.nth(all.length - 1).waitFor();
  expect(await rows.count()).toBe(all.length);
  expect(await rows.evaluateAll((li) => li.map((x) => x.getAttribute('data-action')))).toEqual(
    all.map((e) => e.action),
  );
  expect(await tab.getByRole('button', { name: 'Vis eldre' }).count()).toBe(0);
  const published = tab.locator('.audit-rows > li[data-action="published"]');
  expect(await published.innerText()).toMatch(
    /^\d.* – po-1 publiserte versjon 2\.\s+«Kartlegging heter nå utredning»$/,
  );
  expect(await tab.locator('.audit-rows').innerText()).not.toMatch(/draftSaved|published/);
  await expectFitsBothSizes(tab, 'konfig-revisjonsspor');
  await tab.close();
});
