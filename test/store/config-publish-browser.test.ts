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
import { pasteIntoEditor } from '../visualizer/support/editor';

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

/** In the batch flow: tick these cases, dry-run them, and confirm. */
async function chooseAndMove(p: Page, caseIds: string[]) {
  for (const id of caseIds) await p.check(`#batch-case-${id}`);
  await p.click('#batch-dry-run');
  await p.click('#batch-confirm');
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
  await pasteIntoEditor(page, '#draft', JSON.stringify(draft, null, 2));
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

  await page.click('#migrate');
  await chooseAndMove(page, [running.caseId]);
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

test('when a draft removes the step a running case sits in, then the owner chooses where it continues, publishing retires the comparison, and migration moves it there', async () => {
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
  await pasteIntoEditor(page, '#draft', JSON.stringify(draft, null, 2));
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
  await page.selectOption('select[data-step="kartlegging"]', 'utredning');
  await page.fill('#publish-comment', 'Kartlegging heter nå utredning');
  await page.click('#publish');
  await page.waitForSelector('.publish-outcome .notice-ok:has-text("Publisert som versjon")');
  // The comparison was of the draft now published: it and the publish button are gone.
  expect(await page.locator('#publish').count()).toBe(0);
  expect(await page.locator('.compare-draft').count()).toBe(0);
  await page.click('#migrate');
  await chooseAndMove(page, [running.caseId]);
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
  await pasteIntoEditor(page, '#draft', JSON.stringify(draft, null, 2));
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
  await page.click('#migrate');
  await chooseAndMove(page, [running.caseId]);
  await page.waitForSelector(
    `.migration-results li[data-outcome="migrated"]:has-text("${running.caseId}")`,
  );
  // Counted in bokmål ("1 sak", "4 saker"), not "sak(er)".
  expect(await page.textContent('.migration-report .notice')).toMatch(
    /^✓ (1 sak|(?!1 )\d+ saker) flyttet til versjon \d+, 0 avvist\.$/,
  );
  expect(await wider(page)).toEqual([]);
  expect(await buttonsOutOfReach(page)).toEqual([]);
  await page.setViewportSize(LAPTOP);
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

test('when a process owner moves some running cases in a batch, then they choose them, see the dry run change with the step mapping, confirm with the count named, and exactly those cases move', async () => {
  const open = async (referred: boolean) => {
    const c = new CaseClient(stack, K);
    await c.open('koordinator', 'skole', {});
    if (referred) await c.send('koordinator', 'henvis');
    return c;
  };
  const a = await open(true);
  const b = await open(false);
  const c = await open(false);
  const left = await open(false);
  const oldVersion = (await a.get('koordinator')).body.configVersion as number;
  const draft = testKommune(K);
  draft.steps.utredning = { ...draft.steps.kartlegging, title: 'Utredning' };
  delete draft.steps.kartlegging;
  draft.steps.mottak.on!.henvis = { target: 'utredning' };

  await page.setViewportSize(LAPTOP);
  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  await page.waitForSelector('svg.diagram g.node[data-step="mottak"]');
  await page.click('details.draft-box > summary');
  await pasteIntoEditor(page, '#draft', JSON.stringify(draft, null, 2));
  await page.click('#save-draft');
  const impactRow = page.locator(`.impact tr[data-case="${a.caseId}"]`);
  await impactRow.getByText('avvist:').waitFor();
  // Choosing a mapping while reviewing asks the impact again: no longer "avvist".
  await page.selectOption('select[data-step="kartlegging"]', 'utredning');
  await impactRow.getByText('mulig (til Utredning)').waitFor();
  await page.selectOption('select[data-step="kartlegging"]', '');
  await impactRow.getByText('avvist:').waitFor();
  await page.fill('#publish-comment', 'Kartlegging heter nå utredning (samlet flytting)');
  await page.click('#publish');
  await page.waitForSelector('.publish-outcome .notice-ok:has-text("Publisert som versjon")');
  const version = (await opened.store.latestPublished(K))!.version;

  await page.click('#migrate');
  await page.locator(`#batch-case-${left.caseId}`).waitFor();
  for (const x of [a, b, c]) await page.check(`#batch-case-${x.caseId}`);
  await page.click('#batch-dry-run');
  const dry = (x: CaseClient) =>
    page.locator(`.batch-cases tr[data-case="${x.caseId}"] .dry-result`);
  await dry(a).getByText('avvises:').waitFor();
  expect(await dry(b).textContent()).toBe('flyttes til Mottak');
  expect(await dry(left).textContent()).toBe('–');

  await page.selectOption('#batch-map-kartlegging', 'utredning');
  await dry(a).getByText('flyttes til Utredning').waitFor();
  const confirm = page.getByRole('button', { name: `Ja, flytt 3 saker til versjon ${version}` });
  await confirm.waitFor();
  // Asked, not yet done.
  expect((await a.get('koordinator')).body.configVersion).toBe(oldVersion);
  await expectFitsBothSizes(page, 'konfig-flytt-saker');
  await page.setViewportSize(LAPTOP);
  await confirm.click();

  for (const x of [a, b, c])
    await page
      .locator(`.batch-results li[data-outcome="migrated"][data-case="${x.caseId}"]`)
      .waitFor();
  expect(await page.locator(`.batch-results li[data-case="${a.caseId}"]`).textContent()).toContain(
    'flyttet (Kartlegging → Utredning)',
  );
  await screenshot(page, 'konfig-flytt-saker-resultat');
  for (const x of [a, b, c]) expect((await x.get('koordinator')).body.configVersion).toBe(version);
  expect((await left.get('koordinator')).body.configVersion).toBe(oldVersion);
  expect((await a.get('koordinator')).body.step).toBe('utredning');
});
