/**
 * `/health` keeps answering within 500 ms — every probe, one about every 20 ms — while the
 * worst work a user controls runs: a 2,000-step diagram laid out, a draft whose payload form
 * carries a catastrophic-backtracking pattern saved, validated, drawn and published, and a case
 * opened with an adversarial input for that pattern. Real dev server, case worker, config store
 * (PGlite) and API, all in this process, as under `npm start`. The layout time is printed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { KommuneConfig } from '../../config';
import { openConfigStore, type OpenedConfigStore } from '../../store';
import { defaultApiOptions } from '../../server/api-router';
import { seedDirWith, testKommune } from '../store/test-kommune';
import { generatedConfig } from '../visualizer/support/generated-config';
import { http, startApiStack, type ApiStack } from './api-stack';
import { memoryDatabase } from '../support/memory-database';

jest.setTimeout(180_000);

const K = 'helseby';
/**
 * Work on the event loop (a layout, a backtracking pattern) holds it for seconds to hours; the
 * margin over a healthy loop's few ms is for GC pauses on a loaded machine (101 ms was seen).
 */
const LIMIT_MS = 500;
const EVERY_MS = 20;
/** Backtracks exponentially in the input's length in a backtracking engine. */
const CATASTROPHIC = '^(a+)+$';
const ADVERSARIAL = 'a'.repeat(40) + '!';

let opened: OpenedConfigStore;
let stack: ApiStack;

beforeAll(async () => {
  opened = await openConfigStore({ ...memoryDatabase(), seedDir: seedDirWith(K) });
  stack = await startApiStack({
    configStore: opened.store,
    // The default bound refuses 2,000 steps before any work (test/visualizer/visualizer-errors);
    // raised here, so that the layout really runs and the worker thread is what keeps /health free.
    api: { diagram: { ...defaultApiOptions.diagram, maxSteps: 2000, maxTransitions: 10_000 } },
  });
  expect((await http(stack.baseUrl, 'GET', '/health')).status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
  await opened?.close();
});

interface Probed<T> {
  result: T;
  ms: number;
  /** Each probe's delay, from when it was due to its answer. */
  delays: number[];
  /** Of each delay, the time the event loop's thread was ready to run but waiting for a CPU. */
  waits: number[];
  statuses: number[];
}

/**
 * The event loop's thread (the main thread: its id is the process id) as the Linux scheduler
 * counts it: `waitMs` is the time it was ready but waiting for a CPU. On a busy machine (CI runs
 * two test files at once beside a Temporal server) that wait, not our code, can push a probe past
 * the limit; work on the event loop is never counted as waiting. Without schedstat, nothing is excused.
 */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
function waitedMs(): number {
  if (!existsSync(SCHEDSTAT)) return 0;
  return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[1]) / 1e6;
}

/** Runs `work` while probing `/health` about every 20 ms from this same event loop. */
async function whileProbingHealth<T>(work: () => Promise<T>): Promise<Probed<T>> {
  let done = false;
  const delays: number[] = [];
  const waits: number[] = [];
  const statuses: number[] = [];
  // One unmeasured probe first, so that the measured ones time the server, not a new connection.
  await (await fetch(`${stack.baseUrl}/health`)).arrayBuffer();
  const probing = (async () => {
    // Each probe is timed from when it was due, not from when its timer fired: a loop too busy
    // to fire the timer on time delays the probe just as much as a slow answer.
    let due = performance.now();
    let waited = waitedMs();
    while (!done) {
      const res = await fetch(`${stack.baseUrl}/health`);
      await res.arrayBuffer();
      delays.push(performance.now() - due);
      waits.push(waitedMs() - waited);
      statuses.push(res.status);
      due = performance.now() + EVERY_MS;
      waited = waitedMs();
      await new Promise((r) => setTimeout(r, EVERY_MS));
    }
  })();
  const started = performance.now();
  try {
    return { result: await work(), ms: performance.now() - started, delays, waits, statuses };
  } finally {
    done = true;
    await probing;
  }
}

/**
 * Prints what was measured (never asserted), then checks every probe: answered within 500 ms,
 * not counting the time the event loop's thread waited for a CPU the machine had lent elsewhere.
 */
function expectHealthy(what: string, probed: Probed<unknown>): void {
  const own = probed.delays.map((d, i) => d - probed.waits[i]);
  const slowest = probed.delays.indexOf(Math.max(...probed.delays));
  process.stdout.write(
    `${what} after ${Math.round(probed.ms)} ms; ${probed.delays.length} /health probes, slowest ${Math.round(probed.delays[slowest])} ms ` +
      `(${Math.round(probed.waits[slowest])} ms of it waiting for a CPU); slowest without such waits ${Math.round(Math.max(...own))} ms\n`,
  );
  const slow = own.filter((d) => d >= LIMIT_MS).map(Math.round);
  expect({ slow, allOk: probed.statuses.every((s) => s === 200) }).toEqual({
    slow: [],
    allOk: true,
  });
  // Sampled all along: at least one probe for every 200 ms the work took.
  expect(probed.statuses.length).toBeGreaterThanOrEqual(Math.floor(probed.ms / 200));
}

/** The small test kommune with the pattern in its intake form. */
function withPatternForm(config: KommuneConfig): KommuneConfig {
  return {
    ...config,
    intake: {
      ...config.intake,
      payload: { type: 'object', properties: { kode: { type: 'string', pattern: CATASTROPHIC } } },
    },
  };
}

const owner = () => stack.token(K, 'prosesseier', 'po-1');
const configPath = (rest: string) => `/api/v1/kommuner/${K}/config${rest}`;

let published: Promise<void> | undefined;
/** Saves and publishes the kommune with the pattern in its intake form (once). */
function publishPatternConfig(): Promise<void> {
  published ??= (async () => {
    const saved = await http(stack.baseUrl, 'PUT', configPath('/draft'), {
      token: await owner(),
      body: { config: withPatternForm(testKommune(K)) },
    });
    expect([saved.status, saved.body.valid]).toEqual([200, true]);
    const res = await http(stack.baseUrl, 'POST', configPath('/publish'), {
      token: await owner(),
      body: { comment: 'kode med mønster' },
    });
    expect([res.status, res.body.version]).toEqual([201, 2]);
  })();
  return published;
}

test('when a 2,000-step diagram is laid out, then /health keeps answering within 500 ms', async () => {
  const config = generatedConfig(1999, K); // and its final step: 2,000
  const probed = await whileProbingHealth(async () =>
    http(stack.baseUrl, 'POST', '/visualizer/api/diagram', {
      token: await stack.token(K, 'koordinator'),
      body: { config },
    }),
  );
  const res = probed.result;
  // Laid out, or stopped by the layout time limit: either way never on the event loop.
  expect([200, 422]).toContain(res.status);
  if (res.status === 422) expect(res.body.error.code).toBe('LAYOUT_TOO_LARGE');
  const outcome =
    res.status === 200
      ? 'laid out'
      : `stopped by the ${defaultApiOptions.cpu.layoutTimeoutMs / 1000} s layout limit`;
  expectHealthy(`2,000-step diagram ${outcome}`, probed);
});

test('when a draft whose form has a catastrophic-backtracking pattern is saved, validated, drawn and published, then /health keeps answering within 500 ms', async () => {
  const text = JSON.stringify(withPatternForm(testKommune(K)));
  const probed = await whileProbingHealth(async () => {
    const token = await owner();
    const saved = await http(stack.baseUrl, 'PUT', configPath('/draft'), { token, body: { text } });
    const savedDraft = await http(stack.baseUrl, 'POST', configPath('/validate'), {
      token,
      body: {},
    });
    const pasted = await http(stack.baseUrl, 'POST', configPath('/validate'), {
      token,
      body: { text },
    });
    const drawn = await http(stack.baseUrl, 'POST', '/visualizer/api/diagram', {
      token,
      body: { text },
    });
    await publishPatternConfig();
    return { saved, savedDraft, pasted, drawn };
  });
  const { saved, savedDraft, pasted, drawn } = probed.result;
  expect([saved.status, saved.body.valid, saved.body.errors]).toEqual([200, true, []]);
  expect([savedDraft.status, savedDraft.body]).toEqual([200, { valid: true, errors: [] }]);
  expect([pasted.status, pasted.body]).toEqual([200, { valid: true, errors: [] }]);
  expect([drawn.status, drawn.body.valid]).toEqual([200, true]);
  expectHealthy('draft with the pattern saved, validated twice, drawn and published', probed);
});

test('when a case is opened with a 41-character adversarial input for that pattern, then it is refused as invalid, and /health keeps answering within 500 ms', async () => {
  await publishPatternConfig();
  const token = await stack.token(K, 'koordinator');
  const open = (kode: string) =>
    http(stack.baseUrl, 'POST', `/api/v1/kommuner/${K}/cases`, {
      token,
      body: { referralSource: 'skole', payload: { kode } },
      headers: { 'Idempotency-Key': randomUUID() },
    });
  const probed = await whileProbingHealth(() => open(ADVERSARIAL));
  expect([probed.result.status, probed.result.body.error?.code]).toEqual([422, 'PAYLOAD_INVALID']);
  expect(probed.result.body.error.details).toEqual([
    expect.objectContaining({ path: '/body/payload/kode' }),
  ]);
  expectHealthy('case opened with the adversarial input refused', probed);
  // The form itself works: a value that matches opens a case.
  expect((await open('aaaa')).status).toBe(201);
});
