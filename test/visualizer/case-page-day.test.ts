/**
 * A coordinator's working day on the case page, in a real Chromium against the real stack
 * (Temporal dev server, worker, API): Øygarden cases at each BTI level, an overdue one, a closed
 * one, at a laptop's and a phone's size. The page says why the case looks as it does and whose
 * move is next, in bokmål with the config's titles (never its ids), fits a phone without
 * sideways scrolling with every button in reach, passes axe (header included), and can be worked
 * with the keyboard alone.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { KommuneConfig } from '../../config';
import { http, startApiStack, type ApiStack } from '../server/api-stack';
import { axeFindings } from './support/axe';
import { launchBrowser, SCREENSHOTS, signIn, type TestBrowser } from './support/browser';
import { buttonsOutOfReach, wider } from './support/fit';
import { fieldId, tabTo } from './support/keyboard';
import { holfIntake } from '../machines/support';

let stack: ApiStack;
let browser: TestBrowser;
let config: KommuneConfig;
const pageErrors: string[] = [];
/** The visible text of every case page the tests looked at, for the words check at the end. */
const seen = new Map<string, { kommune: string; text: string }>();
const cases: Record<'level0' | 'level1' | 'level2' | 'level3' | 'closed' | 'overdue', string> =
  {} as never;

const BASE = '/api/v1/kommuner/oygarden/cases';
const SIZES = [
  [1366, 768],
  [390, 844],
] as const;
const current = (step: string) => `g.node[data-step="${step}"][data-state="current"]`;

async function send(role: string, sub: string, id: string, type: string, payload: unknown) {
  const token = await stack.token('oygarden', role, sub);
  const { body } = await http(stack.baseUrl, 'GET', `${BASE}/${id}`, { token });
  const sent = await http(stack.baseUrl, 'POST', `${BASE}/${id}/events`, {
    token,
    body: { type, payload, expectedRevision: body.revision },
  });
  expect(sent.status).toBe(200);
  return sent.body;
}

async function openCase(): Promise<string> {
  const opened = await http(stack.baseUrl, 'POST', BASE, {
    token: await stack.token('oygarden', 'tjenesteyter', 't-1'),
    body: { referralSource: 'skole', payload: { arena: 'skole', barnetsAlder: 9 } },
  });
  expect(opened.status).toBe(201);
  return opened.body.caseId;
}

/** Øygarden's journey from the first worry up to `level`. */
async function caseAtLevel(level: 0 | 1 | 2 | 3): Promise<string> {
  const id = await openCase();
  if (level === 0) return id;
  await send('tjenesteyter', 't-1', id, 'registrerVurdering', {
    risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
  });
  if (level === 1) return id;
  await send('tjenesteyter', 't-1', id, 'registrerSamtykke', { gittAv: 'parent' });
  await send('tjenesteyter', 't-1', id, 'registrerAvklaringssamtale', {
    utfall: 'ressursteam',
    ansvarlig: 'r-1',
  });
  if (level === 2) return id;
  await send('ressursteam', 'r-1', id, 'registrerRessursteammote', {
    utfall: 'familielos',
    barnetsStemme: true,
    ansvarlig: 'los-1',
    moteFrekvens: 'P1M',
    forsteFamilieteammote: '2031-03-03',
  });
  return id;
}

const osloDate = (ms: number) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date(ms));

beforeAll(async () => {
  stack = await startApiStack();
  config = stack.configs.get('oygarden')!;
  browser = await launchBrowser();
  cases.level0 = await caseAtLevel(0);
  cases.level1 = await caseAtLevel(1);
  cases.level2 = await caseAtLevel(2);
  cases.level3 = await caseAtLevel(3);
  cases.closed = await caseAtLevel(3);
  await send('familielos', 'los-1', cases.closed, 'avsluttFamilielos', { arsak: 'mal_nadd' });
  // A follow-up talk agreed for yesterday: its date has passed the moment it is recorded.
  cases.overdue = await caseAtLevel(1);
  await send('tjenesteyter', 't-1', cases.overdue, 'registrerAvklaringssamtale', {
    utfall: 'lavterskeltiltak',
    oppfolgingsdato: osloDate(Date.now() - 2 * 86400000),
    tiltak: ['Mer voksenkontakt i skolen'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(() => expect(pageErrors).toEqual([]));

async function signedIn(role: string, sub: string, kommune = 'oygarden'): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page, stack.baseUrl, await stack.token(kommune, role, sub));
  return page;
}

/** Opens a case page and waits for the diagram with the case's step; prints how long it took. */
async function openPage(
  page: Page,
  id: string,
  step: string,
  name: string,
  kommune = 'oygarden',
): Promise<void> {
  const started = Date.now();
  await page.goto(`${stack.baseUrl}/visualizer/saker/${id}`);
  await page.waitForSelector(current(step));
  // Painted: the frame after the diagram is in the document.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => r(null)))');
  console.log(`${name}: navigation to painted diagram in ${Date.now() - started} ms`);
  await page.waitForSelector('.timeline li');
  seen.set(name, { kommune, text: await page.locator('main').innerText() });
}

/**
 * At both sizes: nothing wider than the window (the diagram scrolls in its own box), every
 * button in reach, nothing serious for axe on the whole page (header too), a screenshot each.
 */
async function checkSizes(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    expect({ name, width, wider: await wider(page) }).toEqual({ name, width, wider: [] });
    expect({ name, width, out: await buttonsOutOfReach(page) }).toEqual({ name, width, out: [] });
    expect({ name, width, violations: await axeFindings(page) }).toEqual({
      name,
      width,
      violations: [],
    });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

test('when a leader opens a case at each BTI level, then it fits a laptop and a phone, says whom it waits for and shows what was recorded under the forms’ titles', async () => {
  const page = await signedIn('leder', 'leder-1');
  const levels = [
    ['level0', 'undring', 'Tjenesteyter i barnehage, skole/SFO, helsestasjon eller fastlege'],
    [
      'level1',
      'avklaringssamtale',
      'Tjenesteyter i barnehage, skole/SFO, helsestasjon eller fastlege',
    ],
    ['level2', 'ressursteam', 'Ressursteam'],
    ['level3', 'familielos', 'Familielos'],
  ] as const;
  for (const [key, step, waitsFor] of levels) {
    await openPage(page, cases[key], step, `sak-dag-${key}`);
    // The leader may look but the next move is the holder's.
    expect(await page.textContent('[data-testid=waiting-for]')).toContain(
      `saken venter på ${waitsFor}`,
    );
    // The phone shows what can be done before the diagram.
    await page.setViewportSize({ width: 390, height: 844 });
    const actions = await page.locator('.case-actions').boundingBox();
    const diagram = await page.locator('.case-diagram').boundingBox();
    expect(actions!.y).toBeLessThan(diagram!.y);
    expect(diagram!.width).toBeGreaterThan(300);
    await page.setViewportSize({ width: 1366, height: 768 });
    await checkSizes(page, `sak-dag-${key}`);
  }
  // Level 3's recorded data: titled, in words, no JSON.
  const recorded = await page.locator('[data-testid=recorded-data]').innerText();
  expect(recorded).toContain(config.fields!.moteFrekvens.title as string);
  expect(recorded).toMatch(/1 måned/);
  expect(recorded).toMatch(/Barnet har fått tilbud om å bli hørt\s+Ja/);
  expect(recorded).not.toMatch(/[{}"]/);
  // The handover to the familielos in words, by role.
  expect(await page.locator('.timeline').innerText()).toContain(
    'Stafetten gitt fra Ressursteam til Familielos',
  );
  await page.close();
});

test('when a follow-up date has passed, then the case page names the deadline and the day it passed, and never says no deadline is set', async () => {
  const page = await signedIn('tjenesteyter', 't-1');
  await openPage(page, cases.overdue, 'lavterskeltiltak', 'sak-dag-forfalt');
  const overdue = page.locator('.now-overdue');
  await overdue.waitFor();
  const passed = new Intl.DateTimeFormat('nb-NO', {
    timeZone: 'Europe/Oslo',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(new Date(`${osloDate(Date.now() - 2 * 86400000)}T12:00:00Z`));
  expect(await overdue.innerText()).toContain(`Fristen «Oppfølgingssamtale» er passert`);
  expect(await overdue.innerText()).toContain(passed);
  expect(await page.textContent('.alerts')).toContain('Forfalt: «Oppfølgingssamtale»');
  expect(await page.locator('main').innerText()).not.toContain('Ingen frist er satt');
  await checkSizes(page, 'sak-dag-forfalt');
  await page.close();
});

test('when the familielos opens a case closed within the reopen window, then the page says it is closed and reopening it with the keyboard lands the focus on the result', async () => {
  const page = await signedIn('familielos', 'los-1');
  await openPage(page, cases.closed, 'avsluttet_sak', 'sak-dag-avsluttet');
  const now = await page.textContent('[data-testid=now]');
  expect(now).toContain('Saken er avsluttet');
  expect(now).toContain('innen 6 måneder');
  const form = page.locator('details[data-event="reopen"]');
  await form.waitFor();
  await checkSizes(page, 'sak-dag-avsluttet');

  await tabTo(
    page,
    `#${await fieldId(form, 'Dato for første familieteammøte etter gjenåpning (må fylles ut)')}`,
  );
  await page.keyboard.type('03032031');
  await tabTo(page, 'details[data-event="reopen"] button[type=submit]');
  await page.keyboard.press('Enter');
  await page.waitForSelector(current('familielos'));
  const focused = page.locator('.notice-ok:focus');
  await focused.waitFor();
  expect(await focused.textContent()).toContain('Saken er gjenåpnet i «Familielos og familieteam»');
  await page.close();
});

test('when an outcome is chosen, then only its fields show, marked required before sending, and a missing one is named in bokmål', async () => {
  const id = await caseAtLevel(1);
  await send('tjenesteyter', 't-1', id, 'registrerSamtykke', { gittAv: 'parent' });
  const page = await signedIn('tjenesteyter', 't-1');
  await openPage(page, id, 'avklaringssamtale', 'sak-dag-skjema');
  const form = page.locator('details[data-event="registrerAvklaringssamtale"]');
  await form.locator('summary').click();
  const date = form.locator('.field:has(input[name="/oppfolgingsdato"])');
  const responsible = form.locator('.field:has(input[name="/ansvarlig"])');
  expect(await date.isVisible()).toBe(false);
  expect(await responsible.isVisible()).toBe(false);

  await form.locator('select[name="/utfall"]').selectOption({ label: 'Lavterskeltiltak' });
  expect(await date.isVisible()).toBe(true);
  expect(await date.locator('label').innerText()).toBe(
    'Dato for oppfølgingssamtale (må fylles ut)',
  );
  expect(await responsible.isVisible()).toBe(false);

  await form.locator('select[name="/utfall"]').selectOption({ label: 'Ressursteam' });
  expect(await date.isVisible()).toBe(false);
  expect(await responsible.isVisible()).toBe(true);
  await form.locator('button[type=submit]').click();
  const error = responsible.locator('.field-error');
  await error.waitFor();
  expect(await error.innerText()).toContain(
    'Stafettholder i ressursteamet (bruker-id): Må fylles ut.',
  );
  expect(await form.innerText()).not.toMatch(/must|required|property/i);
  await checkSizes(page, 'sak-dag-skjema');
  seen.set('sak-dag-skjema', {
    kommune: 'oygarden',
    text: await page.locator('main').innerText(),
  });
  await page.close();
});

test('when someone uses only the keyboard on a phone, then they send an event and the focus lands on the result', async () => {
  const id = await openCase();
  const page = await signedIn('tjenesteyter', 't-1');
  await page.setViewportSize({ width: 390, height: 844 });
  await openPage(page, id, 'undring', 'sak-dag-tastatur');
  const form = 'details[data-event="registrerVurdering"]';
  // Actions come before the diagram's steps in the tab order.
  const presses = await tabTo(page, `${form} > summary`);
  expect(presses).toBeLessThan(15);
  await page.keyboard.press('Enter');
  for (const label of ['Høyt fravær', 'Konflikter i hjemmet']) {
    await tabTo(page, `#${await fieldId(page.locator(form), label)}`);
    await page.keyboard.press('Space');
  }
  await tabTo(page, `${form} button[type=submit]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(current('avklaringssamtale'));
  const focused = page.locator('.notice-ok:focus');
  await focused.waitFor();
  expect(await focused.textContent()).toContain('Registrert: Registrer vurdering');
  await page.close();
});

test('when a leader of NAV HOLF or Lørenskog opens a new case, then its page fits a laptop and a phone, names the level as the kommune does, and passes axe', async () => {
  const kommuner = [
    ['nav-holf', 'nav_veileder', 'nav_sosialtjeneste', holfIntake()],
    ['lorenskog', 'veiviser', 'innbygger', { henvendelsesgjelder: 'barn', barnetsAlder: 9 }],
  ] as const;
  for (const [kommune, opener, referralSource, payload] of kommuner) {
    const opened = await http(stack.baseUrl, 'POST', `/api/v1/kommuner/${kommune}/cases`, {
      token: await stack.token(kommune, opener, `${opener}-1`),
      body: { referralSource, payload },
    });
    expect(opened.status).toBe(201);
    const page = await signedIn('leder', 'leder-1', kommune);
    await openPage(page, opened.body.caseId, opened.body.step, `sak-dag-${kommune}`, kommune);
    const level = stack.configs.get(kommune)!.steps[opened.body.step].level;
    const name = stack.configs.get(kommune)!.levels![level]!.title;
    expect(await page.textContent('dl.facts dt:has-text("BTI-nivå") + dd')).toBe(
      `Nivå ${level} – ${name}`,
    );
    await checkSizes(page, `sak-dag-${kommune}`);
    await page.close();
  }
});

test('when a Lørenskog case waits for a decision, then its veiviser reads that it waits for the saksbehandler, and the case type under its title', async () => {
  const token = await stack.token('lorenskog', 'veiviser', 'veiviser-1');
  const path = '/api/v1/kommuner/lorenskog/cases';
  const opened = await http(stack.baseUrl, 'POST', path, {
    token,
    body: { referralSource: 'innbygger', payload: { henvendelsesgjelder: 'familie' } },
  });
  expect(opened.status).toBe(201);
  const sent = await http(stack.baseUrl, 'POST', `${path}/${opened.body.caseId}/events`, {
    token,
    body: {
      type: 'avklarSakstype',
      payload: { sakstype: 'koordinator' },
      expectedRevision: opened.body.revision,
    },
  });
  expect(sent.status).toBe(200);
  const page = await signedIn('veiviser', 'veiviser-1', 'lorenskog');
  await openPage(
    page,
    opened.body.caseId,
    'vurdering_koordinator',
    'sak-dag-lorenskog-vedtak',
    'lorenskog',
  );
  expect(await page.textContent('[data-testid=waiting-for]')).toContain(
    'saken venter på Saksbehandler (vedtak)',
  );
  expect(await page.locator('[data-testid=recorded-data]').innerText()).toMatch(
    /Sakstype\s+Koordinator/,
  );
  await page.close();
});

test('when the seed journeys are shown, then no English engine words and no raw step or role id of the config reach the page', () => {
  expect([...seen.keys()].length).toBeGreaterThanOrEqual(9);
  for (const [name, { kommune, text }] of seen) {
    const seedConfig = stack.configs.get(kommune)!;
    // Every title the config writes (steps, roles, events, timers, fields, forms …).
    const titles: string[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === 'title' && typeof x === 'string') titles.push(x);
          else collect(x);
        }
    };
    collect(seedConfig);
    const words = (t: string) => new Set(t.match(/[\p{L}\p{N}_-]+/gu) ?? []);
    // An id that is also a word the config itself writes in a title (as "Registrer
    // avklaringssamtale" does) is no leak; case counts, so "Familielos" does not excuse "familielos".
    const titleWords = new Set(titles.flatMap((t) => [...words(t)]));
    const ids = [
      ...Object.keys(seedConfig.steps),
      ...Object.keys(seedConfig.roles),
      seedConfig.id,
    ].filter((id) => !titleWords.has(id));
    const english =
      /\b(must|required|property|notify|holder|deadline|reminder|recurring|handed_over|closed|withdrawn|overdue|version|the case|not allowed|invalid|rejected|payload|consent|forbidden|unknown|escalated|inactivity|reopen)\b/i;
    const found = words(text);
    const leaks = ids
      .filter((id) => found.has(id))
      .map((id) =>
        text.slice(Math.max(0, text.indexOf(id) - 60), text.indexOf(id) + id.length + 20),
      );
    expect({ name, leaks }).toEqual({ name, leaks: [] });
    expect({ name, english: english.exec(text)?.[0] ?? null }).toEqual({ name, english: null });
    // Durations in words ("innen 6 måneder"), never as ISO 8601 ("P6M").
    expect({ name, iso: /\bPT?\d+[YMWDH]\b/.exec(text)?.[0] ?? null }).toEqual({ name, iso: null });
  }
});

test('when a page has a button without a name, then the accessibility check the pages pass names it', async () => {
  // Guards support/axe.ts's way of running axe: a check that found nothing would pass every page.
  const page = await browser.context.newPage();
  await page.setContent('<html lang="nb"><title>t</title><main><button></button></main></html>');
  expect((await axeFindings(page)).join('\n')).toMatch(/^button-name: /);
  await page.close();
});
