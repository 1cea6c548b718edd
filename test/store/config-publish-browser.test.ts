/**
 * A process owner in a real browser: pastes a draft, reads what changes and which running
 * cases it touches, publishes, moves the running cases, and the next case opened runs on the
 * new version. Real dev server, worker, API, config store (PGlite) and Debian's Chromium.
 */
import type { Page } from 'playwright-core';
import { addDuration } from '../../machines';
import { openConfigStore, type OpenedConfigStore } from '../../store';
import { startApiStack, type ApiStack } from '../server/api-stack';
import { CaseClient } from '../server/case-client';
import { launchBrowser, screenshot, signIn, type TestBrowser } from '../visualizer/support/browser';
import {
  buttonsOutOfReach,
  expectFitsBothSizes,
  LAPTOP,
  PHONE,
  wider,
} from '../visualizer/support/fit';
import { tabTo } from '../visualizer/support/keyboard';
import { seedDirWith, testKommune } from './test-kommune';
import { memoryDatabase } from '../support/memory-database';

jest.setTimeout(180_000);

const K = 'testby';
let opened: OpenedConfigStore;
let stack: ApiStack;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  opened = await openConfigStore({ ...memoryDatabase(), seedDir: seedDirWith(K) });
  stack = await startApiStack({ configStore: opened.store });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await signIn(page, stack.baseUrl, await stack.token(K, 'prosesseier', 'po-1'));
});

/** After a publish: pick the running cases (as preselected), confirm, and wait for the results. */
async function moveCases(): Promise<void> {
  await page.click('#migrate');
  await page.click('#migrate-chosen');
  await page.click('.confirm-migration');
  await page.locator('.migration-results').waitFor();
}

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await opened?.close();
});

test('when a process owner pastes a draft, then they see the changes and the running case it touches, publish it, and the next case runs on the new version', async () => {
  const running = new CaseClient(stack, K);
  await running.open('koordinator', 'skole', {});

  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  await page.waitForSelector('svg.diagram g.node[data-step="mottak"]');
  const draft = testKommune(K);
  draft.steps.mottak.timers![0] = { ...draft.steps.mottak.timers![0], after: 'P3D' } as never;
  await page.click('details.draft-box > summary');
  await page.fill('#draft', JSON.stringify(draft, null, 2));
  await page.click('#save-draft');

  const changes = page.locator('.config-diff li');
  await changes.first().waitFor();
  expect(await changes.allTextContents()).toEqual([
    '✎ endret I steget «Mottak» (mottak): fristen «Vurdering» (vurdering) går nå 3 dager etter at saken kom inn i steget (før: 14 dager etter at saken kom inn i steget).',
  ]);
  const row = page.locator(`.impact tr[data-case="${running.caseId}"]`);
  await row.waitFor();
  // Steps by their titles, not their ids.
  expect(await row.textContent()).toMatch(
    /Mottak \(versjon 1\)steget endresmulig \(til Mottak\)Vurdering: .* → /,
  );
  // The draft is drawn beside the published model: the changed step marked in words on the
  // draft, the step the running case sits in on the published model.
  const draftPane = page.locator('.compare-draft');
  await draftPane
    .locator('g.node[data-step="mottak"][data-change="changed"] .node-change:has-text("✎ Endret")')
    .waitFor();
  expect(await draftPane.locator('g.node[data-change]').count()).toBe(1);
  expect(await page.textContent('.compare-published g.node[data-step="mottak"] .node-cases')).toBe(
    '● 1 sak',
  );
  await draftPane.locator('g.node[data-step="mottak"]').scrollIntoViewIfNeeded();
  await screenshot(page, 'konfig-publisering');

  await page.fill('#publish-comment', 'Kortere frist for vurdering');
  await page.click('#publish');
  await page.waitForSelector('.publish-outcome .notice-ok:has-text("Publisert som versjon 2")');

  await moveCases();
  await page.waitForSelector(
    `.migration-results li[data-outcome="migrated"]:has-text("${running.caseId}")`,
  );
  expect((await running.get('koordinator')).body.configVersion).toBe(2);

  const next = new CaseClient(stack, K);
  const opened2 = await next.open('koordinator', 'skole', {});
  expect(opened2.configVersion).toBe(2);
  expect((opened2.timers as Array<{ dueAt: string }>)[0].dueAt).toBe(
    addDuration(opened2.stepEnteredAt as string, 'P3D'),
  );
});

test('when a draft removes the step a running case sits in, then the owner chooses where it continues, the preview then says the case would move there, publishing retires the comparison, and migration moves it', async () => {
  const running = new CaseClient(stack, K);
  await running.open('koordinator', 'skole', {});
  await running.send('koordinator', 'henvis');

  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  await page.waitForSelector('svg.diagram g.node[data-step="kartlegging"]');
  const current = (await opened.store.latestPublished(K))!.config;
  const draft = structuredClone(current);
  draft.steps.utredning = { ...draft.steps.kartlegging, title: 'Utredning' };
  delete draft.steps.kartlegging;
  draft.steps.mottak.on!.henvis = { target: 'utredning' };
  await page.click('details.draft-box > summary');
  await page.fill('#draft', JSON.stringify(draft, null, 2));
  await page.click('#save-draft');

  await page.waitForSelector(
    `.impact tr[data-case="${running.caseId}"]:has-text("steget fjernes")`,
  );

  // Both versions side by side, each under its own heading, the changes said in words on the steps.
  const publishedPane = page.locator('.compare-published');
  const draftPane = page.locator('.compare-draft');
  await draftPane
    .locator('g.node[data-step="utredning"][data-change="added"] .node-change:has-text("+ Ny")')
    .waitFor();
  expect(await publishedPane.locator('h3').textContent()).toBe('Publisert versjon 2');
  expect(await draftPane.locator('h3').textContent()).toBe('Utkast');
  const removed = publishedPane.locator('g.node[data-step="kartlegging"]');
  expect(await removed.getAttribute('data-change')).toBe('removed');
  expect(await removed.locator('.node-change').textContent()).toBe('− Fjernes');
  expect(await removed.locator('.node-cases').textContent()).toBe('● 1 sak');
  expect(await draftPane.locator('g.node[data-step="kartlegging"]').count()).toBe(0);
  expect(await publishedPane.locator('g.node[data-step="utredning"]').count()).toBe(0);
  for (const pane of [publishedPane, draftPane])
    expect(await pane.locator('svg.diagram').isVisible()).toBe(true);
  // At 1366×768 the panes stand beside each other, not one under the other.
  const [left, right] = [(await publishedPane.boundingBox())!, (await draftPane.boundingBox())!];
  expect(right.x).toBeGreaterThanOrEqual(left.x + left.width);
  expect(Math.abs(right.y - left.y)).toBeLessThan(2);

  // By keyboard: Tab to the new step and open what the draft says about it.
  await tabTo(page, '.compare-draft g.node[data-step="utredning"]');
  await page.keyboard.press('Enter');
  await draftPane.locator('.step-notes:has-text("Nytt steg «Utredning»")').waitFor();
  await page.evaluate("document.getElementById('comparison-title').scrollIntoView()");
  await screenshot(page, 'konfig-utkast-ved-siden-av');
  expect(await page.textContent('label[for="map-kartlegging"]')).toBe('«Kartlegging» → ');
  expect(
    await page.locator('select[data-step="kartlegging"] option[value="utredning"]').textContent(),
  ).toBe('Utredning');
  const row = page.locator(`.impact tr[data-case="${running.caseId}"]`);
  expect(await row.innerText()).toContain('avvist');
  // With a step chosen for the removed one, the preview is asked for again: the case would move.
  await page.selectOption('select[data-step="kartlegging"]', 'utredning');
  await page
    .locator(`.impact tr[data-case="${running.caseId}"]:has-text("mulig (til Utredning)")`)
    .waitFor();
  await page.fill('#publish-comment', 'Kartlegging heter nå utredning');
  await page.click('#publish');
  await page.waitForSelector('.publish-outcome .notice-ok:has-text("Publisert som versjon")');
  // The comparison was of the draft now published: it and the publish button are gone.
  expect(await page.locator('#publish').count()).toBe(0);
  expect(await page.locator('.compare-draft').count()).toBe(0);
  await moveCases();
  await page.waitForSelector(
    `.migration-results li[data-outcome="migrated"]:has-text("${running.caseId}")`,
  );
  expect(await page.textContent(`.migration-results li:has-text("${running.caseId}")`)).toContain(
    '(Kartlegging → Utredning)',
  );
  expect((await running.get('koordinator')).body).toMatchObject({ step: 'utredning' });
});

test('when a process owner reviews and publishes a draft on a 390×844 phone, then nothing scrolls sideways, every button is in reach, the publish button included, and axe finds nothing serious at either size', async () => {
  const running = new CaseClient(stack, K);
  await running.open('koordinator', 'skole', {});
  const draft = structuredClone((await opened.store.latestPublished(K))!.config);
  draft.steps.mottak.timers![0] = { ...draft.steps.mottak.timers![0], after: 'P5D' } as never;

  await page.setViewportSize(PHONE);
  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  await page.waitForSelector('svg.diagram g.node[data-step="mottak"]');
  await page.click('details.draft-box > summary');
  await page.fill('#draft', JSON.stringify(draft, null, 2));
  await page.click('#save-draft');
  await page.waitForSelector(`.impact tr[data-case="${running.caseId}"]`);
  await page.locator('.compare-draft g.node[data-step="mottak"][data-change="changed"]').waitFor();

  await expectFitsBothSizes(page, 'konfig-publisering');

  // Scrolled to, the publish button is wholly on the phone's screen, and pressing it publishes.
  await page.locator('#publish').scrollIntoViewIfNeeded();
  const button = (await page.locator('#publish').boundingBox())!;
  expect(button.x).toBeGreaterThanOrEqual(0);
  expect(button.x + button.width).toBeLessThanOrEqual(PHONE.width);
  expect(button.y + button.height).toBeLessThanOrEqual(PHONE.height);
  await page.fill('#publish-comment', 'Enda kortere frist');
  await page.locator('#publish').click();
  await page.waitForSelector('.publish-outcome .notice-ok:has-text("Publisert som versjon")');
  await moveCases();
  await page.waitForSelector(
    `.migration-results li[data-outcome="migrated"]:has-text("${running.caseId}")`,
  );
  // Counted in bokmål ("1 sak", "4 saker"), not "sak(er)".
  expect(await page.textContent('.migration-status .notice')).toMatch(
    /^✓ (1 sak|(?!1 )\d+ saker) flyttet, 0 avvist\.$/,
  );
  expect(await wider(page)).toEqual([]);
  expect(await buttonsOutOfReach(page)).toEqual([]);
  await page.setViewportSize(LAPTOP);
});

test('when the process owner moves a chosen few of the running cases, then each shows what the move would do, nothing moves before a confirmation naming the count, the move shows its progress and each result, and exactly the chosen cases are on the new version', async () => {
  const cases = [new CaseClient(stack, K), new CaseClient(stack, K), new CaseClient(stack, K)];
  for (const c of cases) await c.open('koordinator', 'skole', {});
  const from = (await opened.store.latestPublished(K))!;
  const draft = structuredClone(from.config);
  draft.steps.mottak.timers![0] = { ...draft.steps.mottak.timers![0], after: 'P4D' } as never;

  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  await page.waitForSelector('svg.diagram g.node[data-step="mottak"]');
  await page.click('details.draft-box > summary');
  await page.fill('#draft', JSON.stringify(draft, null, 2));
  await page.click('#save-draft');
  await page.fill('#publish-comment', 'Fire dager i mottak');
  await page.locator('#publish').click();
  await page.waitForSelector('.publish-outcome .notice-ok:has-text("Publisert som versjon")');
  const to = from.version + 1;

  await page.click('#migrate');
  const choice = (c: CaseClient) => page.locator(`.migration-choices li[data-case="${c.caseId}"]`);
  for (const c of cases)
    expect(await choice(c).innerText()).toMatch(
      new RegExp(`${c.caseId} i «Mottak» \\(versjon ${from.version}\\): flyttes til «Mottak»$`),
    );
  // Only the first two: none, then each by its own box.
  await page.getByRole('button', { name: 'Velg ingen' }).click();
  for (const c of cases.slice(0, 2)) await choice(c).getByRole('checkbox').check();
  await page.click('#migrate-chosen');
  const confirm = page.getByRole('button', { name: `Ja, flytt 2 saker til versjon ${to}` });
  await confirm.waitFor();
  // Asked, not yet done.
  for (const c of cases) expect((await c.get('koordinator')).body.configVersion).toBe(from.version);
  await expectFitsBothSizes(page, 'konfig-flytting');
  await page.setViewportSize(LAPTOP);
  await confirm.click();

  await page.locator('.migration-status .notice').waitFor();
  expect(await page.textContent('.migration-status .notice')).toBe('✓ 2 saker flyttet, 0 avvist.');
  expect(
    await page
      .locator('.migration-results li')
      .evaluateAll((li) =>
        li.map((x) => [x.querySelector('code')!.textContent, x.getAttribute('data-outcome')]),
      ),
  ).toEqual(expect.arrayContaining(cases.slice(0, 2).map((c) => [c.caseId, 'migrated'])));
  expect(await page.locator('.migration-results li').count()).toBe(2);
  expect(await page.locator('.migration-status progress').count()).toBe(0);
  const versions = await Promise.all(
    cases.map(async (c) => (await c.get('koordinator')).body.configVersion),
  );
  expect(versions).toEqual([to, to, from.version]);
});

test('when the process owner goes back to an earlier version from the versions list, then after a comment and a confirmation naming both versions it is published again as the newest, and new cases run on it', async () => {
  const before = (await opened.store.latestPublished(K))!;
  expect(before.version).toBeGreaterThan(1);
  const first = (await opened.store.published(K, 1))!;

  await page.setViewportSize(LAPTOP);
  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  await page.waitForSelector('svg.diagram');
  await page.click('details.versions > summary');
  const row = (v: number) => page.locator(`.version-rows li[data-version="${v}"]`);
  await row(before.version).waitFor();
  expect(await row(before.version).innerText()).toContain(`Versjon ${before.version} (gjeldende)`);
  expect(await row(before.version).locator('form.rollback-form').count()).toBe(0);

  // Without a comment: refused in words, nothing published.
  await row(1).getByRole('button', { name: 'Gå tilbake til versjon 1' }).click();
  await row(1).getByText('Skriv hvorfor du går tilbake.').waitFor();
  expect((await opened.store.latestPublished(K))!.version).toBe(before.version);

  await row(1).getByLabel('Kommentar (lagres i revisjonssporet)').fill('Tilbake til første modell');
  await row(1).getByRole('button', { name: 'Gå tilbake til versjon 1' }).click();
  const confirm = row(1).getByRole('button', {
    name: `Ja, publiser versjon 1 på nytt som versjon ${before.version + 1}`,
  });
  await confirm.waitFor();
  // Asked, not yet done.
  expect((await opened.store.latestPublished(K))!.version).toBe(before.version);
  await expectFitsBothSizes(page, 'konfig-versjoner');
  await page.setViewportSize(LAPTOP);
  await confirm.click();

  await page
    .locator('.versions-status')
    .getByText(`Versjon 1 er publisert på nytt som versjon ${before.version + 1}.`)
    .waitFor();
  await row(before.version + 1).waitFor();
  expect(await row(before.version + 1).innerText()).toContain('gjenopprettet fra versjon 1');
  expect(await row(before.version + 1).innerText()).toContain('«Tilbake til første modell»');
  const latest = (await opened.store.latestPublished(K))!;
  expect(latest).toMatchObject({ version: before.version + 1, restoredFrom: 1 });
  expect(latest.config).toEqual(first.config);

  const next = new CaseClient(stack, K);
  await next.open('koordinator', 'skole', {});
  expect((await next.get('koordinator')).body).toMatchObject({
    configVersion: before.version + 1,
  });
});
