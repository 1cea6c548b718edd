/**
 * `/metrics` for an operator's Prometheus (#18): refused without the metrics token; with it, the
 * named series are there and move when a command is accepted or refused, when a case opens at a
 * level, and when a message's channel is down. No case id or person reaches a label.
 */
import { smtpChannel } from '../../activities';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher';
import { eventually, http, startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';

jest.setTimeout(120_000);

const TOKEN = 'metrics-token-for-the-test-0123456789abcdef';

let smtp: SmtpCatcher;
let stack: ApiStack;

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  stack = await startApiStack({
    metricsToken: TOKEN,
    channels: { email: smtpChannel({ url: smtp.url, from: 'Sluse <ikke-svar@sluse.example>' }) },
  });
});

afterAll(async () => {
  await stack?.stop();
  await smtp?.close();
});

async function scrape(): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one series, its labels matched exactly; 0 when it has no sample yet. */
function valueOf(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').match(/[a-z_]+="[^"]*"/g) ?? [];
    if (have.sort().join(',') === want) return Number(m[3]);
  }
  return 0;
}

test('when a scraper comes without the metrics token or with another one, then it gets 401 and no figures', async () => {
  for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, TOKEN]) {
    const res = await fetch(`${stack.baseUrl}/metrics`, {
      headers: authorization ? { authorization } : {},
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await res.text()).not.toContain('sluse_');
  }
});

test('when a case is opened and a command accepted and one refused, then the commands, the HTTP routes and the open cases at its level move, and no case id is in a label', async () => {
  const before = await scrape();
  const kase = new CaseClient(stack, 'lorenskog');
  await kase.open('veiviser', 'innbygger', { henvendelsesgjelder: 'barn' });
  const level = String((await kase.get('veiviser')).body.level);
  const refused = await kase.trySend('veiviser', 'ingenSlikHendelse');
  expect(refused.status).toBeGreaterThanOrEqual(400);
  const code = (refused.body as unknown as { error: { code: string } }).error.code;

  const after = await eventually('the open case counted at its level', async () => {
    const text = await scrape();
    const open = { kommune: 'lorenskog', level };
    return valueOf(text, 'sluse_open_cases', open) > valueOf(before, 'sluse_open_cases', open)
      ? text
      : undefined;
  });
  const moved = (name: string, labels: Record<string, string>) =>
    valueOf(after, name, labels) - valueOf(before, name, labels);
  expect(
    moved('sluse_commands_total', {
      kommune: 'lorenskog',
      command: 'openCase',
      result: 'accepted',
    }),
  ).toBe(1);
  expect(
    moved('sluse_commands_total', { kommune: 'lorenskog', command: 'sendEvent', result: code }),
  ).toBe(1);
  const route = { method: 'POST', route: '/api/v1/kommuner/:kommune/cases' };
  expect(moved('sluse_http_requests_total', { ...route, status: '201' })).toBe(1);
  expect(moved('sluse_http_request_duration_seconds_count', route)).toBe(1);
  expect(after).toContain('sluse_late_cases{kommune="lorenskog"}');
  expect(after).toContain('sluse_process_cpu_seconds_total');
  expect(after).not.toContain(kase.caseId);
  expect(after).not.toContain('veiviser');
});

test('when the e-mail server is down, then the failed sends show by channel, beside those sent before', async () => {
  const leader = await stack.token('lorenskog', 'leder', 'leder-1');
  const put = await http(
    stack.baseUrl,
    'PUT',
    '/api/v1/kommuner/lorenskog/staff-directory/skole-1',
    {
      token: leader,
      body: { displayName: 'Sara Skole', email: 'sara.skole@lorenskog.example' },
    },
  );
  expect(put.status).toBe(200);
  const rounds = '/api/v1/kommuner/lorenskog/surveys/samarbeidspartnere/rounds';
  const send = () =>
    http(stack.baseUrl, 'POST', rounds, { token: leader, body: { personIds: ['skole-1'] } });

  const before = await scrape();
  const email = (result: string) => ({ channel: 'email', result });
  expect((await send()).status).toBe(201);
  await smtp.mailTo(
    'sara.skole@lorenskog.example',
    'Hvordan er samarbeidet med Familieveiviseren?',
    30_000,
  );
  const sent = await eventually('the sent mail counted', async () => {
    const text = await scrape();
    return valueOf(text, 'sluse_notifications_total', email('sent')) >
      valueOf(before, 'sluse_notifications_total', email('sent'))
      ? text
      : undefined;
  });

  await smtp.close();
  expect((await send()).status).toBe(201);
  const down = await eventually('the failed send counted', async () => {
    const text = await scrape();
    return valueOf(text, 'sluse_notifications_total', email('down')) >
      valueOf(sent, 'sluse_notifications_total', email('down'))
      ? text
      : undefined;
  });
  expect(valueOf(down, 'sluse_notifications_total', email('sent'))).toBe(
    valueOf(sent, 'sluse_notifications_total', email('sent')),
  );
});

test('when no metrics token is set, then /metrics is not served at all', async () => {
  const other = await startApiStack({ noWorker: true });
  try {
    const res = await fetch(`${other.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('sluse_');
  } finally {
    await other.stop();
  }
});
