/**
 * A worker told to stop while an activity runs lets it finish: what SIGTERM does to a worker
 * (runtime/supervise.ts calls `Worker.shutdown` and waits up to 15 s). Here the activity is a
 * mail to a slow SMTP server: it goes out once, Temporal records the activity as completed (not
 * failed or timed out, so no other worker sends it again), and the worker stops only after it.
 */
import { smtpChannel } from '../../activities';
import { partnerSurveyWorkflowId } from '../../workflows/search-attributes';
import { http, startApiStack, type ApiStack } from '../server/api-stack';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher';

const SLOW_ANSWER_MS = 3000;
let stack: ApiStack;
let smtp: SmtpCatcher;
let dataArrived: () => void;
const sending = new Promise<void>((resolve) => (dataArrived = resolve));

beforeAll(async () => {
  smtp = await startSmtpCatcher({ answerAfterMs: SLOW_ANSWER_MS, onData: () => dataArrived() });
  stack = await startApiStack({
    channels: { email: smtpChannel({ url: smtp.url, from: 'Sluse <ikke-svar@sluse.example>' }) },
  });
});

afterAll(async () => {
  await stack?.stop();
  await smtp?.close();
});

test('when the worker is stopped while an activity is sending a mail, then the mail goes out once, the activity is recorded as completed, and the worker stops after it', async () => {
  const leader = await stack.token('lorenskog', 'leder', 'leder-1');
  const person = await http(
    stack.baseUrl,
    'PUT',
    '/api/v1/kommuner/lorenskog/staff-directory/skole-1',
    { token: leader, body: { displayName: 'Sara Skole', email: 'sara.skole@lorenskog.example' } },
  );
  expect(person.status).toBe(200);
  const round = await http(
    stack.baseUrl,
    'POST',
    '/api/v1/kommuner/lorenskog/surveys/samarbeidspartnere/rounds',
    { token: leader, body: { personIds: ['skole-1'] } },
  );
  expect(round.status).toBe(201);

  await sending;
  const stopAsked = Date.now();
  await stack.stopWorker();
  // Stopped only once the server had answered for the mail, which it held for 3 s.
  expect(Date.now() - stopAsked).toBeGreaterThanOrEqual(SLOW_ANSWER_MS - 500);
  expect(smtp.received.map((m) => m.subject)).toEqual([
    'Hvordan er samarbeidet med Familieveiviseren?',
  ]);

  const { events } = await stack.client.workflow
    .getHandle(partnerSurveyWorkflowId('lorenskog', (round.body as { roundId: string }).roundId))
    .fetchHistory();
  const kinds = (events ?? []).map((e) =>
    e.activityTaskCompletedEventAttributes
      ? 'completed'
      : e.activityTaskFailedEventAttributes
        ? 'failed'
        : e.activityTaskTimedOutEventAttributes
          ? 'timed out'
          : e.activityTaskCanceledEventAttributes
            ? 'cancelled'
            : undefined,
  );
  expect(kinds.filter(Boolean)).toEqual(['completed']);
});
