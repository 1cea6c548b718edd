/**
 * The holder's tasks on the case page, in Chromium against the real stack: a family the
 * invitation could not reach shows as a task in words, and the holder marks it done from the
 * page; the focus lands on the result. The worker's parents' channel refuses every message.
 */
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Page } from 'playwright-core';
import { createActivities, FileArchive, FileOutbox, type Notification } from '../../activities';
import { eventually, http, startApiStack, type ApiStack } from '../server/api-stack';
import { CaseClient } from '../server/case-client';
import { TEMPORAL_ENV } from '../support/shared-env';
import { workflowBundle } from '../support/temporal';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';

let stack: ApiStack;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let browser: TestBrowser;
const pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startApiStack({ noWorker: true });
  connection = await NativeConnection.connect({ address: process.env[TEMPORAL_ENV]! });
  const outbox = new FileOutbox(join(stack.dataDir, 'outbox'), stack.sealer);
  worker = await Worker.create({
    connection,
    namespace: stack.client.options.namespace,
    taskQueue: stack.taskQueue,
    workflowBundle: await workflowBundle(),
    dataConverter: stack.dataConverter,
    activities: createActivities({
      outbox: {
        put: (n: Notification) =>
          n.to === 'foresatt'
            ? Promise.reject(ApplicationFailure.nonRetryable('no such number', 'RecipientRefused'))
            : outbox.put(n),
      },
      archive: new FileArchive(join(stack.dataDir, 'archive'), stack.sealer),
      caseLog: stack.caseLog,
      countOpenCases: async () => 0,
      log: () => undefined,
    }),
  });
  running = worker.run();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  worker?.shutdown();
  await running;
  await connection?.close();
  await stack?.stop();
});

afterEach(() => expect(pageErrors).toEqual([]));

test("when the parents' invitation could not be delivered, then the holder reads the task in words and marks it done from the page, and the focus lands on the result", async () => {
  const c = new CaseClient(stack, 'oygarden');
  await c.open('tjenesteyter', 'skole', { arena: 'skole', barnetsAlder: 14 }, 'laerer-1');
  await c.send(
    'tjenesteyter',
    'registrerVurdering',
    { risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true } },
    'laerer-1',
  );
  const token = await stack.token('oygarden', 'tjenesteyter', 'laerer-1');
  await eventually('the task', async () => {
    const res = await http(stack.baseUrl, 'GET', c.path, { token });
    return res.body.tasks[0];
  });
  const page: Page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page, stack.baseUrl, token);
  await page.goto(`${stack.baseUrl}/visualizer/saker/${c.caseId}`);
  const task = page.locator('.tasks li');
  await task.waitFor();
  expect(await task.innerText()).toContain('Familien kunne ikke nås');
  expect(await task.innerText()).toContain('til Foresatt kom ikke fram');
  await screenshot(page, 'sak-oppgave');

  await task.getByRole('button', { name: 'Merk «Familien kunne ikke nås» som gjort' }).click();
  const focused = page.locator('.notice-ok:focus');
  await focused.waitFor();
  expect(await focused.textContent()).toContain(
    'Oppgaven «Familien kunne ikke nås» er merket som gjort.',
  );
  await page.getByText('Ingen åpne oppgaver.').waitFor();
  await page.locator('.timeline li:has-text("Oppgave merket som gjort")').waitFor();
  await page.close();
});
