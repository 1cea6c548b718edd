/**
 * Lørenskog's feedback form from the mail a parent receives (#14), on the whole stack: a real
 * SMTP server started here catches the mail the worker sends when the veiviser closes the case;
 * Chromium follows the link in it, the parent answers and is thanked; the link then no longer
 * works; the leader's statistics count the answer and the statistics page draws it. An answer
 * out of range posted straight to the form gets the form back and stores nothing. The form passes
 * axe.
 */
import { smtpChannel } from '../../activities';
import { http, startApiStack, type ApiStack } from '../server/api-stack';
import { CaseClient } from '../server/case-client';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher';
import { axeFindings } from './support/axe';
import { launchBrowser, signIn, type TestBrowser } from './support/browser';

jest.setTimeout(180_000);

let smtp: SmtpCatcher;
let stack: ApiStack;
let browser: TestBrowser;

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  stack = await startApiStack({
    channels: {
      email: smtpChannel({
        url: smtp.url,
        from: 'Lørenskog kommune <ikke-svar@lorenskog.example>',
      }),
    },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await smtp?.close();
});

const mailTo = (address: string) => smtp.mailTo(address, undefined, 30_000);

async function veivisersakStats() {
  const res = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/lorenskog/feedback-stats', {
    token: await stack.token('lorenskog', 'leder'),
  });
  expect(res.status).toBe(200);
  return (
    res.body as { surveys: Array<{ survey: string; responses: number; questions: any[] }> }
  ).surveys.find((s) => s.survey === 'veivisersak')!;
}

test('when a parent follows the link in the mail sent at close and answers, then they are thanked once, the link stops working, and the leader sees the answer counted and drawn on the statistics page with its mean', async () => {
  const kase = new CaseClient(stack, 'lorenskog');
  await kase.open('veiviser', 'politi', { henvendelsesgjelder: 'familie' }, 'veiviser-1');
  await kase.send('veiviser', 'avklarSakstype', { sakstype: 'koble_tjenester' }, 'veiviser-1');
  await kase.send(
    'veiviser',
    'leggTilFamilie',
    {
      familiemedlem: {
        id: 'forelder-1',
        role: 'foresatt',
        email: 'ola.forelder@example.no',
        preferredChannel: 'email',
      },
    },
    'veiviser-1',
  );
  await kase.send('veiviser', 'avsluttVeivisersak', { arsak: 'tjenester_koblet' }, 'veiviser-1');

  const mail = await mailTo('ola.forelder@example.no');
  const link = /(http:\/\/127\.0\.0\.1:\d+\/tilbakemelding\/[A-Za-z0-9_-]{43})$/.exec(
    mail.text!.trim(),
  )![1];
  expect(link.startsWith(stack.baseUrl)).toBe(true);

  // An answer out of range, posted straight to the form: the form again, nothing stored.
  const outOfRange = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'q.nyttigSamarbeid': '6', 'q.tjenesteneSamarbeidet': '4' }),
  });
  expect(outOfRange.status).toBe(422);
  expect(await outOfRange.text()).toContain('Velg et av de fem svarene.');
  expect((await veivisersakStats()).responses).toBe(0);

  const page = await browser.context.newPage();
  const opened = await page.goto(link);
  expect(opened?.status()).toBe(200);
  await expect(page.locator('h1').textContent()).resolves.toBe(
    'Hva synes du om hjelpen fra Familieveiviseren?',
  );
  expect(await axeFindings(page, { everyImpact: true })).toEqual([]);

  await page
    .getByRole('group', { name: /samarbeidet med veiviseren vært nyttig/ })
    .getByLabel('5 – I svært stor grad')
    .check();
  await page
    .getByRole('group', { name: /tjenestene har samarbeidet/ })
    .getByLabel('4 – I stor grad')
    .check();
  await page.getByLabel(/Vil du fortelle oss mer/).fill('Veiviseren hjalp oss mye.');
  await page.getByRole('button', { name: 'Send svarene' }).click();
  await page.waitForURL(link);
  await expect(page.locator('h1').textContent()).resolves.toBe('Takk for svaret');

  const again = await page.goto(link);
  expect(again?.status()).toBe(410);
  await expect(page.locator('h1').textContent()).resolves.toBe('Lenken virker ikke lenger');
  await page.close();

  const stats = await veivisersakStats();
  expect(stats.responses).toBe(1);
  expect(stats.questions.map((q) => [q.id, q.answers, q.mean])).toEqual([
    ['nyttigSamarbeid', 1, 5],
    ['tjenesteneSamarbeidet', 1, 4],
    ['kommentar', 1, undefined],
  ]);
  expect(JSON.stringify(stats)).not.toContain('Veiviseren hjalp');

  // The leader's statistics page draws each scale question as a chart with its table, the API's
  // counts and mean, and only counts the free text.
  const leader = await browser.context.newPage();
  await signIn(leader, stack.baseUrl, await stack.token('lorenskog', 'leder', 'leder-1'));
  await leader.goto(`${stack.baseUrl}/visualizer/statistikk`);
  for (const q of stats.questions.filter((x) => x.type === 'scale')) {
    const figure = leader.locator(`[data-figure="tilbakemelding-veivisersak-${q.id}"]`);
    await figure.waitFor();
    const rows = await figure
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent)),
      );
    expect(rows).toEqual(
      q.distribution.map((d: { label: string; count: number }) => [d.label, String(d.count)]),
    );
    expect(await figure.locator('.hint').innerText()).toContain(`Gjennomsnitt ${q.mean} av 5.`);
    expect(await figure.locator('canvas').count()).toBe(1);
  }
  expect(await leader.locator('main').innerText()).not.toContain('Veiviseren hjalp');
  expect(await axeFindings(leader)).toEqual([]);
  await leader.close();
});
