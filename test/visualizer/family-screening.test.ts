/**
 * The families' public self-assessment (#13) in a real browser, as an anonymous parent on the
 * app `npm start` serves (its Temporal connection is never used here, so it is left lazy): a
 * low score gives advice with the kommune's offers and leaves nothing but one anonymous count; a
 * high score recommends a talk with a "Be om en samtale" form carrying the answers. The pages
 * work without JavaScript, pass axe at a laptop's and a phone's size, and refuse what is not a
 * well-formed answer in bokmål.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import type { Page } from 'playwright-core';
import { loadConfigDir } from '../../config';
import { createSealer, loadKeyRing } from '../../runtime/key-ring';
import { createApp, type SluseApp } from '../../server/app';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../../server/auth-settings';
import { staticConfigSource } from '../../server/config-source';
import { loadDevIssuer, type DevIssuer } from '../../server/dev-issuer';
import {
  CaseLog,
  CaseloadLimits,
  ScreeningCounts,
  openDatabase,
  screeningMonth,
  type SqlDatabase,
} from '../../store';
import { http } from '../server/api-stack';
import { axeFindings } from './support/axe';
import { launchBrowser, SCREENSHOTS, type TestBrowser } from './support/browser';
import { memoryDatabase } from '../support/memory-database';

let db: SqlDatabase;
let app: SluseApp;
let server: Server;
let baseUrl: string;
let issuer: DevIssuer;
let browser: TestBrowser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluse-screening-'));
  db = await openDatabase(memoryDatabase());
  app = createApp({
    health: { client: new Client(), namespace: 'unused', workerState: () => 'absent' },
    api: {
      client: new Client(),
      taskQueue: 'unused',
      configs: staticConfigSource(new Map(loadConfigDir().configs)),
      caseLog: new CaseLog(db, createSealer(loadKeyRing(dataDir))),
      caseloadLimits: new CaseloadLimits(db),
      screeningCounts: new ScreeningCounts(db),
      auth: { kind: 'dev', issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE },
      dataDir,
    },
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  issuer = await loadDevIssuer(dataDir);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.api?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await db?.close();
});

afterEach(() => expect(pageErrors).toEqual([]));

/** Rows of every table in the store, and the count table's columns. */
async function storeShape(): Promise<{ rows: Record<string, number>; columns: string[] }> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  const rows: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`);
    rows[table_name] = n;
  }
  const columns = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'screening_count' ORDER BY ordinal_position`,
  );
  return { rows, columns: columns.map((c) => c.column_name) };
}

/** axe at 1366×768 and 390×844, a full-page screenshot at each; serious or critical fails. */
async function checkPage(name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const [width, height] of [
    [1366, 768],
    [390, 844],
  ]) {
    await page.setViewportSize({ width, height });
    const violations = await axeFindings(page);
    expect({ page: name, width, violations }).toEqual({ page: name, width, violations: [] });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

/** Picks the first (no worry) or the last (most worry) answer of every question. */
async function answerAll(pick: 'first' | 'last'): Promise<void> {
  for (const fieldset of await page.locator('form fieldset').all()) {
    await fieldset.locator('input[type=radio]')[pick]().check();
  }
}

test('when a parent of a 7-year-old with few worries takes the screening, then the result gives advice with the offers, and only one anonymous count is kept (no cookie)', async () => {
  const before = await storeShape();
  const start = await page.goto(`${baseUrl}/familie/oygarden/`);
  expect(start!.status()).toBe(200);
  expect(await page.getAttribute('html', 'lang')).toBe('nb');
  expect(await page.textContent('h1')).toBe('Hvordan har barnet ditt det?');
  await checkPage('familie-start');

  await page.getByRole('link', { name: 'Barn 6–12 år' }).click();
  await page.waitForURL('**/familie/oygarden/sporsmal?alder=barn-6-12');
  // Every question is a group named by its legend, every answer a labelled radio button.
  expect(await page.getByRole('group').count()).toBe(6);
  await page
    .getByRole('group', { name: /venner/ })
    .getByRole('radio', { name: 'Litt, av og til' })
    .check();
  await checkPage('familie-sporsmal');
  // No worries, but for a little about friends: 1 point, still the lowest band.
  await answerAll('first');
  await page
    .getByRole('group', { name: /venner/ })
    .getByRole('radio', { name: 'Litt, av og til' })
    .check();
  await page.getByRole('button', { name: 'Se resultatet' }).click();

  await page.waitForSelector('h1:text("Det høres ut som det går bra")');
  const offers = await page.locator('.tilbud h3').allTextContents();
  expect(offers).toEqual(['Skolehelsetjenesten', 'Kontaktlæreren']);
  expect(await page.getByRole('button', { name: 'Be om en samtale' }).count()).toBe(0);
  await checkPage('familie-resultat-lav');

  expect(await browser.context.cookies()).toEqual([]);
  const after = await storeShape();
  expect(after.columns).toEqual(['kommune', 'month', 'age_band', 'result_band', 'completed']);
  expect(after.rows).toEqual({ ...before.rows, screening_count: before.rows.screening_count + 1 });
  expect(
    await db.query(`SELECT kommune, month, age_band, result_band, completed FROM screening_count`),
  ).toEqual([
    {
      kommune: 'oygarden',
      month: screeningMonth(new Date()),
      age_band: 'barn-6-12',
      result_band: 'lav',
      completed: 1,
    },
  ]);
});

test('when a parent of a toddler answers with many worries, then the result recommends a talk and "Be om en samtale" posts the answers and age band to /familie/oygarden/kontakt', async () => {
  await page.goto(`${baseUrl}/familie/oygarden/sporsmal?alder=barn-0-5`);
  // Sent with one question unanswered (the browser's own check is off, as in old browsers):
  // the page says which, and keeps the answers given.
  await answerAll('last');
  await page.evaluate(`
    document.querySelector('form').noValidate = true;
    for (const radio of document.querySelectorAll('input[name="svar.sovnMat"]')) radio.checked = false;
  `);
  await page.getByRole('button', { name: 'Se resultatet' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toContain(
    'Svar på spørsmålet «Er det ofte vanskelig med søvn eller mat?».',
  );
  expect(await page.getAttribute('fieldset#sp-sovnMat', 'aria-invalid')).toBe('true');
  expect(await page.locator('input[name="svar.uro"][value="ja"]').isChecked()).toBe(true);
  await checkPage('familie-sporsmal-mangler');

  await page.click('input[name="svar.sovnMat"][value="ja"]');
  await page.getByRole('button', { name: 'Se resultatet' }).click();
  await page.waitForSelector('h1:text("Vi anbefaler en samtale")');
  await checkPage('familie-resultat-hoy');

  let posted: URLSearchParams | undefined;
  await page.route('**/familie/oygarden/kontakt', async (route) => {
    posted = new URLSearchParams(route.request().postData() ?? '');
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>mottatt</p>' });
  });
  await page.getByRole('button', { name: 'Be om en samtale' }).click();
  await page.waitForSelector('text=mottatt');
  expect(posted?.get('ageBand')).toBe('barn-0-5');
  expect(JSON.parse(posted?.get('answers') ?? '{}')).toEqual({
    endring: 'ja',
    lek: 'ja',
    utvikling: 'ja',
    sovnMat: 'ja',
    sliten: 'ja',
    uro: 'ja',
  });
  expect(await browser.context.cookies()).toEqual([]);
});

test('the pages send a strict CSP, no cookie, and refuse unknown kommuner, stale or oversized forms with a page in bokmål', async () => {
  const start = await fetch(`${baseUrl}/familie/oygarden/`);
  expect(start.headers.get('set-cookie')).toBeNull();
  expect(start.headers.get('content-security-policy')).toMatch(
    /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/,
  );
  expect(start.headers.get('referrer-policy')).toBe('no-referrer');

  const unknown = await http(baseUrl, 'GET', '/familie/atlantis/');
  expect([unknown.status, unknown.body]).toEqual([
    404,
    expect.stringContaining('<h1>Siden finnes ikke</h1>'),
  ]);
  expect(unknown.body).toContain('<html lang="nb">');
  const noScreening = await http(baseUrl, 'GET', '/familie/nav-holf/');
  expect(noScreening.status).toBe(404);
  expect(noScreening.body).toContain('har ikke egenvurdering på nett ennå');

  const form = (body: string) =>
    http(baseUrl, 'POST', '/familie/oygarden/resultat', {
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  const forged = await form('alder=barn-6-12&svar.venner=kanskje');
  expect([forged.status, forged.body]).toEqual([
    400,
    expect.stringContaining('Skjemaet må fylles ut på nytt'),
  ]);
  const tooMany = await form(Array.from({ length: 41 }, (_, i) => `svar.q${i}=nei`).join('&'));
  expect([tooMany.status, tooMany.body]).toEqual([
    413,
    expect.stringContaining('Skjemaet kunne ikke leses'),
  ]);
  const tooLarge = await form(`alder=${'x'.repeat(9000)}`);
  expect(tooLarge.status).toBe(413);
  // Nothing refused was counted.
  expect(await db.query('SELECT sum(completed)::int AS n FROM screening_count')).toEqual([
    { n: 2 },
  ]);
});

test('a leader reads the anonymous counts at GET /api/v1/kommuner/oygarden/screening-stats; a role that sees only its own cases, and no token, may not', async () => {
  const token = (role: string) =>
    issuer.sign({ sub: `u-${role}`, kommune: 'oygarden', role, audience: DEFAULT_AUDIENCE });
  const path = '/api/v1/kommuner/oygarden/screening-stats';
  const leader = await http(baseUrl, 'GET', path, { token: await token('leder') });
  const month = screeningMonth(new Date());
  expect([leader.status, leader.body]).toEqual([
    200,
    {
      kommune: 'oygarden',
      counts: [
        { month, ageBand: 'barn-0-5', resultBand: 'hoy', completed: 1 },
        { month, ageBand: 'barn-6-12', resultBand: 'lav', completed: 1 },
      ],
    },
  ]);
  const own = await http(baseUrl, 'GET', path, { token: await token('tjenesteyter') });
  expect([own.status, own.body.error?.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
  expect((await http(baseUrl, 'GET', path)).status).toBe(401);
  const openapi = await http(baseUrl, 'GET', '/openapi.json');
  expect(openapi.body.paths['/api/v1/kommuner/{kommune}/screening-stats'].get.operationId).toBe(
    'getScreeningStats',
  );
  // The month is Norway's: late on 30 November UTC is already December in Oslo.
  expect(screeningMonth(new Date('2026-11-30T23:30:00Z'))).toBe('2026-12');
});
