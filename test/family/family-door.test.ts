/**
 * The families' door in a real browser against the real stack and the embedded development
 * identity provider: a parent asks for contact, signs in, and a case opens with them on it,
 * which they then read through the API with their cookie alone; a youth of 15 does the same for
 * themselves; a 14-year-old is refused; a forged or missing CSRF token changes nothing; a second
 * family reaches nothing of the first's; signing out ends access, in every API process on the
 * store. Afterwards no test person's fødselsnummer or name is in the case's Temporal history, its
 * search attributes, the logs or any URL the browser visited.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { startFamilyDevIdp, type FamilyDevIdp } from '../../runtime/family-dev-idp-process';
import {
  DEV_IDP_CLIENT_ID,
  DEV_IDP_CLIENT_SECRET,
  devTestPeople,
} from '../../server/family/dev-people';
import { randomCaseId } from '../../server/case-ids';
import { http, startApiStack, type ApiStack } from '../server/api-stack';
import { launchBrowser, type TestBrowser } from '../visualizer/support/browser';

const KOMMUNE = 'lorenskog';
let idp: FamilyDevIdp;
let stack: ApiStack;
let browser: TestBrowser;
let page: Page;
let logText = '';
const urls: string[] = [];
const opened: string[] = [];

beforeAll(async () => {
  idp = await startFamilyDevIdp();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText += chunk.toString();
      done();
    },
  });
  stack = await startApiStack({
    logger: pino({ level: 'debug' }, sink),
    family: {
      provider: {
        issuer: new URL(idp.issuer),
        clientId: DEV_IDP_CLIENT_ID,
        clientSecret: DEV_IDP_CLIENT_SECRET,
      },
    },
  });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('request', (r) => urls.push(r.url()));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await idp?.stop();
});

const api = (path: string) => `${stack.baseUrl}/api/v1/kommuner/${KOMMUNE}${path}`;

/** From the contact page through sign-in as `person` (a button on the provider's page). */
async function askForContactAs(person: string): Promise<void> {
  await browser.context.clearCookies();
  await page.goto(`${stack.baseUrl}/familie/${KOMMUNE}/kontakt`);
  await page.click('button:has-text("Be om kontakt")');
  await page.click('a:has-text("Logg inn")');
  await page.waitForURL(/\/interaction\//);
  await page.click(`button[value="${person}"]`);
}

/** …then confirms the waiting request and returns the new case's id from the receipt. */
async function confirmAndGetCase(): Promise<string> {
  await page.waitForURL(/\/kontakt\/bekreft$/);
  await page.click('button:has-text("Send henvendelsen")');
  await page.waitForURL(/\/kontakt\/mottatt\//);
  const caseId = page.url().split('/').pop()!;
  opened.push(caseId);
  return caseId;
}

let parentCase: string;

test('a parent asks for contact, signs in, and reads the case that opened with them on it', async () => {
  await askForContactAs('forelder-a');
  parentCase = await confirmAndGetCase();
  expect(await page.textContent('h1')).toBe('Vi har fått henvendelsen din');

  const read = await page.request.get(api(`/cases/${parentCase}`));
  expect(read.status()).toBe(200);
  const snapshot = await read.json();
  expect(snapshot).toMatchObject({ step: 'mottak', referralSource: 'innbygger' });
  expect(snapshot.team).toEqual([expect.objectContaining({ role: 'foresatt' })]);
  expect(snapshot.team[0].id).toMatch(/^fam-/);

  // The coordinators see the same case, with the answers as its intake payload.
  const staff = await stack.token(KOMMUNE, 'saksbehandler', 'sb-1');
  const asStaff = await http(
    stack.baseUrl,
    'GET',
    `/api/v1/kommuner/${KOMMUNE}/cases/${parentCase}`,
    {
      token: staff,
    },
  );
  expect(asStaff.status).toBe(200);
  expect(asStaff.body.data).toEqual({ answers: {} });
});

test('without the CSRF token, or with a forged one, nothing is done', async () => {
  const before = (await (await page.request.get(api(`/cases/${parentCase}`))).json()).revision;
  // Signed in, but without the session's token: no case opens (that answer is the receipt);
  // the request waits for the confirm page, whose form carries the token.
  const missing = await page.request.post(`${stack.baseUrl}/familie/${KOMMUNE}/kontakt`, {
    form: { answers: '{"q1":"a1"}' },
    maxRedirects: 0,
  });
  expect(missing.status()).toBe(303);
  expect(missing.headers().location).toBe(`/familie/${KOMMUNE}/kontakt/bekreft`);
  const forged = await page.request.post(`${stack.baseUrl}/familie/${KOMMUNE}/kontakt`, {
    form: { answers: '{"q1":"a1"}', _csrf: 'forged-token-forged-token-forged1' },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(303);
  expect(forged.headers().location).toBe(`/familie/${KOMMUNE}/kontakt/bekreft`);
  // Signing out with a forged token is refused and leaves the session.
  const signOut = await page.request.post(`${stack.baseUrl}/familie/${KOMMUNE}/logg-ut`, {
    form: { _csrf: 'forged-token-forged-token-forged1' },
    maxRedirects: 0,
  });
  expect(signOut.status()).toBe(403);
  // The API with the cookie alone: a state-changing call needs X-CSRF-Token.
  const event = await page.request.post(api(`/cases/${parentCase}/events`), {
    data: { type: 'leggTilFamilie', payload: {}, expectedRevision: before },
  });
  expect(event.status()).toBe(403);
  expect((await event.json()).error.code).toBe('CSRF_INVALID');
  const after = (await (await page.request.get(api(`/cases/${parentCase}`))).json()).revision;
  expect(after).toBe(before);
});

test('a second family gets "not found" for the first family\'s case, as for a missing one', async () => {
  await askForContactAs('forelder-b');
  const ownCase = await confirmAndGetCase();
  expect((await page.request.get(api(`/cases/${ownCase}`))).status()).toBe(200);

  const missing = randomCaseId();
  for (const suffix of ['', '/history', '/stream']) {
    const theirs = await page.request.get(api(`/cases/${parentCase}${suffix}`));
    const none = await page.request.get(api(`/cases/${missing}${suffix}`));
    expect([theirs.status(), (await theirs.json()).error.code]).toEqual([404, 'CASE_NOT_FOUND']);
    expect([none.status(), (await none.json()).error.code]).toEqual([404, 'CASE_NOT_FOUND']);
  }
  // Sending an event to it, signed in and with the session's CSRF token, finds nothing either.
  const csrf = await page.inputValue('input[name=_csrf]');
  const send = await page.request.post(api(`/cases/${parentCase}/events`), {
    headers: { 'X-CSRF-Token': csrf },
    data: { type: 'leggTilFamilie', payload: {}, expectedRevision: 1 },
  });
  expect([send.status(), (await send.json()).error.code]).toEqual([404, 'CASE_NOT_FOUND']);
  // The list holds only their own case.
  const list = await (await page.request.get(api('/cases?pageSize=100'))).json();
  expect(list.cases?.map((c: { caseId: string }) => c.caseId) ?? []).not.toContain(parentCase);

  // Signing out ends access, also for a copy of the cookie kept from before, and in every API
  // process on the store: one that read the cookie before the sign-out, and one started after.
  // (Cookies are not kept apart by port: the other process on 127.0.0.1 gets the same cookie.)
  const other = await stack.startAnotherApi();
  const onOther = (base: string) =>
    page.request.get(`${base}/api/v1/kommuner/${KOMMUNE}/cases/${ownCase}`);
  expect((await onOther(other.baseUrl)).status()).toBe(200);
  const cookies = await browser.context.cookies();
  await page.click('button:has-text("Logg ut")');
  await page.waitForSelector('h1:has-text("Du er logget ut")');
  expect((await page.request.get(api(`/cases/${ownCase}`))).status()).toBe(401);
  await browser.context.addCookies(cookies);
  expect((await page.request.get(api(`/cases/${ownCase}`))).status()).toBe(401);
  expect((await onOther(other.baseUrl)).status()).toBe(401);
  await other.stop();
  const restarted = await stack.startAnotherApi();
  expect((await onOther(restarted.baseUrl)).status()).toBe(401);
  await restarted.stop();
});

test('a youth of 15 asks for contact for themselves; a 14-year-old is told why not', async () => {
  await askForContactAs('ungdom-15');
  const youthCase = await confirmAndGetCase();
  const snapshot = await (await page.request.get(api(`/cases/${youthCase}`))).json();
  expect(snapshot.team).toEqual([expect.objectContaining({ role: 'ungdom' })]);

  await askForContactAs('ungdom-14');
  await page.waitForSelector('h1:has-text("Du kan ikke logge inn her")');
  expect(await page.textContent('main')).toContain('Du må være minst 15 år');
  expect((await page.request.get(api(`/cases/${youthCase}`))).status()).toBe(401);
});

test('no fødselsnummer or name is in Temporal, its search attributes, the logs or any URL', async () => {
  const secrets = devTestPeople(new Date()).flatMap((p) => [p.pid, p.name, ...p.name.split(' ')]);
  // Payload bytes come as base64 (`data`) or as bytes: both read as text, so the scan sees them.
  const asText = (value: unknown) =>
    JSON.stringify(value, (key, v: unknown) =>
      v instanceof Uint8Array
        ? Buffer.from(v).toString('utf8')
        : key === 'data' && typeof v === 'string'
          ? Buffer.from(v, 'base64').toString('utf8')
          : v,
    );
  const histories: string[] = [];
  const attributes: string[] = [];
  for (const caseId of opened) {
    const handle = stack.client.workflow.getHandle(`case-${KOMMUNE}-${caseId}`);
    histories.push(asText(await handle.fetchHistory()));
    attributes.push(asText((await handle.describe()).raw.workflowExecutionInfo?.searchAttributes));
  }
  // The scan reads the histories in clear (the test stack does not encrypt payloads; `npm start`
  // does, see test/runtime/canary.test.ts): the asker's keyed-hash user id is in each.
  for (const text of histories) expect(text).toMatch(/fam-[A-Za-z0-9_-]{32}/);
  for (const text of [...histories, ...attributes, logText, urls.join('\n')])
    for (const secret of secrets) expect(text).not.toContain(secret);
});
