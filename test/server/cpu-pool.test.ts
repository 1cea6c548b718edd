/**
 * The worker threads for layout and draft validation, on real threads: a task answers from its
 * thread exactly as it would on the main thread, one that passes its time limit is stopped with
 * a clear code, a full queue is refused at once, and closing leaves nothing behind.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../server/api-error';
import { createCpuPool, defaultCpuPoolOptions, type CpuPool } from '../../server/cpu-pool/cpu-pool';
import { draftDiagram } from '../../server/visualizer/draft-diagram';
import { validateDraft } from '../../store';
import { generatedConfig } from '../visualizer/support/generated-config';

jest.setTimeout(120_000);

const seedText = readFileSync(
  join(__dirname, '..', '..', 'config', 'kommuner', 'oygarden.json'),
  'utf8',
);
/** A diagram request as the visualizer's route hands it over: the body's bytes, the caller's kommune. */
const request = (body: unknown) => ({
  body: Buffer.from(JSON.stringify(body)),
  kommune: 'oygarden',
  limits: { maxSteps: 5000, maxTransitions: 20_000 },
});
/**
 * Takes about 8 s to lay out on this machine, twice the longest limit below. Not 150 steps: that
 * model took 4–7 s, and elkjs crashes on it (an IndexOutOfBoundsException, also with 130 or 300
 * steps), so on a quick machine the crash could come before the limit.
 */
const slowModel = request({ config: generatedConfig(400) });

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const outcome = await p.then(
    () => new Error('expected a refusal'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof ApiError)) throw outcome;
  return outcome;
}

const pools: CpuPool[] = [];
function pool(options: Partial<typeof defaultCpuPoolOptions> = {}): CpuPool {
  const p = createCpuPool({ ...defaultCpuPoolOptions, ...options });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

test('when a seed config is drawn and a draft validated on the pool, then the answers equal those of the main thread', async () => {
  const cpu = pool();
  expect(JSON.parse(await cpu.diagram(request({ text: seedText })))).toEqual(
    await draftDiagram({ text: seedText }),
  );
  const broken = seedText.replace('"id": "oygarden"', '"id": "bergen"');
  expect(await cpu.validateDraft('oygarden', seedText)).toEqual(
    validateDraft('oygarden', seedText),
  );
  const checked = await cpu.validateDraft('oygarden', broken);
  expect(checked).toEqual(validateDraft('oygarden', broken));
  expect(checked.ok).toBe(false);
});

test('when a layout passes its time limit, then it is stopped with LAYOUT_TOO_LARGE and the pool serves the next task', async () => {
  const cpu = pool({ layoutTimeoutMs: 2000 });
  await cpu.validateDraft('oygarden', seedText); // a warm thread, so the limit measures the layout
  const started = Date.now();
  const err = await refusal(cpu.diagram(slowModel));
  const ms = Date.now() - started;
  expect([err.status, err.code]).toEqual([422, 'LAYOUT_TOO_LARGE']);
  expect(ms).toBeGreaterThanOrEqual(2000);
  expect(ms).toBeLessThan(4000);
  expect((await cpu.validateDraft('oygarden', seedText)).ok).toBe(true);
});

test('when a layout needs more heap than a thread may have, then it is refused as LAYOUT_TOO_LARGE and the pool serves the next task', async () => {
  const cpu = pool({ maxHeapMb: 64, layoutTimeoutMs: 60_000 });
  const started = Date.now();
  const err = await refusal(cpu.diagram(request({ config: generatedConfig(1999) })));
  expect([err.status, err.code, Date.now() - started < 60_000]).toEqual([
    422,
    'LAYOUT_TOO_LARGE',
    true,
  ]);
  expect((await cpu.validateDraft('oygarden', seedText)).ok).toBe(true);
});

test('when validation passes its time limit, then it is stopped with VALIDATION_TIMEOUT', async () => {
  const cpu = pool({ validationTimeoutMs: 1 });
  const err = await refusal(cpu.validateDraft('oygarden', seedText));
  expect([err.status, err.code]).toEqual([422, 'VALIDATION_TIMEOUT']);
});

test('when a task waits for a thread, then its time limit counts from when a thread takes it up, not from the wait', async () => {
  const cpu = pool({ threads: 1, maxQueue: 1, layoutTimeoutMs: 4000, validationTimeoutMs: 3000 });
  const started = Date.now();
  // A fresh thread boots, runs the layout to its limit, is replaced: all before the validation starts.
  const layout = refusal(cpu.diagram(slowModel));
  const checked = await cpu.validateDraft('oygarden', seedText);
  expect([checked.ok, Date.now() - started > 4000]).toEqual([true, true]);
  expect((await layout).code).toBe('LAYOUT_TOO_LARGE');
});

test('when every thread is busy and the queue is full, then the next task is refused at once with SERVER_BUSY', async () => {
  const cpu = pool({ threads: 1, maxQueue: 1, layoutTimeoutMs: 3000 });
  await cpu.validateDraft('oygarden', seedText);
  const running = refusal(cpu.diagram(slowModel));
  const waiting = refusal(cpu.diagram(slowModel));
  const started = Date.now();
  const err = await refusal(cpu.diagram(slowModel));
  expect([err.status, err.code, Date.now() - started < 100]).toEqual([503, 'SERVER_BUSY', true]);
  expect((await running).code).toBe('LAYOUT_TOO_LARGE');
  expect((await waiting).code).toBe('LAYOUT_TOO_LARGE');
});

test('when the caller goes away, then its task is stopped and its thread freed', async () => {
  const cpu = pool({ threads: 1, maxQueue: 0 });
  await cpu.validateDraft('oygarden', seedText);
  const gone = new AbortController();
  const layout = cpu.diagram(slowModel, gone.signal).catch((err: unknown) => err);
  setTimeout(() => gone.abort(), 300);
  expect(((await layout) as Error).name).toBe('AbortError');
  // The one thread is free again: with no queue, a busy thread would refuse this at once.
  expect((await cpu.validateDraft('oygarden', seedText)).ok).toBe(true);
});

/** The process's OS threads (Linux): a worker thread is one of them while it lives. */
const osThreads = () =>
  Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

/** Active handles and requests by kind (timers, ports, sockets …). */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo())
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

test('when the pool is closed, then no thread, port or timer of it is left, and later tasks are refused', async () => {
  const cpu = createCpuPool();
  const before = { threads: osThreads(), resources: resources() };
  await cpu.validateDraft('oygarden', seedText);
  expect(osThreads()).toBeGreaterThan(before.threads);
  await cpu.close();
  expect(osThreads()).toBe(before.threads);
  const left = [...resources()].filter(([kind, n]) => n > (before.resources.get(kind) ?? 0));
  expect(left).toEqual([]);
  expect((await refusal(cpu.validateDraft('oygarden', seedText))).code).toBe('SERVER_BUSY');
});
