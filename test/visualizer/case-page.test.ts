/**
 * The visualizer in a real browser against the real stack (Temporal dev server, worker, API):
 * a case opened through the API is drawn where it stands, moves when the page's form sends an
 * event, moves by itself when someone else sends one, and refusals are shown at the field.
 */
import type { Page } from 'playwright-core';
import { eventually, http, startApiStack, type ApiStack } from '../server/api-stack';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';

let stack: ApiStack;
let browser: TestBrowser;
let page: Page;
let caseId: string;
const pageErrors: string[] = [];

const current = (step: string) => `g.node[data-step="${step}"][data-state="current"]`;

beforeAll(async () => {
  stack = await startApiStack();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const token = await stack.token('oygarden', 'tjenesteyter', 't-1');
  const opened = await http(stack.baseUrl, 'POST', '/api/v1/kommuner/oygarden/cases', {
    token,
    body: { referralSource: 'skole', payload: { arena: 'skole', barnetsAlder: 9 } },
  });
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
  await signIn(page, stack.baseUrl, token);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(() => expect(pageErrors).toEqual([]));

async function sendThroughApi(role: string, sub: string, type: string, payload: unknown): Promise<void> {
  const token = await stack.token('oygarden', role, sub);
  const path = `/api/v1/kommuner/oygarden/cases/${caseId}`;
  const { body } = await http(stack.baseUrl, 'GET', path, { token });
  const sent = await http(stack.baseUrl, 'POST', `${path}/events`, { token, body: { type, payload, expectedRevision: body.revision } });
  expect(sent.status).toBe(200);
}

test('when a case is opened through the API, then the list shows it and its page highlights the current step', async () => {
  await eventually('the case in the list', async () => {
    await page.goto(`${stack.baseUrl}/visualizer/saker`);
    return (await page.locator(`tr[data-case="${caseId}"]`).count()) > 0 ? true : undefined;
  });
  await screenshot(page, 'saksliste');

  await page.click(`tr[data-case="${caseId}"] a`);
  await page.waitForSelector(current('undring'));
  expect(await page.getAttribute(current('undring'), 'aria-current')).toBe('step');
  expect(await page.textContent(`${current('undring')} .node-badge`)).toContain('NÅ');
  expect(await page.textContent('[data-testid=title-step]')).toBe('Undring og vurdering');
  // Possible next steps are marked in words, not colour alone.
  expect(await page.textContent('g.node[data-step="avklaringssamtale"] .node-badge')).toContain('Mulig neste');
  await page.waitForSelector('.live[data-status="live"]');
  await screenshot(page, 'sak-niva-0');
});

test('when an allowed event is sent through the page form, then the highlight moves to the new step', async () => {
  await page.click('details[data-event="registrerVurdering"] > summary');
  await page.getByLabel('Høyt fravær').check();
  await page.getByLabel('Konflikter i hjemmet').check();
  await page.click('details[data-event="registrerVurdering"] button[type=submit]');
  await page.waitForSelector(current('avklaringssamtale'));
  expect(await page.getAttribute('g.node[data-step="undring"]', 'data-state')).toBe('visited');
  expect(await page.getAttribute('g.edge[data-edge="transition:undring->avklaringssamtale"]', 'data-state')).toBe('taken');
  await page.waitForSelector('.timeline li:has-text("Registrer vurdering")');
  await screenshot(page, 'sak-niva-1');
});

test('when a submission fails the form schema, then the error is shown at the field', async () => {
  const form = 'details[data-event="registrerAvklaringssamtale"]';
  await page.click(`${form} > summary`);
  await page.selectOption(`${form} select[name="/utfall"]`, { label: 'Ressursteam' });
  await page.click(`${form} button[type=submit]`);
  const error = page.locator(`${form} .field:has(input[name="/ansvarlig"]) .field-error`);
  await error.waitFor();
  expect(await error.textContent()).toMatch(/ansvarlig/);
  // The field is labelled by the error, so a screen reader reads it with the field.
  const describedBy = (await page.getAttribute(`${form} input[name="/ansvarlig"]`, 'aria-describedby'))!.split(' ');
  expect(describedBy).toContain(await error.getAttribute('id'));
  expect(await page.getAttribute(`${form} input[name="/ansvarlig"]`, 'aria-invalid')).toBe('true');
  expect(await page.getAttribute(current('avklaringssamtale'), 'data-state')).toBe('current');
});

test('when a submission is not allowed now (no consent), then the refusal is shown in the form', async () => {
  const form = 'details[data-event="registrerAvklaringssamtale"]';
  await page.fill(`${form} input[name="/ansvarlig"]`, 'r-1');
  await page.click(`${form} button[type=submit]`);
  const refusal = page.locator(`${form} .form-error`);
  await refusal.waitFor();
  expect(await refusal.textContent()).toMatch(/consent|samtykke/i);
  await page.waitForSelector(current('avklaringssamtale'));
});

test('when someone else advances the case through the API, then the open page updates by itself', async () => {
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await sendThroughApi('tjenesteyter', 't-2', 'registrerSamtykke', { gittAv: 'parent' });
  await sendThroughApi('tjenesteyter', 't-2', 'registrerAvklaringssamtale', { utfall: 'ressursteam', ansvarlig: 'r-1' });
  const started = Date.now();
  await page.waitForSelector(current('ressursteam'), { timeout: 5000 });
  process.stdout.write(`live update reached the page in ${Date.now() - started} ms after the API answered\n`);
  // Same document: no reload happened.
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  expect(await page.textContent('[data-testid=current-step]')).toBe('Ressursteam (sluse 2)');
  await screenshot(page, 'sak-niva-2');

  await sendThroughApi('ressursteam', 'r-1', 'registrerRessursteammote', {
    utfall: 'familielos',
    barnetsStemme: true,
    ansvarlig: 'los-1',
    moteFrekvens: 'P1M',
    forsteFamilieteammote: '2031-03-03',
  });
  await page.waitForSelector(current('familielos'), { timeout: 5000 });
  await screenshot(page, 'sak-niva-3');
});
