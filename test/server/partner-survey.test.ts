/**
 * Lørenskog's survey to its partner services (#14), on the whole stack with a real SMTP server:
 * a leader sends a round to two people from the staff directory; each gets the invitation with
 * a link of their own; one answers once and is refused the second time; the leader's statistics
 * count the answer; the round says both were reached. Bad requests change nothing and send
 * nothing.
 */
import { smtpChannel } from '../../activities';
import { GONE_STATUS } from '../../server/family/feedback-pages';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher';
import { eventually, http, startApiStack, type ApiStack } from './api-stack';

jest.setTimeout(120_000);

let smtp: SmtpCatcher;
let stack: ApiStack;
let leader: string;

const rounds = '/api/v1/kommuner/lorenskog/surveys/samarbeidspartnere/rounds';
const SUBJECT = 'Hvordan er samarbeidet med Familieveiviseren?';

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
  leader = await stack.token('lorenskog', 'leder', 'leder-1');
  for (const [id, displayName, email] of [
    ['skole-1', 'Sara Skole', 'sara.skole@lorenskog.example'],
    ['helse-1', 'Hans Helse', 'hans.helse@lorenskog.example'],
  ]) {
    const put = await http(
      stack.baseUrl,
      'PUT',
      `/api/v1/kommuner/lorenskog/staff-directory/${id}`,
      {
        token: leader,
        body: { displayName, email },
      },
    );
    expect(put.status).toBe(200);
  }
});

afterAll(async () => {
  await stack?.stop();
  await smtp?.close();
});

const statsOf = async () => {
  const res = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/lorenskog/feedback-stats', {
    token: leader,
  });
  expect(res.status).toBe(200);
  return (
    res.body as { surveys: Array<{ survey: string; responses: number; questions: any[] }> }
  ).surveys.find((s) => s.survey === 'samarbeidspartnere')!;
};

test('when a leader sends the partner survey to two people in the staff directory, then each gets the invitation with a link of their own, an answer counts once, and the round says both were reached', async () => {
  const sent = await http(stack.baseUrl, 'POST', rounds, {
    token: leader,
    body: { personIds: ['skole-1', 'helse-1'] },
  });
  expect(sent.status).toBe(201);
  expect(sent.body).toMatchObject({ survey: 'samarbeidspartnere', recipients: 2 });
  const { roundId } = sent.body as { roundId: string };

  const link =
    /^Lørenskog kommune – Familieveiviseren vil gjerne høre hvordan samarbeidet med Familieveiviseren fungerer for tjenesten din\. Svaret er anonymt og tar et par minutter\. Ikke skriv navn på innbyggere\. Skjemaet: (http:\/\/127\.0\.0\.1:\d+\/tilbakemelding\/[A-Za-z0-9_-]{43})$/;
  const mails = await Promise.all(
    ['sara.skole@lorenskog.example', 'hans.helse@lorenskog.example'].map((to) =>
      smtp.mailTo(to, SUBJECT, 30_000),
    ),
  );
  const links = mails.map((m) => link.exec(m.text!.trim())?.[1]);
  expect(links.every(Boolean)).toBe(true);
  expect(new Set(links).size).toBe(2);
  expect(mails[0].html).toContain('lang="nb"');

  const round = await eventually('the round done', async () => {
    const res = await http(stack.baseUrl, 'GET', `${rounds}/${roundId}`, { token: leader });
    return res.body.status === 'done' ? res : undefined;
  });
  expect(round.status).toBe(200);
  expect(round.body).toEqual({
    roundId,
    survey: 'samarbeidspartnere',
    recipients: 2,
    status: 'done',
    sent: 2,
    failed: 0,
  });

  const before = (await statsOf()).responses;
  const answer = (url: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'q.fornoydSamarbeid': '4', 'q.skaperFremdrift': '5' }),
    });
  const form = await fetch(links[0]!);
  expect(form.status).toBe(200);
  expect(await form.text()).toContain('Samarbeidet med Familieveiviseren');
  expect((await answer(links[0]!)).status).toBe(200);
  expect((await answer(links[0]!)).status).toBe(GONE_STATUS);
  const stats = await statsOf();
  expect(stats.responses).toBe(before + 1);
  expect(stats.questions.map((q) => [q.id, q.answers])).toEqual([
    ['fornoydSamarbeid', 1],
    ['skaperFremdrift', 1],
    ['kommentar', 0],
  ]);
  // The other person's link still works: each answers for themself.
  expect((await fetch(links[1]!)).status).toBe(200);
});

test('when a round is asked for wrongly, then it is refused, says why in bokmål, and sends nothing', async () => {
  const mailsBefore = smtp.received.length;
  const veiviser = await stack.token('lorenskog', 'veiviser', 'veiviser-1');
  const otherLeader = await stack.token('oygarden', 'leder', 'leder-1');
  const cases: Array<[string, string, unknown, number, string]> = [
    ['a veiviser', veiviser, { personIds: ['skole-1'] }, 403, 'ROLE_NOT_ALLOWED'],
    [
      "another kommune's leader",
      otherLeader,
      { personIds: ['skole-1'] },
      403,
      'KOMMUNE_NOT_ALLOWED',
    ],
    ['a 300 KB id', leader, { personIds: ['x'.repeat(300_000)] }, 413, 'PAYLOAD_TOO_LARGE'],
    [
      'nesting',
      leader,
      { personIds: ['skole-1'], x: JSON.parse('['.repeat(200) + ']'.repeat(200)) },
      400,
      'NESTING_TOO_DEEP',
    ],
    [
      'someone not listed',
      leader,
      { personIds: ['skole-1', 'ukjent-9'] },
      404,
      'STAFF_ENTRY_NOT_FOUND',
    ],
    ['a person twice', leader, { personIds: ['skole-1', 'skole-1'] }, 400, 'VALIDATION_FAILED'],
    ['no one', leader, { personIds: [] }, 400, 'VALIDATION_FAILED'],
    [
      '201 people',
      leader,
      { personIds: Array.from({ length: 201 }, (_, i) => `p-${i}`) },
      400,
      'VALIDATION_FAILED',
    ],
  ];
  for (const [who, token, body, status, code] of cases) {
    const res = await http(stack.baseUrl, 'POST', rounds, { token, body });
    expect({ who, status: res.status, code: res.body.error.code }).toEqual({ who, status, code });
    expect(res.body.error.nb).toEqual(expect.any(String));
  }
  const unlisted = await http(stack.baseUrl, 'POST', rounds, {
    token: leader,
    body: { personIds: ['skole-1', 'ukjent-9'] },
  });
  expect(unlisted.body.error.details).toEqual([
    expect.objectContaining({
      path: '/body/personIds/1',
      nb: '«ukjent-9» står ikke i kontaktlisten for ansatte.',
    }),
  ]);

  const family = await http(
    stack.baseUrl,
    'POST',
    '/api/v1/kommuner/lorenskog/surveys/veivisersak/rounds',
    { token: leader, body: { personIds: ['skole-1'] } },
  );
  expect([family.status, family.body.error.code]).toEqual([422, 'SURVEY_NOT_FOR_PARTNERS']);
  const unknown = await http(
    stack.baseUrl,
    'POST',
    '/api/v1/kommuner/lorenskog/surveys/finnesIkke/rounds',
    { token: leader, body: { personIds: ['skole-1'] } },
  );
  expect([unknown.status, unknown.body.error.code]).toEqual([404, 'SURVEY_NOT_FOUND']);
  const noRound = await http(stack.baseUrl, 'GET', `${rounds}/AAAAAAAAAAAAAAAA`, { token: leader });
  expect([noRound.status, noRound.body.error.code]).toEqual([404, 'SURVEY_ROUND_NOT_FOUND']);

  // Nothing went out for any of them.
  await new Promise((r) => setTimeout(r, 1000));
  expect(smtp.received.length).toBe(mailsBefore);
});
