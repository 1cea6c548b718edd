/**
 * The visualizer in a real browser against the real stack (Temporal dev server, worker, API):
 * a case opened through the API is drawn where it stands, moves when the page's form sends an
 * event, moves by itself when someone else sends one, and refusals are shown at the field. A
 * case nobody has touched for weeks is marked standing still (the browser's clock is moved on;
 * the server's is not), notes about the step left behind go when the case moves, and the whole
 * way from sign-in to a sent event works with the keyboard alone.
 */
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { ajvSentenceNb } from '../../config/ajv-nb';
import { FormLimits } from '../../config/form-bounds';
import { eventually, http, startApiStack, type ApiStack } from '../server/api-stack';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { fieldId, tabTo } from './support/keyboard';

let stack: ApiStack;
let browser: TestBrowser;
let page: Page;
let caseId: string;
let token: string;
const pageErrors: string[] = [];
const DAY_MS = 86400000;

const current = (step: string) => `g.node[data-step="${step}"][data-state="current"]`;

beforeAll(async () => {
  stack = await startApiStack();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  token = await stack.token('oygarden', 'tjenesteyter', 't-1');
  caseId = await openCase();
  await signIn(page, stack.baseUrl, token);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(() => expect(pageErrors).toEqual([]));

async function openCase(): Promise<string> {
  const opened = await http(stack.baseUrl, 'POST', '/api/v1/kommuner/oygarden/cases', {
    token,
    body: { referralSource: 'skole', payload: { arena: 'skole', barnetsAlder: 9 } },
  });
  expect(opened.status).toBe(201);
  return opened.body.caseId;
}

async function sendThroughApi(
  role: string,
  sub: string,
  type: string,
  payload: unknown,
  id = caseId,
): Promise<void> {
  const asRole = await stack.token('oygarden', role, sub);
  const path = `/api/v1/kommuner/oygarden/cases/${id}`;
  const { body } = await http(stack.baseUrl, 'GET', path, { token: asRole });
  const sent = await http(stack.baseUrl, 'POST', `${path}/events`, {
    token: asRole,
    body: { type, payload, expectedRevision: body.revision },
  });
  expect(sent.status).toBe(200);
}

/** Waits until the case list (visibility) has the case, and returns its item. */
async function listed(id: string): Promise<Record<string, unknown>> {
  return eventually(`case ${id} in the list`, async () => {
    const res = await http(
      stack.baseUrl,
      'GET',
      '/api/v1/kommuner/oygarden/cases?status=open&pageSize=100',
      { token },
    );
    return res.body.cases.find((c: { caseId: string }) => c.caseId === id);
  });
}

/** Another tab of the same browser (its own session), watched for script errors like the first. */
async function newTab(): Promise<Page> {
  const tab = await browser.context.newPage();
  tab.on('pageerror', (e) => pageErrors.push(e.message));
  return tab;
}

test('when a case is opened through the API, then the list shows it and its page highlights the current step', async () => {
  await eventually('the case in the list', async () => {
    await page.goto(`${stack.baseUrl}/visualizer/saker`);
    return (await page.locator(`tr[data-case="${caseId}"]`).count()) > 0 ? true : undefined;
  });
  // Just opened: active, so not standing still.
  expect(await page.locator(`tr[data-case="${caseId}"] .flag-still`).count()).toBe(0);
  await screenshot(page, 'saksliste');

  await page.click(`tr[data-case="${caseId}"] a`);
  await page.waitForSelector(current('undring'));
  expect(await page.getAttribute(current('undring'), 'aria-current')).toBe('step');
  expect(await page.textContent(`${current('undring')} .node-badge`)).toContain('NÅ');
  expect(await page.textContent('[data-testid=title-step]')).toBe('Undring og vurdering');
  // Possible next steps are marked in words, not colour alone.
  expect(await page.textContent('g.node[data-step="avklaringssamtale"] .node-badge')).toContain(
    'Mulig neste',
  );
  await page.waitForSelector('.live[data-status="live"]');
  await screenshot(page, 'sak-niva-0');
});

test('when a case page loads, then the case, its history and the model are asked for at once, and the diagram as soon as the model is in, not one after another', async () => {
  const order: string[] = [];
  const base = `/api/v1/kommuner/oygarden`;
  const nameOf = (url: string, method: string): string | undefined => {
    const path = new URL(url).pathname;
    if (method === 'GET' && path === `${base}/cases/${caseId}`) return 'case';
    if (method === 'GET' && path === `${base}/cases/${caseId}/history`) return 'history';
    if (method === 'GET' && path === `${base}/config`) return 'config';
    if (method === 'POST' && path === '/visualizer/api/diagram') return 'diagram';
    return undefined;
  };
  const seen = (what: string) => (r: { url(): string; method(): string }) => {
    const name = nameOf(r.url(), r.method());
    // The first of each: the live stream's first snapshot reads the history again.
    if (name && !order.includes(`${what} ${name}`)) order.push(`${what} ${name}`);
  };
  const asked = seen('asked');
  const answered = seen('answered');
  page.on('request', asked);
  page.on('requestfinished', answered);
  await page.goto(`${stack.baseUrl}/visualizer/saker/${caseId}`);
  await page.waitForSelector(current('undring'));
  await page.waitForSelector('.timeline li');
  page.off('request', asked);
  page.off('requestfinished', answered);
  const at = (step: string) => {
    expect(order).toContain(step);
    return order.indexOf(step);
  };
  // Nothing waits for the case to be read but the drawing itself.
  expect(at('asked history')).toBeLessThan(at('answered case'));
  expect(at('asked config')).toBeLessThan(at('answered case'));
  expect(at('asked diagram')).toBeGreaterThan(at('answered config'));
});

test('when a case has had no activity for over 14 days, then the list marks it standing still in words, by the rule its page uses', async () => {
  const item = await listed(caseId);
  // Lists have the last activity to the hour (machines/list-times.ts).
  expect(Date.parse(item.lastActivityAt as string)).toBeGreaterThan(Date.now() - 65 * 60_000);

  // Fifteen days on, as the viewer's browser sees it; the case itself has not changed.
  const later = await newTab();
  await later.clock.setFixedTime(Date.now() + 15 * DAY_MS);
  await signIn(later, stack.baseUrl, token);
  const still = later.locator(`tr[data-case="${caseId}"] .flag-still`);
  await still.waitFor();
  expect(await still.textContent()).toMatch(
    /^‖ Står stille: ingen aktivitet for 1[45] dager siden$/,
  );
  expect(await later.getAttribute(`tr[data-case="${caseId}"]`, 'class')).toBe('needs-attention');
  await later.click(`tr[data-case="${caseId}"] a`);
  await later.waitForSelector('.alerts .flag-still:has-text("‖ Står stille: ingen aktivitet")');
  await later.close();
});

test('when an allowed event is sent through the page form, then the highlight moves to the new step', async () => {
  await page.click('details[data-event="registrerVurdering"] > summary');
  await page.getByLabel('Høyt fravær').check();
  await page.getByLabel('Konflikter i hjemmet').check();
  await page.click('details[data-event="registrerVurdering"] button[type=submit]');
  await page.waitForSelector(current('avklaringssamtale'));
  expect(await page.getAttribute('g.node[data-step="undring"]', 'data-state')).toBe('visited');
  expect(
    await page.getAttribute(
      'g.edge[data-edge="transition:undring->avklaringssamtale"]',
      'data-state',
    ),
  ).toBe('taken');
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
  // In bokmål, at the field it is about (the field's own label names it).
  expect(await error.textContent()).toMatch(/Må fylles ut\./);
  // The field is labelled by the error, so a screen reader reads it with the field.
  const describedBy = (await page.getAttribute(
    `${form} input[name="/ansvarlig"]`,
    'aria-describedby',
  ))!.split(' ');
  expect(describedBy).toContain(await error.getAttribute('id'));
  expect(await page.getAttribute(`${form} input[name="/ansvarlig"]`, 'aria-invalid')).toBe('true');
  expect(await page.getAttribute(current('avklaringssamtale'), 'data-state')).toBe('current');
});

test("when a field is longer than a form takes, then ajv-i18n's bokmål says so at the field, named by the field's title", async () => {
  const form = 'details[data-event="registrerAvklaringssamtale"]';
  const field = `${form} .field:has(input[name="/ansvarlig"])`;
  await page.fill(`${form} input[name="/ansvarlig"]`, 'x'.repeat(FormLimits.textLength + 1));
  await page.click(`${form} button[type=submit]`);
  const error = page.locator(`${field} .field-error`);
  await error.locator(`text=${FormLimits.textLength}`).waitFor();
  // The words the engine gives (config/ajv-nb.ts over ajv-i18n's nb), after the field's title.
  const nb = ajvSentenceNb({
    keyword: 'maxLength',
    params: { limit: FormLimits.textLength },
    instancePath: '/ansvarlig',
    schemaPath: '#/properties/ansvarlig/maxLength',
    message: `must NOT have more than ${FormLimits.textLength} characters`,
  });
  expect(nb).toBe(`Kan ikke være lengre enn ${FormLimits.textLength} tegn.`);
  expect((await error.innerText()).trim()).toBe(
    `⚠ Stafettholder i ressursteamet (bruker-id): ${nb}`,
  );
  expect(await page.locator(form).innerText()).not.toMatch(/must|characters|NOT/);
  expect(await page.getAttribute(current('avklaringssamtale'), 'data-state')).toBe('current');
});

test('when a submission is not allowed now (no consent), then the refusal is shown in the form', async () => {
  const form = 'details[data-event="registrerAvklaringssamtale"]';
  await page.fill(`${form} input[name="/ansvarlig"]`, 'r-1');
  await page.click(`${form} button[type=submit]`);
  const refusal = page.locator(`${form} .form-error`);
  await refusal.waitFor();
  // The engine's bokmål reason, naming the consent by its title.
  expect(await refusal.textContent()).toMatch(/krever samtykke/);
  expect(await refusal.textContent()).not.toMatch(/consent|requires|missing/i);
  await page.waitForSelector(current('avklaringssamtale'));
});

test('when someone else advances the case through the API, then the open page updates by itself', async () => {
  // A leader sees every case, so they can follow this one up to level 3; the holders advance it.
  const leader = await newTab();
  await signIn(leader, stack.baseUrl, await stack.token('oygarden', 'leder', 'leder-1'));
  await leader.goto(`${stack.baseUrl}/visualizer/saker/${caseId}`);
  await leader.waitForSelector(current('avklaringssamtale'));
  await leader.waitForSelector('.live[data-status="live"]');
  await leader.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
  await sendThroughApi('tjenesteyter', 't-1', 'registrerSamtykke', { gittAv: 'parent' });
  await sendThroughApi('tjenesteyter', 't-1', 'registrerAvklaringssamtale', {
    utfall: 'ressursteam',
    ansvarlig: 'r-1',
  });
  const started = Date.now();
  await leader.waitForSelector(current('ressursteam'), { timeout: 5000 });
  process.stdout.write(
    `live update reached the page in ${Date.now() - started} ms after the API answered\n`,
  );
  // Same document: no reload happened.
  expect(await leader.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(
    42,
  );
  expect(await leader.textContent('[data-testid=current-step]')).toBe('Ressursteam (sluse 2)');
  await screenshot(leader, 'sak-niva-2');

  await sendThroughApi('ressursteam', 'r-1', 'registrerRessursteammote', {
    utfall: 'familielos',
    barnetsStemme: true,
    ansvarlig: 'los-1',
    moteFrekvens: 'P1M',
    forsteFamilieteammote: '2031-03-03',
  });
  await leader.waitForSelector(current('familielos'), { timeout: 5000 });
  await screenshot(leader, 'sak-niva-3');

  // The kindergarten employee who handed the case on sees only their own cases: it is gone for them.
  await page.getByText('Saken finnes ikke lenger eller er ikke synlig for deg.').waitFor();
  await leader.close();
});

/**
 * A TCP proxy in front of the API that can cut every connection and refuse new ones for a
 * while: a connection lost as on a phone going through a tunnel.
 */
async function cuttableProxy(port: number) {
  const sockets = new Set<Socket>();
  let down = false;
  const server = createNetServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(port, '127.0.0.1');
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ]) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

test('when the case is handed on while the page has lost its connection, then on reconnecting the page says it is gone and stops retrying', async () => {
  const id = await openCase();
  const proxy = await cuttableProxy(Number(new URL(stack.baseUrl).port));
  const tab = await newTab();
  // A clock the test can move: the page redraws its alerts every 30 s.
  await tab.clock.install();
  await signIn(tab, proxy.url, token);
  await tab.goto(`${proxy.url}/visualizer/saker/${id}`);
  await tab.waitForSelector(current('undring'));
  await tab.waitForSelector('.live[data-status="live"]');
  proxy.cut();
  try {
    await tab.waitForSelector('.live[data-status="retrying"]');
    // Up to the familielos: no longer among the kindergarten employee's own cases.
    await sendThroughApi(
      'tjenesteyter',
      't-1',
      'registrerVurdering',
      {
        risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
      },
      id,
    );
    await sendThroughApi('tjenesteyter', 't-1', 'registrerSamtykke', { gittAv: 'parent' }, id);
    await sendThroughApi(
      'tjenesteyter',
      't-1',
      'registrerAvklaringssamtale',
      {
        utfall: 'ressursteam',
        ansvarlig: 'r-1',
      },
      id,
    );
    await sendThroughApi(
      'ressursteam',
      'r-1',
      'registrerRessursteammote',
      {
        utfall: 'familielos',
        barnetsStemme: true,
        ansvarlig: 'los-1',
        moteFrekvens: 'P1M',
        forsteFamilieteammote: '2031-03-03',
      },
      id,
    );
  } finally {
    proxy.restore();
  }
  await tab.getByText('Saken finnes ikke lenger eller er ikke synlig for deg.').waitFor();
  await tab.waitForSelector('.live[data-status="ended"]');
  // The notice stays when the page redraws its alerts on the clock (it once went with the next).
  await tab.clock.fastForward(31_000);
  expect(
    await tab.getByText('Saken finnes ikke lenger eller er ikke synlig for deg.').count(),
  ).toBe(1);
  // No more attempts: each would be answered 404 again, every 10 s, as long as the page is open.
  const streamRequests: string[] = [];
  tab.on('request', (r) => {
    if (r.url().endsWith('/stream')) streamRequests.push(r.url());
  });
  await tab.waitForTimeout(1500);
  expect(streamRequests).toEqual([]);
  await tab.close();
  await proxy.close();
});

test('when the case moves on by a live update, then the success note and the "kan ikke lenger sendes" note of the old step go', async () => {
  const id = await openCase();
  await page.goto(`${stack.baseUrl}/visualizer/saker/${id}`);
  await page.waitForSelector(current('undring'));
  await page.waitForSelector('.live[data-status="live"]');
  await page.click('details[data-event="registrerVurdering"] > summary');
  await page.getByLabel('Høyt fravær').check();
  await page.getByLabel('Konflikter i hjemmet').check();
  await page.click('details[data-event="registrerVurdering"] button[type=submit]');
  await page.waitForSelector(current('avklaringssamtale'));
  const registered = page.locator('.notice-ok:has-text("Registrert: Registrer vurdering")');
  expect(await registered.count()).toBe(1);

  // An event sent elsewhere (the holder's other device) that keeps the case in its step leaves the note alone.
  await page.click('details[data-event="registrerAvklaringssamtale"] > summary');
  await sendThroughApi('tjenesteyter', 't-1', 'registrerSamtykke', { gittAv: 'parent' }, id);
  await page.waitForSelector('.timeline li:has-text("Registrer samtykke")');
  expect(await registered.count()).toBe(1);

  const cannotSend = page.locator('.notice:has-text("kan ikke lenger sendes")');
  await sendThroughApi(
    'tjenesteyter',
    't-1',
    'registrerAvklaringssamtale',
    {
      utfall: 'lavterskeltiltak',
      oppfolgingsdato: '2031-03-03',
      tiltak: ['Mer voksenkontakt i barnehagen'],
    },
    id,
  );
  await page.waitForSelector(current('lavterskeltiltak'));
  expect(await registered.count()).toBe(0);
  expect(await cannotSend.textContent()).toContain('Registrer avklaringssamtale');

  await sendThroughApi('tjenesteyter', 't-1', 'registrerOppfolgingssamtale', { bedring: 'ja' }, id);
  await page.waitForSelector(current('avsluttet_sak'));
  expect(await cannotSend.count()).toBe(0);
});

test('when someone uses only the keyboard, then they sign in, open a case from the list and send an allowed event, and the highlight moves', async () => {
  const id = await openCase();
  await listed(id);
  const kb = await newTab();
  await kb.goto(`${stack.baseUrl}/visualizer/`);
  // The token field has the focus when the sign-in page opens.
  await kb.keyboard.type(token);
  await tabTo(kb, 'form.sign-in button[type=submit]');
  await kb.keyboard.press('Enter');
  await kb.waitForURL('**/visualizer/saker');

  await kb.waitForSelector(`tr[data-case="${id}"]`);
  await tabTo(kb, `tr[data-case="${id}"] a`);
  await kb.keyboard.press('Enter');
  await kb.waitForSelector(current('undring'));

  const form = 'details[data-event="registrerVurdering"]';
  await tabTo(kb, `${form} > summary`);
  await kb.keyboard.press('Enter');
  for (const label of ['Høyt fravær', 'Konflikter i hjemmet']) {
    await tabTo(kb, `#${await fieldId(kb.locator(form), label)}`);
    await kb.keyboard.press('Space');
  }
  await tabTo(kb, `${form} button[type=submit]`);
  await kb.keyboard.press('Enter');

  await kb.waitForSelector(current('avklaringssamtale'));
  expect(await kb.getAttribute('g.node[data-step="undring"]', 'data-state')).toBe('visited');
  expect(await kb.textContent('.notice-ok')).toContain('Registrert: Registrer vurdering');
  await kb.close();
});
