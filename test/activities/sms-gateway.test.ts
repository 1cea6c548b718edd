/**
 * SMS go out through the configured HTTP gateway (a real local receiver here): the body in the
 * template's shape with number, sender name and text, and the gateway's auth header. A gateway
 * that refuses the number fails that recipient; one that is down is retried. A parent who
 * prefers e-mail gets the SMS when the mail server is down.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChannelDownError,
  createActivities,
  FileOutbox,
  smsGatewayChannel,
  smtpChannel,
  type EmailChannel,
  type Notification,
} from '../../activities';
import { createSealer, keyRingOf } from '../../runtime/key-ring';
import { randomBytes } from 'node:crypto';

let server: Server;
let url: string;
let answer = 200;
const requests: Array<{ headers: IncomingHttpHeaders; body: unknown }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/sms`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function activities(email?: EmailChannel) {
  const sealer = createSealer(keyRingOf({ id: 'k', key: randomBytes(32) }));
  const outbox = new FileOutbox(join(mkdtempSync(join(tmpdir(), 'sluse-sms-')), 'outbox'), sealer);
  return createActivities({
    outbox,
    archive: { put: async () => undefined },
    caseLog: { append: async () => undefined, read: async () => [] },
    countOpenCases: async () => 0,
    delivery: {
      channels: {
        email,
        sms: smsGatewayChannel({
          url,
          authorization: 'Bearer gateway-token',
          sender: 'Oygarden',
          bodyTemplate:
            '{"to":"{{to}}","from":"{{from}}","message":{"text":"{{text}}"},"dlr":true}',
        }),
      },
      sent: outbox,
      staff: { get: async () => null, withRole: async () => [] },
      now: () => new Date().toISOString(),
    },
    log: () => undefined,
  });
}

const invitation = (
  key: string,
  mobile: string,
  preferredChannel: 'sms' | 'email' = 'sms',
): Notification => ({
  key,
  kommune: 'oygarden',
  caseId: 'c1',
  kind: 'notify',
  to: 'foresatt',
  template: 'invitasjonAvklaringssamtale',
  title: 'Invitasjon til avklaringssamtale',
  body: 'Dere inviteres til en samtale i barnehagen/skolen om hvordan barnet har det, og hva vi kan gjøre sammen. "Samtaleduk" kan brukes som støtte.',
  reason: 'test',
  createdAt: '2026-11-28T08:00:00.000Z',
  recipients: [
    {
      kind: 'family',
      id: 'forelder-1',
      role: 'foresatt',
      contact: { mobile, email: 'x@example.no', preferredChannel },
    },
  ],
});

test('when a parent prefers SMS, then the gateway receives their number, the sender name and the Norwegian text in its body shape, with its auth header, once', async () => {
  const a = activities();
  const n = invitation('k/1', '+4791234567');
  await expect(a.deliverNotification(n)).resolves.toEqual([
    { recipient: { role: 'foresatt', id: 'forelder-1' }, channel: 'sms', status: 'sent' },
  ]);
  expect(requests).toHaveLength(1);
  expect(requests[0].headers.authorization).toBe('Bearer gateway-token');
  expect(requests[0].headers['content-type']).toBe('application/json');
  expect(requests[0].body).toEqual({
    to: '+4791234567',
    from: 'Oygarden',
    message: {
      text: 'Invitasjon til avklaringssamtale\nDere inviteres til en samtale i barnehagen/skolen om hvordan barnet har det, og hva vi kan gjøre sammen. "Samtaleduk" kan brukes som støtte.',
    },
    dlr: true,
  });
  // A retry of the same notification sends nothing again.
  await a.deliverNotification(n);
  expect(requests).toHaveLength(1);
});

test('when the gateway refuses the number, then that recipient fails; when it is down, then delivery throws to be retried', async () => {
  const a = activities();
  answer = 400;
  await expect(a.deliverNotification(invitation('k/2', '+4790000000'))).resolves.toEqual([
    {
      recipient: { role: 'foresatt', id: 'forelder-1' },
      channel: 'sms',
      status: 'failed',
      error: 'REFUSED',
    },
  ]);
  answer = 503;
  await expect(a.deliverNotification(invitation('k/3', '+4790000000'))).rejects.toBeInstanceOf(
    ChannelDownError,
  );
  answer = 200;
});

test('when the parent prefers e-mail and the mail server is down, then the message reaches them by SMS at once; when the gateway is down too, then delivery throws to be retried', async () => {
  // A port nothing listens on: the mail server is down.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as { port: number }).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const a = activities(smtpChannel({ url: `smtp://127.0.0.1:${port}`, from: 'ikke-svar@x.no' }));
  const before = requests.length;
  await expect(a.deliverNotification(invitation('k/4', '+4791234567', 'email'))).resolves.toEqual([
    { recipient: { role: 'foresatt', id: 'forelder-1' }, channel: 'sms', status: 'sent' },
  ]);
  expect(requests.slice(before).map((r) => (r.body as { to: string }).to)).toEqual(['+4791234567']);
  answer = 503;
  await expect(
    a.deliverNotification(invitation('k/5', '+4791234567', 'email')),
  ).rejects.toBeInstanceOf(ChannelDownError);
  answer = 200;
});
