/**
 * The case list in a real browser against the real stack (Temporal dev server, worker, API,
 * store): four cases in Øygarden, two held by one tjenesteyter, one of them closed, one held by
 * another. What a coordinator reads there: an honest status (closed says so, a passed deadline
 * says so, "I rute" only when on track), opened date and time in step, sorting, "Mine saker"
 * first for a role that sees its own cases, a holder picked by name (the id travels, the name
 * does not), plurals, titles from the config in the header; on a phone one card per case and
 * no sideways scrolling; no serious or critical axe findings at either size.
 */
import type { Page } from 'playwright-core';
import { eventually, http, startApiStack, type ApiStack } from '../server/api-stack';
import { axeFindings } from './support/axe';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';

let stack: ApiStack;
let browser: TestBrowser;
const pageErrors: string[] = [];
const tokens: Record<string, string> = {};
/** In the order opened: two of t-1's, t-1's closed one, two of t-2's (the last overdue). */
const cases = { first: '', second: '', closed: '', other: '', late: '' };
const DAY_MS = 86400000;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
const base = '/api/v1/kommuner/oygarden';

beforeAll(async () => {
  stack = await startApiStack();
  browser = await launchBrowser();
  tokens.t1 = await stack.token('oygarden', 'tjenesteyter', 't-1');
  tokens.t2 = await stack.token('oygarden', 'tjenesteyter', 't-2');
  tokens.leder = await stack.token('oygarden', 'leder', 'l-1');
  for (const [id, displayName] of [
    ['t-1', 'Tone Tjenesteyter'],
    ['t-2', 'Kari Lærer'],
  ]) {
    const put = await http(stack.baseUrl, 'PUT', `${base}/staff-directory/${id}`, {
      token: tokens.leder,
      body: { displayName, email: `${id}@example.no` },
    });
    expect(put.status).toBe(200);
  }
  cases.first = await openCase(tokens.t1);
  cases.second = await openCase(tokens.t1);
  cases.closed = await openCase(tokens.t1);
  await send(tokens.t1, cases.closed, 'avsluttSak', { arsak: 'ingen_grunn_til_bekymring' });
  cases.other = await openCase(tokens.t2);
  // A follow-up talk agreed for a day already past: its timer fires at once and marks the step
  // overdue, as a real one does when the day passes with no talk held.
  cases.late = await openCase(tokens.t2);
  await send(tokens.t2, cases.late, 'registrerVurdering', {
    risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
  });
  await send(tokens.t2, cases.late, 'registrerAvklaringssamtale', {
    utfall: 'lavterskeltiltak',
    oppfolgingsdato: new Date(Date.now() - 2 * DAY_MS).toISOString().slice(0, 10),
    tiltak: ['Samtaler med kontaktlærer'],
  });
  await eventually('every case in the list with its times', async () => {
    const res = await http(stack.baseUrl, 'GET', `${base}/cases?pageSize=100`, {
      token: tokens.leder,
    });
    const byId = new Map(
      (res.body.cases as Array<Record<string, unknown>>).map((c) => [c.caseId, c]),
    );
    const ready =
      Object.values(cases).every((id) => byId.get(id)?.openedAt) &&
      byId.get(cases.closed)?.status === 'closed' &&
      byId.get(cases.late)?.overdue === true;
    return ready ? true : undefined;
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(() => expect(pageErrors).toEqual([]));

async function openCase(token: string): Promise<string> {
  const opened = await http(stack.baseUrl, 'POST', `${base}/cases`, {
    token,
    body: { referralSource: 'skole', payload: { arena: 'skole', barnetsAlder: 9 } },
  });
  expect(opened.status).toBe(201);
  // Opened a few ms apart, so "newest first" has one answer.
  await new Promise((r) => setTimeout(r, 30));
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

/** A fresh tab (its own session, so no saved filters), signed in, with the list drawn. */
async function listAs(
  who: string,
  viewport = DESKTOP,
  setUp?: (page: Page) => Promise<void>,
): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setViewportSize(viewport);
  await setUp?.(page);
  await signIn(page, stack.baseUrl, tokens[who]!);
  await page.waitForSelector('table.cases, .notice');
  return page;
}

const rowIds = (page: Page) =>
  page.locator('table.cases tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.case));
const statusOf = (page: Page, id: string) =>
  page.locator(`tr[data-case="${id}"] [data-testid=case-status]`).innerText();

async function show(page: Page, fill: (page: Page) => Promise<unknown>): Promise<void> {
  const answered = page.waitForResponse((r) => r.url().includes(`${base}/cases?`));
  await fill(page);
  await page.click('form.filters button[type=submit]');
  await answered;
  await page.waitForSelector('table.cases, .notice');
}

/** The header's titles arrive with the config, a moment after the list. */
const TITLES_SHOWN = "document.querySelector('[data-testid=viewer-kommune]')?.textContent !== ''";

const displayOf = (page: Page, selector: string) =>
  page.evaluate<string>(
    `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).display`,
  );

test('when a tjenesteyter opens the list, then "Mine saker" is ticked and only their open cases show, counted as "2 saker"', async () => {
  const page = await listAs('t1');
  expect(await page.isChecked('#f-mine')).toBe(true);
  expect((await rowIds(page)).sort()).toEqual([cases.first, cases.second].sort());
  expect(await page.textContent('table.cases caption')).toMatch(/^2 saker,/);
  await page.close();
});

test('when the closed case is the only one listed, then it says "Avsluttet", not "I rute", and the count reads "1 sak"', async () => {
  const page = await listAs('t1');
  await show(page, (p) => p.selectOption('#f-status', 'closed'));
  expect(await rowIds(page)).toEqual([cases.closed]);
  expect(await page.textContent('table.cases caption')).toMatch(/^1 sak,/);
  const status = await statusOf(page, cases.closed);
  expect(status).toContain('Avsluttet');
  expect(status).not.toContain('I rute');
  await page.close();
});

test('when a case is on track, then it says "I rute" with its step\'s title, opened date and time in step', async () => {
  const page = await listAs('t1');
  const row = page.locator(`tr[data-case="${cases.second}"]`);
  expect(await statusOf(page, cases.second)).toContain('I rute');
  expect(await row.getAttribute('class')).toBeNull();
  expect(await row.locator('td[data-label="Steg"]').innerText()).toContain('Undring og vurdering');
  expect(await row.locator('td[data-label="Åpnet"]').innerText()).toMatch(
    /^\d{1,2}\. \w+\.? \d{4}$/,
  );
  expect(await row.locator('td[data-label="I steget"]').innerText()).toMatch(/minutt/);
  await page.close();
});

test('when a leader sorts by opened date, next due or last activity, then the cases come in that order', async () => {
  const page = await listAs('leder');
  expect(await page.isChecked('#f-mine')).toBe(false);
  await show(page, (p) => p.selectOption('#f-sort', 'opened'));
  expect(await rowIds(page)).toEqual([cases.late, cases.other, cases.second, cases.first]);
  // Lists hold due and activity times to the hour (machines/list-times.ts), so cases opened in
  // one sitting tie there: the page must show the server's order, and that order must hold.
  for (const [sort, time] of [
    ['nextDue', 'nextDueAt'],
    ['lastActivity', 'lastActivityAt'],
  ] as const) {
    await show(page, (p) => p.selectOption('#f-sort', sort));
    const res = await http(stack.baseUrl, 'GET', `${base}/cases?status=open&sort=${sort}`, {
      token: tokens.leder,
    });
    const listed = res.body.cases as Array<Record<string, string | null>>;
    expect(await rowIds(page)).toEqual(listed.map((c) => c.caseId));
    const times = listed.map((c) => (c[time] ? Date.parse(c[time]) : Infinity));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  }
  await page.close();
});

test('when a sorted list is read two cases at a time, then each case comes once and in order, and its cursor is refused for another sort', async () => {
  const page = (cursor?: string, sort = 'opened') =>
    http(
      stack.baseUrl,
      'GET',
      `${base}/cases?status=open&sort=${sort}&pageSize=2${cursor ? `&cursor=${cursor}` : ''}`,
      { token: tokens.leder },
    );
  const first = await page();
  expect(first.body.sortLimited).toBe(false);
  const second = await page(first.body.nextCursor);
  expect(second.body.nextCursor).toBeNull();
  expect(
    [...first.body.cases, ...second.body.cases].map((c: { caseId: string }) => c.caseId),
  ).toEqual([cases.late, cases.other, cases.second, cases.first]);
  const foreign = await page(first.body.nextCursor, 'nextDue');
  expect(foreign.status).toBe(400);
  expect(foreign.body.error.nb).toBe('Sidemarkøren hører til en annen liste.');
});

test("when a leader picks a holder by name, then only that person's cases show, named as their holder, and the name is never in an address", async () => {
  const page = await listAs('leder');
  const asked: string[] = [];
  page.on('request', (r) => asked.push(r.url()));
  const names = await page.locator('#f-holder option').allInnerTexts();
  expect(names).toEqual(['Alle', 'Kari Lærer', 'Tone Tjenesteyter']);
  await show(page, (p) => p.selectOption('#f-holder', { label: 'Kari Lærer' }));
  expect((await rowIds(page)).sort()).toEqual([cases.other, cases.late].sort());
  expect(
    await page.locator(`tr[data-case="${cases.other}"] td[data-label="Stafettholder"]`).innerText(),
  ).toBe('Kari Lærer');
  expect(asked.some((u) => u.includes('holder=t-2'))).toBe(true);
  expect([...asked, page.url()].filter((u) => /Kari|L%C3%A6rer/i.test(u))).toEqual([]);
  await page.close();
});

test('when the list is read at 1366×768, then it is a table, role, kommune, steps and referral sources are named by their titles, and axe finds nothing serious', async () => {
  const page = await listAs('leder');
  expect(await displayOf(page, 'table.cases')).toBe('table');
  await page.waitForFunction(TITLES_SHOWN);
  expect(await page.textContent('.who')).toContain('Innlogget som Leder i Øygarden kommune');
  // No raw id of the config where a title belongs: the words read, the options included. An
  // id that is also a word of the titles ("skole" in a role's title) cannot tell, so is left out.
  const config = stack.configs.get('oygarden')!;
  const asWord = (id: string) => new RegExp(`(^|[^\\p{L}_-])${id}($|[^\\p{L}_-])`, 'u');
  const titles = [
    config.name,
    ...[config.steps, config.roles, config.referralSources].flatMap((m) =>
      Object.values(m).map((d) => d.title),
    ),
  ].join(' ');
  const ids = [
    config.id,
    ...Object.keys(config.steps),
    ...Object.keys(config.roles),
    ...Object.keys(config.referralSources),
  ].filter((id) => !asWord(id).test(titles));
  expect(ids.length).toBeGreaterThan(5);
  const text = await page.evaluate<string>(
    "document.body.innerText + ' ' + [...document.querySelectorAll('option')].map((o) => o.textContent).join(' ')",
  );
  expect(ids.filter((id) => asWord(id).test(text))).toEqual([]);
  expect(await axeFindings(page)).toEqual([]);
  await screenshot(page, 'saksliste-1366');
  await page.close();
});

test('when the list is read on a 390×844 phone, then each case is a card, nothing scrolls sideways, every button is in reach, and axe finds nothing serious', async () => {
  const page = await listAs('leder', PHONE);
  await page.waitForFunction(TITLES_SHOWN);
  const width = await page.evaluate<{ scroll: number; viewport: number }>(
    '({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })',
  );
  expect(width.scroll).toBeLessThanOrEqual(width.viewport);
  expect(await displayOf(page, 'table.cases tbody tr')).toBe('block');
  // The cases come first: the filters are folded, their choices said in the fold's title.
  expect(await page.locator('details.filter-panel').getAttribute('open')).toBeNull();
  expect(await page.textContent('details.filter-panel summary')).toBe(
    'Filtrer og sorter · åpne, neste frist først',
  );
  // Nothing scrolled away: the header at the top, the first case on the first screen.
  expect(await page.evaluate('window.scrollY')).toBe(0);
  expect((await page.locator('table.cases tbody tr').first().boundingBox())!.y).toBeLessThan(
    PHONE.height / 2,
  );
  await screenshot(page, 'saksliste-390');
  await page.click('details.filter-panel summary');
  for (const button of await page.locator('button').all()) {
    const box = (await button.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  }
  expect(await axeFindings(page)).toEqual([]);
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, 'saksliste-390-filtre');
  await page.close();
});

test('when a follow-up date has passed with no talk held, then the case says its step\'s deadline passed, and "Bare forfalte" lists it alone', async () => {
  const page = await listAs('leder');
  const status = await statusOf(page, cases.late);
  expect(status).toContain('Fristen i steget er passert');
  expect(status).not.toContain('I rute');
  expect(await page.getAttribute(`tr[data-case="${cases.late}"]`, 'class')).toContain(
    'needs-attention',
  );
  await show(page, (p) => p.check('#f-overdue'));
  expect(await rowIds(page)).toEqual([cases.late]);
  expect(await page.textContent('table.cases caption')).toMatch(/^1 sak,/);
  await page.close();
});

test('when the list refreshes itself while a keyboard user is on a case link, then the focus stays on that link', async () => {
  // The page's own clock, so its ten-second refresh can be run at once.
  const page = await listAs('t1', DESKTOP, (p) => p.clock.install());
  const link = `tr[data-case="${cases.second}"] a`;
  await page.focus(link);
  const refreshed = page.waitForResponse((r) => r.url().includes(`${base}/cases?`));
  await page.clock.runFor(11_000);
  await refreshed;
  await page.waitForFunction(
    `document.activeElement?.closest('tr')?.dataset.case === '${cases.second}'`,
  );
  expect(await page.evaluate('document.activeElement.tagName')).toBe('A');
  await page.close();
});

// Last: the browser's clock is the whole context's, so moving it would move the other tests' too.
test('when a case\'s deadline has passed, then it says "Frist passert" instead of "I rute" and is marked as needing attention', async () => {
  // Twenty days on, as the viewer's browser sees it: the ten-working-day deadline has passed.
  const later = await listAs('t1', DESKTOP, (p) => p.clock.setFixedTime(Date.now() + 20 * DAY_MS));
  const status = await statusOf(later, cases.second);
  expect(status).toContain('Frist passert');
  expect(status).not.toContain('I rute');
  expect(await later.getAttribute(`tr[data-case="${cases.second}"]`, 'class')).toContain(
    'needs-attention',
  );
  await later.close();
});

test('when a leader gives two chosen cases a new holder, then the dry run lists what each would do and sends nothing, the confirmation names the count, and exactly those two change holder', async () => {
  const holderOf = async (id: string) =>
    (await http(stack.baseUrl, 'GET', `${base}/cases/${id}`, { token: tokens.leder })).body;
  const before = await Promise.all([cases.first, cases.other, cases.second].map(holderOf));
  const page = await listAs('leder');
  // A closed case takes no handover: it offers no box to tick.
  await show(page, (p) => p.selectOption('#f-status', ''));
  expect(await page.locator(`tr[data-case="${cases.closed}"] input[type=checkbox]`).count()).toBe(
    0,
  );
  await page.check(`#choose-${cases.first}`);
  await page.check(`#choose-${cases.other}`);
  await page.click('details.batch-changes summary');
  await page.getByText('2 saker valgt.').waitFor();
  expect(await page.textContent('details.batch-changes summary')).toBe(
    'Endre mange saker · 2 valgt',
  );
  await page.selectOption('#batch-event', 'byttStafettholder');
  await page.getByLabel('Ny stafettholder (bruker-id)').fill('t-9');
  await page.getByRole('button', { name: 'Prøvekjør valgte saker' }).click();
  const rows = page.locator('table.batch-results tbody tr');
  await rows.first().waitFor();
  expect(await rows.evaluateAll((r) => r.map((x) => [x.dataset.case, x.dataset.outcome]))).toEqual([
    [cases.first, 'wouldSend'],
    [cases.other, 'wouldSend'],
  ]);
  expect(await rows.first().locator('td[data-label="Resultat"]').innerText()).toBe(
    'Kan sendes: blir i steget',
  );
  // The list drawn again (as its refresh every 10 s does) keeps the choice.
  await show(page, () => Promise.resolve());
  expect(await page.isChecked(`#choose-${cases.first}`)).toBe(true);
  const afterDry = await Promise.all([cases.first, cases.other].map(holderOf));
  expect(afterDry.map((s) => [s.revision, s.holder.id])).toEqual(
    before.slice(0, 2).map((s) => [s.revision, s.holder.id]),
  );
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    expect({ size, axe: await axeFindings(page) }).toEqual({ size, axe: [] });
    expect({ size, wide: await page.evaluate('document.documentElement.scrollWidth') }).toEqual({
      size,
      wide: size.width,
    });
    await screenshot(page, `batch-changes-dry-run-${size.width}`);
  }

  await page.getByRole('button', { name: 'Ja, send «Bytt stafettholder» til 2 saker' }).click();
  await page.getByText('Sendt til 2 saker av 2').waitFor();
  expect(await page.locator('#batch-changes-progress').count()).toBe(0);
  const after = await Promise.all([cases.first, cases.other, cases.second].map(holderOf));
  expect(after.map((s) => s.holder.id)).toEqual(['t-9', 't-9', before[2].holder.id]);
  await page.close();
});
