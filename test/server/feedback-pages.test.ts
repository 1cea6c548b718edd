/**
 * The feedback form behind a single-use link, over real HTTP with the store in PGlite: the form
 * in bokmål under the strict CSP, an answer checked against the survey (nothing stored when it
 * does not fit), stored once, and one "no longer works" page for used, expired and unknown links.
 */
import type { Server } from 'node:http';
import express from 'express';
import { loadConfigDir } from '../../config';
import { feedbackToken } from '../../activities/feedback-link';
import { logger } from '../../runtime/logger';
import { staticConfigSource } from '../../server/config-source';
import { createFeedbackRouter, GONE_STATUS } from '../../server/family/feedback-pages';
import { parseTrustProxy } from '../../server/trust-proxy';
import { feedbackStatsOf } from '../../server/family/feedback-stats';
import { FeedbackStore, openDatabase, type SqlDatabase } from '../../store';
import { memoryDatabase } from '../support/memory-database';

let db: SqlDatabase;
let store: FeedbackStore;
let server: Server;
let base: string;
const key = new Uint8Array(32).fill(7);
let n = 0;

beforeAll(async () => {
  db = await openDatabase(memoryDatabase());
  store = new FeedbackStore(db);
  const app = express();
  app.use(
    '/tilbakemelding',
    createFeedbackRouter({
      configs: staticConfigSource(new Map(loadConfigDir().configs)),
      store,
      logger,
      rateLimit: { limit: 40, windowMs: 60_000 },
    }),
  );
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/tilbakemelding`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await db?.close();
});

async function issued(expiresAt = '2099-01-01T00:00:00Z'): Promise<string> {
  const token = feedbackToken(key, `link-${++n}`);
  await store.issue({
    kommune: 'lorenskog',
    survey: 'veivisersak',
    stepClosedFrom: 'veivisersak',
    month: '2026-11',
    token,
    expiresAt,
  });
  return token;
}

const post = (token: string, fields: Record<string, string>) =>
  fetch(`${base}/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });

const answers = async () => (await store.stats('lorenskog')).responses;

test('when a parent opens the link, then the survey shows in bokmål with labelled answers, under a CSP that loads nothing else and sends no referrer', async () => {
  const res = await fetch(`${base}/${await issued()}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  const html = await res.text();
  expect(html).toContain('<html lang="nb">');
  expect(html).toContain('Hva synes du om hjelpen fra Familieveiviseren?');
  expect(html).toMatch(
    /<legend>1\. I hvilken grad har samarbeidet med veiviseren vært nyttig\?<\/legend>/,
  );
  expect(html).toContain(
    '<label><input type="radio" name="q.nyttigSamarbeid" value="5" required> 5 – I svært stor grad</label>',
  );
  expect(html).toMatch(/<label for="felt-kommentar">3\. Vil du fortelle oss mer\? \(frivillig\)/);
  expect(html).not.toMatch(/<script/);
});

test('when an answer does not fit the survey, then the form comes back with the error next to the question and nothing is stored', async () => {
  const token = await issued();
  const before = await answers();
  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [
      { 'q.nyttigSamarbeid': '7', 'q.tjenesteneSamarbeidet': '3' },
      'nyttigSamarbeid',
      /Velg et av de fem svarene/,
    ],
    [{ 'q.tjenesteneSamarbeidet': '3' }, 'nyttigSamarbeid', /Svar på dette spørsmålet/],
    [
      { 'q.nyttigSamarbeid': '4', 'q.tjenesteneSamarbeidet': '3', 'q.kommentar': 'x'.repeat(1001) },
      'kommentar',
      /Skriv høyst 1000 tegn/,
    ],
  ];
  for (const [fields, question, message] of cases) {
    const res = await post(token, fields);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`<p class="feilmelding" id="feil-${question}">[^<]*`));
    expect(html).toMatch(message);
  }
  const unknownField = await post(token, { 'q.nyttigSamarbeid': '4', 'q.navn': 'Ola' });
  expect(unknownField.status).toBe(422);
  expect(await answers()).toEqual(before);
  // The link still works after the refusals.
  expect((await fetch(`${base}/${token}`)).status).toBe(200);
});

test('when the answer is sent, then it is stored once without the link, and the link, an expired one and an unknown one all get the same page', async () => {
  const token = await issued();
  const res = await post(token, {
    'q.nyttigSamarbeid': '5',
    'q.tjenesteneSamarbeidet': '4',
    'q.kommentar': 'Takk',
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('<h1>Takk for svaret</h1>');
  expect(await answers()).toEqual([{ survey: 'veivisersak', month: '2026-11', responses: 1 }]);
  // The leader's statistics count the answer; of the free text only that it was given.
  const stats = feedbackStatsOf(
    'lorenskog',
    loadConfigDir().configs.get('lorenskog')!,
    await store.stats('lorenskog'),
  );
  const veivisersak = stats.surveys.find((s) => s.survey === 'veivisersak')!;
  expect(veivisersak.responses).toBe(1);
  expect(veivisersak.questions.map((q) => [q.id, q.answers, q.mean])).toEqual([
    ['nyttigSamarbeid', 1, 5],
    ['tjenesteneSamarbeidet', 1, 4],
    ['kommentar', 1, undefined],
  ]);
  expect(veivisersak.questions[0].distribution!.map((d) => d.count)).toEqual([0, 0, 0, 0, 1]);
  expect(JSON.stringify(stats)).not.toContain('Takk');

  const expired = await issued('2020-01-01T00:00:00Z');
  const pages = await Promise.all(
    [token, expired, feedbackToken(key, 'never-sent'), 'not-a-token'].map(async (t) => {
      const again = await fetch(`${base}/${t}`);
      return { status: again.status, body: await again.text() };
    }),
  );
  expect(pages.map((p) => p.status)).toEqual(Array(4).fill(GONE_STATUS));
  expect(new Set(pages.map((p) => p.body)).size).toBe(1);
  expect(pages[0].body).toContain('Lenken virker ikke lenger');
  expect(
    (await post(token, { 'q.nyttigSamarbeid': '1', 'q.tjenesteneSamarbeidet': '1' })).status,
  ).toBe(GONE_STATUS);
  expect(await answers()).toEqual([{ survey: 'veivisersak', month: '2026-11', responses: 1 }]);
});

test('when a body is too large or one IP sends too many requests, then it is refused with a page and nothing is stored', async () => {
  const token = await issued();
  const big = await post(token, { 'q.kommentar': 'x'.repeat(200_000) });
  expect(big.status).toBe(413);
  expect(await big.text()).toContain('Ingen svar er lagret');
  let status = 0;
  for (let i = 0; i < 45 && status !== 429; i++) status = (await fetch(`${base}/${token}`)).status;
  expect(status).toBe(429);
  // With no proxy trusted, a forwarded address someone writes themselves changes nothing.
  const spoofed = await fetch(`${base}/${token}`, {
    headers: { 'X-Forwarded-For': '203.0.113.9' },
  });
  expect(spoofed.status).toBe(429);
});

test('when the server stands behind a trusted proxy (TRUST_PROXY=1), then each visitor the proxy forwards has a budget of their own', async () => {
  const app = express();
  app.set('trust proxy', parseTrustProxy('1'));
  app.use(
    '/tilbakemelding',
    createFeedbackRouter({
      configs: staticConfigSource(new Map(loadConfigDir().configs)),
      store,
      logger,
      rateLimit: { limit: 5, windowMs: 60_000 },
    }),
  );
  const proxied: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const url = `http://127.0.0.1:${(proxied.address() as { port: number }).port}/tilbakemelding/x`;
    const from = (ip: string) => fetch(url, { headers: { 'X-Forwarded-For': ip } });
    const first: number[] = [];
    for (let i = 0; i < 6; i++) first.push((await from('198.51.100.1')).status);
    expect(first.slice(-1)).toEqual([429]);
    expect((await from('198.51.100.2')).status).not.toBe(429);
  } finally {
    await new Promise((r) => proxied.close(r));
  }
  expect(() => parseTrustProxy('not an address')).toThrow(/^TRUST_PROXY: /);
  expect(parseTrustProxy(undefined)).toBe(false);
});
