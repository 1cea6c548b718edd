/**
 * The statistics page in a real browser against the real stack (Temporal dev server, worker, API,
 * store): five cases opened through the API in Øygarden (two referral sources, one closed with a
 * reason, one moved on until its follow-up date passed). What a leader reads there: every figure
 * drawn as a chart, each with a table whose numbers are the API's for the same query; a new
 * range or step redraws both, and "Last ned CSV" saves the API's CSV for that query; on a phone
 * one column with no sideways scrolling; no serious or critical axe findings at either size. A
 * role that sees only its own cases is told in bokmål that the page is not for it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { KommuneStats } from '../../server/api-schemas';
import { eventually, http, startApiStack, type ApiStack } from '../server/api-stack';
import { axeFindings } from './support/axe';
import {
  launchBrowser,
  screenshot,
  SCREENSHOTS,
  signIn,
  type TestBrowser,
} from './support/browser';

let stack: ApiStack;
let browser: TestBrowser;
const pageErrors: string[] = [];
const tokens: Record<string, string> = {};
const DAY_MS = 86400000;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
const base = '/api/v1/kommuner/oygarden';
const FIGURES = [
  'nye-saker',
  'trakt',
  'apne',
  'tid-i-steg',
  'utfall',
  'hendelser',
  'saksmengde',
  'feltverdier',
];

beforeAll(async () => {
  stack = await startApiStack();
  browser = await launchBrowser();
  tokens.t1 = await stack.token('oygarden', 'tjenesteyter', 't-1');
  tokens.t2 = await stack.token('oygarden', 'tjenesteyter', 't-2');
  tokens.leder = await stack.token('oygarden', 'leder', 'l-1');
  // One holder named in the staff directory, one not: the page names one, pseudonyms the other.
  const put = await http(stack.baseUrl, 'PUT', `${base}/staff-directory/t-1`, {
    token: tokens.leder,
    body: { displayName: 'Tone Tjenesteyter', email: 't-1@example.no' },
  });
  expect(put.status).toBe(200);
  // t-1 may hold two open cases, and holds two: full.
  const limit = await http(stack.baseUrl, 'PUT', `${base}/caseload-limits/t-1`, {
    token: tokens.leder,
    body: { maxOpenCases: 2 },
  });
  expect(limit.status).toBe(200);
  await openCase(tokens.t1, 'skole');
  await openCase(tokens.t1, 'skole');
  const closed = await openCase(tokens.t1, 'skole');
  await send(tokens.t1, closed, 'avsluttSak', { arsak: 'ingen_grunn_til_bekymring' });
  await openCase(tokens.t2, 'barnehage');
  // A follow-up talk agreed for a day already past: its timer marks the step overdue at once.
  const late = await openCase(tokens.t2, 'barnehage');
  await send(tokens.t2, late, 'registrerVurdering', {
    risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
  });
  await send(tokens.t2, late, 'registrerAvklaringssamtale', {
    utfall: 'lavterskeltiltak',
    oppfolgingsdato: new Date(Date.now() - 2 * DAY_MS).toISOString().slice(0, 10),
    tiltak: ['Samtaler med kontaktlærer'],
  });
  await eventually('the history in the statistics', async () => {
    const s = await stats('');
    return s.totalCases === 5 && s.outcomes.length === 1 && s.overdue.flagged === 1
      ? true
      : undefined;
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(() => expect(pageErrors).toEqual([]));

async function openCase(token: string, source: string): Promise<string> {
  const opened = await http(stack.baseUrl, 'POST', `${base}/cases`, {
    token,
    body: { referralSource: source, payload: { arena: source, barnetsAlder: 9 } },
  });
  expect(opened.status).toBe(201);
  return opened.body.caseId;
}

async function send(token: string, id: string, type: string, payload: unknown): Promise<void> {
  const path = `${base}/cases/${id}`;
  const { body } = await http(stack.baseUrl, 'GET', path, { token });
  const sent = await http(stack.baseUrl, 'POST', `${path}/events`, {
    token,
    body: { type, payload, expectedRevision: body.revision },
  });
  expect(sent.status).toBe(200);
}

async function stats(query: string): Promise<KommuneStats> {
  const res = await http<KommuneStats>(stack.baseUrl, 'GET', `${base}/stats${query}`, {
    token: tokens.leder,
  });
  expect(res.status).toBe(200);
  return res.body;
}

/** Signed in as `who`, on the statistics page by the header's link (a leader) or its address. */
async function statsPage(
  who: string,
  viewport = DESKTOP,
  chunksAsked: Array<{ path: string; url: string }> = [],
): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Which page asked for split-off code (Chart.js), by the page's path at the time.
  page.on('request', (r) => {
    if (r.url().includes('/visualizer/assets/chunk-'))
      chunksAsked.push({ path: new URL(page.url()).pathname, url: r.url() });
  });
  await page.setViewportSize(viewport);
  await signIn(page, stack.baseUrl, tokens[who]!);
  if (who === 'leder') {
    await page.click('nav a:text-is("Statistikk")');
    await page.waitForURL('**/visualizer/statistikk');
  } else await page.goto(`${stack.baseUrl}/visualizer/statistikk`);
  await page.waitForSelector('.stats-figure, .notice');
  return page;
}

interface ShownTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

// Run in the page (strings: the tests are compiled without the DOM's types).
const tableOf = (page: Page, figure: string) =>
  page.evaluate<ShownTable | null>(`(() => {
    const t = document.querySelector('[data-figure="${figure}"] table');
    if (!t) return null;
    const text = (cells) => [...cells].map((c) => c.textContent ?? '');
    return {
      caption: t.caption?.textContent ?? '',
      columns: text(t.tHead.rows[0].cells),
      rows: [...t.tBodies[0].rows].map((r) => text(r.cells)),
    };
  })()`);

async function shown(page: Page, figure: string): Promise<ShownTable> {
  const t = await tableOf(page, figure);
  if (!t) throw new Error(`the figure ${figure} has no table`);
  return t;
}

/** "1 234,5" → 1234.5; "–" → null. */
const num = (text: string) =>
  text === '–' ? null : Number(text.replace(/\s/g, '').replace(',', '.'));

const monthWords = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'UTC',
  month: 'long',
  year: 'numeric',
});
const monthText = (m: string) =>
  monthWords.format(new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 15)));

/** Every table of the page against the API's answer for the same query, figure by figure. */
async function expectTablesToMatch(page: Page, s: KommuneStats): Promise<void> {
  const config = stack.configs.get('oygarden')!;
  const step = (id: string) => config.steps[id].title;
  const source = (id: string) => config.referralSources[id].title;

  const months = [...new Set(s.newCasesPerMonth.map((c) => c.month))].sort();
  const fresh = await shown(page, 'nye-saker');
  expect(fresh.columns[0]).toBe('Måned');
  expect(fresh.columns.at(-1)).toBe('I alt');
  const sources = fresh.columns.slice(1, -1);
  expect(sources.sort()).toEqual(
    [...new Set(s.newCasesPerMonth.map((c) => source(c.referralSource)))].sort(),
  );
  expect(fresh.rows.map((r) => r[0])).toEqual(months.map(monthText));
  for (const row of fresh.rows) {
    const month = months[fresh.rows.indexOf(row)];
    fresh.columns.slice(1, -1).forEach((title, i) => {
      const c = s.newCasesPerMonth.find(
        (x) => x.month === month && source(x.referralSource) === title,
      );
      expect(num(row[i + 1])).toBe(c?.count ?? 0);
    });
    const total = s.newCasesPerMonth
      .filter((x) => x.month === month)
      .reduce((n, x) => n + x.count, 0);
    expect(num(row.at(-1)!)).toBe(total);
  }
  expect(fresh.caption).toMatch(
    /^Nye saker per måned og hvem som meldte, \d{1,2}\. \p{L}+ \d{4} – /u,
  );

  expect((await shown(page, 'trakt')).rows).toEqual(
    s.funnel.map((f) => [step(f.step), String(f.level), String(f.entered)]),
  );
  expect((await shown(page, 'apne')).rows.map((r) => [r[0], num(r[2])])).toEqual(
    s.openByLevelAndStep.map((o) => [step(o.step), o.count]),
  );
  expect((await shown(page, 'tid-i-steg')).rows.map(([t, ...n]) => [t, ...n.map(num)])).toEqual(
    s.timeInStep.steps.map((t) => [
      step(t.step),
      t.completedVisits,
      t.medianDays,
      t.p90Days,
      t.ongoing,
    ]),
  );
  const outcomes = await tableOf(page, 'utfall');
  if (s.outcomes.length === 0) expect(outcomes).toBeNull();
  else
    expect(outcomes!.rows.map((r) => [r[0], r[1], num(r[2])])).toEqual(
      s.outcomes.map((o) => [
        { closed: 'Avsluttet', handed_over: 'Overført', withdrawn: 'Trukket' }[o.outcome],
        o.reason === 'ingen_grunn_til_bekymring' ? 'Ingen grunn til bekymring' : o.reason,
        o.count,
      ]),
    );
  expect((await shown(page, 'hendelser')).rows.map((r) => num(r[1]))).toEqual([
    s.reopened,
    s.escalations,
    s.overdue.flagged,
    s.overdue.pastDue,
    s.messages.delivered,
    s.messages.failed,
  ]);
  const caseload = await shown(page, 'saksmengde');
  expect(caseload.rows.map((r) => num(r[2]))).toEqual(s.caseloadPerHolder.map((c) => c.openCases));
  expect(caseload.rows.map((r) => r[1])).toEqual(
    s.caseloadPerHolder.map((c) => config.roles[c.role!].title),
  );
  // Each holder's limit beside their caseload, marked when reached.
  expect(caseload.rows.map((r) => r[3])).toEqual(
    s.caseloadPerHolder.map((c) =>
      c.limit === null ? 'ingen' : c.openCases >= c.limit ? `${c.limit} (full)` : `${c.limit}`,
    ),
  );
  const fields = await shown(page, 'feltverdier');
  expect(fields.rows.map((r) => num(r[1]))).toEqual(s.fieldValues.map((f) => f.cases));
}

/** How much of a figure's canvas is painted, and how much in the first series' colour (#0b5cad). */
const paintOf = (page: Page, figure: string) =>
  page.evaluate<{ painted: number; bars: number; width: number; height: number; url: string }>(
    `(() => {
      const c = document.querySelector('[data-figure="${figure}"] canvas');
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let painted = 0;
      let bars = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0) painted++;
        if (data[i] === 0x0b && data[i + 1] === 0x5c && data[i + 2] === 0xad && data[i + 3] === 255)
          bars++;
      }
      return { painted, bars, width: c.width, height: c.height, url: c.toDataURL() };
    })()`,
  );

async function show(page: Page, fill: (page: Page) => Promise<unknown>): Promise<void> {
  const answered = page.waitForResponse((r) => r.url().includes(`${base}/stats?`));
  await fill(page);
  await page.click('form.stats-filters button[type=submit]');
  await answered;
  await page.waitForFunction("!document.querySelector('form.stats-filters button').disabled");
}

test("when a leader opens Statistikk from the header, then every figure is drawn as a chart and each table shows the API's numbers for the year up to today", async () => {
  const chunksAsked: Array<{ path: string; url: string }> = [];
  const page = await statsPage('leder', DESKTOP, chunksAsked);
  const s = await stats('');
  // Chart.js comes with this page only: the case list the leader signed in to did not load it.
  const hasChartJs = async (url: string) =>
    (await (await fetch(url)).text()).includes('BarController');
  const onStats = chunksAsked.filter((c) => c.path === '/visualizer/statistikk');
  const before = chunksAsked.filter((c) => c.path !== '/visualizer/statistikk');
  expect((await Promise.all(onStats.map((c) => hasChartJs(c.url)))).includes(true)).toBe(true);
  expect((await Promise.all(before.map((c) => hasChartJs(c.url)))).includes(true)).toBe(false);
  expect(await page.inputValue('#s-from')).toBe(s.range.from);
  expect(await page.inputValue('#s-to')).toBe(s.range.to);
  expect(
    await page.locator('.stats-figure').evaluateAll((f) => f.map((x) => x.dataset.figure)),
  ).toEqual(FIGURES);
  for (const figure of FIGURES) {
    const paint = await paintOf(page, figure);
    expect({ figure, drawn: paint.width > 0 && paint.height > 0 && paint.painted > 0 }).toEqual({
      figure,
      drawn: true,
    });
    // Bars where the API counts something (time in step can be 0 days on a fresh history).
    if (figure !== 'tid-i-steg')
      expect({ figure, bars: paint.bars > 0 }).toEqual({ figure, bars: true });
  }
  await expectTablesToMatch(page, s);
  // t-1's own limit of two, reached; t-2's role has no capacity rule.
  const limits = s.caseloadPerHolder.map((c) => [c.openCases, c.limit]);
  expect(limits).toHaveLength(2);
  expect(limits).toEqual(
    expect.arrayContaining([
      [2, 2],
      [2, null],
    ]),
  );
  // Named where the staff directory names the holder; else told apart by the pseudonym.
  const holders = (await shown(page, 'saksmengde')).rows.map((r) => r[0]);
  expect(holders).toContain('Tone Tjenesteyter');
  expect(holders.filter((n) => n.startsWith('Pseudonym '))).toHaveLength(1);
  expect(await page.textContent('[role=status].stats-status')).toContain('5 nye saker');
  await page.close();
});

test("when the leader picks a step or a form's choice, then the charts and tables redraw with the API's figures for it, and the CSV saved is the API's for the same query", async () => {
  const page = await statsPage('leder');
  const before = await paintOf(page, 'nye-saker');
  await show(page, (p) => p.selectOption('#s-step', 'undring'));
  const s = await stats(
    `?from=${await page.inputValue('#s-from')}&to=${await page.inputValue('#s-to')}&step=undring`,
  );
  expect(s.totalCases).toBe(3);
  await expectTablesToMatch(page, s);
  expect((await paintOf(page, 'nye-saker')).url).not.toBe(before.url);
  // Nobody in the step has closed: that figure says so in words instead of an empty chart.
  expect(await page.textContent('[data-figure="utfall"]')).toContain(
    'Ingen saker i perioden og utvalget.',
  );

  const href = (await page.getAttribute('[data-testid=csv-link]', 'href'))!;
  const query = `?from=${s.range.from}&to=${s.range.to}&step=undring`;
  expect(href).toBe(`${base}/stats.csv${query}`);
  const saved = page.waitForEvent('download');
  await page.click('[data-testid=csv-link]');
  const file = await saved;
  expect(file.suggestedFilename()).toBe(`statistikk-oygarden-${s.range.from}-${s.range.to}.csv`);
  const csv = await http(stack.baseUrl, 'GET', `${base}/stats.csv${query}`, {
    token: tokens.leder,
  });
  // The same file but for the moment open cases were counted at ("now", a little later).
  const withoutAsOf = (text: string) => text.replace(/^(range,[^,]*,[^,]*,asOf,).*$/m, '$1');
  const file_ = readFileSync((await file.path())!, 'utf8');
  expect(file_.startsWith('\uFEFFfigure,key,key2,measure,value\r\n')).toBe(true);
  expect(withoutAsOf(file_.slice(1))).toBe(withoutAsOf(csv.body));

  // A choice recorded in a form, by its title: the cases that arose in a barnehage.
  await show(page, async (p) => {
    await p.selectOption('#s-step', '');
    await p.selectOption('#s-field', { label: 'Arena der undringen oppsto: Barnehage' });
  });
  const byArena = `?from=${s.range.from}&to=${s.range.to}&field=arena&value=barnehage`;
  const arena = await stats(byArena);
  expect(arena.totalCases).toBe(2);
  await expectTablesToMatch(page, arena);
  expect(await page.getAttribute('[data-testid=csv-link]', 'href')).toBe(
    `${base}/stats.csv${byArena}`,
  );
  await page.close();
});

test('when the leader picks last year, then every figure says there are no cases, and a start after the end is refused at the field in bokmål', async () => {
  const page = await statsPage('leder');
  const year = new Date().getUTCFullYear() - 1;
  await show(page, async (p) => {
    await p.fill('#s-from', `${year}-01-01`);
    await p.fill('#s-to', `${year}-06-30`);
  });
  const s = await stats(`?from=${year}-01-01&to=${year}-06-30`);
  expect(s.totalCases).toBe(0);
  expect(await page.textContent('[role=status].stats-status')).toMatch(
    new RegExp(`^1\\. januar ${year} – 30\\. juni ${year}: 0 nye saker\\. Åpne saker telt `),
  );
  expect(await page.textContent('[data-figure="nye-saker"]')).toContain(
    'Ingen saker i perioden og utvalget.',
  );
  expect(await page.locator('[data-figure="nye-saker"] canvas').count()).toBe(0);

  await show(page, (p) => p.fill('#s-from', `${year}-07-01`));
  expect(await page.getAttribute('#s-from', 'aria-invalid')).toBe('true');
  expect(await page.textContent('#s-from-error')).toBe('Fra-datoen er etter til-datoen.');
  expect(await page.textContent('.notice-error')).toContain(
    'Perioden for statistikken er ikke gyldig.',
  );
  await page.close();
});

test('when the page is read at 1366×768 and on a 390×844 phone, then axe finds nothing serious and the phone shows one column with nothing scrolling sideways', async () => {
  const wide = await statsPage('leder');
  expect(await axeFindings(wide)).toEqual([]);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await wide.screenshot({ path: join(SCREENSHOTS, 'statistikk-1366.png'), fullPage: true });
  await wide.close();

  const phone = await statsPage('leder', PHONE);
  const width = await phone.evaluate<{ scroll: number; viewport: number }>(
    '({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })',
  );
  expect(width.scroll).toBeLessThanOrEqual(width.viewport);
  const lefts = await phone
    .locator('.stats-figure')
    .evaluateAll((f) => [...new Set(f.map((x) => Math.round(x.getBoundingClientRect().left)))]);
  expect(lefts).toHaveLength(1);
  for (const figure of FIGURES) expect((await paintOf(phone, figure)).painted).toBeGreaterThan(0);
  expect(await axeFindings(phone)).toEqual([]);
  await screenshot(phone, 'statistikk-390');
  await phone.close();
});

test('when a tjenesteyter opens the statistics page, then they read in bokmål that it is for roles that see every case, and the header offers no link to it', async () => {
  const page = await statsPage('t1');
  expect(await page.textContent('main .notice')).toContain(
    'bare roller som ser alle sakene (som ledere) kan åpne den',
  );
  expect(await page.locator('.stats-figure').count()).toBe(0);
  await page.waitForFunction(
    "document.querySelector('[data-testid=viewer-kommune]')?.textContent !== ''",
  );
  expect(await page.locator('nav a').allInnerTexts()).toEqual(['Saker', 'Slusemodell']);
  const refused = await http(stack.baseUrl, 'GET', `${base}/stats`, { token: tokens.t1 });
  expect(refused.status).toBe(403);
  await page.close();
});
