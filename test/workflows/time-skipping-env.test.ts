/**
 * The time-skipping environment the workflow tests share: a call the server never answers must
 * not outlive the environment, or its retry throws into whichever test file runs next.
 */
import { startTimeSkippingEnv } from '../support/temporal';

test('a query nobody answers fails at teardown instead of being retried on the closed channel', async () => {
  const env = await startTimeSkippingEnv();
  // No worker polls this queue, so the server holds the query open.
  const handle = await env.client.workflow.start('unanswered', {
    taskQueue: 'no-worker',
    workflowId: 'unanswered',
  });
  const query = handle.query('view').then(
    () => 'answered',
    () => 'failed',
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await env.teardown();
  // A retry would throw "Channel has been shut down" from its timer within the backoff (≤ 5 s).
  let waited: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    query,
    new Promise<string>((resolve) => (waited = setTimeout(() => resolve('still waiting'), 6_000))),
  ]);
  clearTimeout(waited);
  expect(outcome).toBe('failed');
});
