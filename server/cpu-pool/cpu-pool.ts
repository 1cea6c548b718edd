/**
 * A small pool of worker threads for the work whose cost a user controls: laying out a diagram
 * and validating a config draft (pasted, saved, checked or published). On the event loop either
 * could keep `/health`, the API and the case worker waiting for seconds; here each runs on its
 * own thread, is stopped (the thread terminated) when it passes its time limit or its caller
 * goes away, and waits in a short queue that answers 503 with `Retry-After` when full.
 *
 * One thread starts with the API and stays warm, since starting one (loading the validator and
 * elkjs) takes a second. A task's time limit counts from when a thread takes it up: neither the
 * wait in the queue nor a thread's boot is the task's to pay for.
 *
 * The threads' code is bundled once per process by esbuild, in memory, and handed to each thread
 * (see cpu-worker.js): loading the tasks' 400 modules through tsx cost a thread about 1.2 s of
 * CPU, the one bundle about 0.35 s, and threads are started again after every stopped task.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { build } from 'esbuild';
import { Piscina } from 'piscina';
import { logger as defaultLogger, type Logger } from '../../runtime/logger';
import type { ValidateDraftResult } from '../../store/validate-draft';
import { ApiError } from '../api-error';
import { ErrorNb, type ErrorCode } from '../error-codes';
import type { DiagramRequest } from '../visualizer/diagram-request';
import type * as CpuTasks from './cpu-tasks';

type CpuTask = keyof typeof CpuTasks;

export interface CpuPoolOptions {
  /** Worker threads; by default one core is left to the event loop (and Temporal's worker). */
  threads: number;
  /** Tasks that may wait for a thread; one more is refused with 503 SERVER_BUSY. */
  maxQueue: number;
  layoutTimeoutMs: number;
  validationTimeoutMs: number;
  /** Heap of one thread: a layout that needs more is refused, not the process killed. */
  maxHeapMb: number;
}

export const defaultCpuPoolOptions: CpuPoolOptions = {
  threads: Math.min(4, Math.max(1, availableParallelism() - 1)),
  maxQueue: 8,
  layoutTimeoutMs: 10_000,
  validationTimeoutMs: 10_000,
  maxHeapMb: 512,
};

export interface CpuPool {
  /**
   * Reads a diagram request's body, validates the config in it and lays out whatever of it can
   * be drawn: a `DraftDiagramResult` as JSON text, or an `ApiError` (400, 403, 413) before any
   * layout work.
   */
  diagram(request: DiagramRequest, signal?: AbortSignal): Promise<string>;
  /** `validateDraft` of the store, off the event loop. */
  validateDraft(
    kommune: string,
    source: string,
    signal?: AbortSignal,
  ): Promise<ValidateDraftResult>;
  /** Terminates the threads; tasks still waiting are refused. */
  close(): Promise<void>;
}

/** How a task that ran out of time (or heap) is answered. */
const Overrun: Record<
  CpuTask,
  { code: ErrorCode; message: (limitMs: number) => string; nb: (limitMs: number) => string }
> = {
  diagram: {
    code: 'LAYOUT_TOO_LARGE',
    message: (ms) =>
      `the diagram could not be laid out within ${ms / 1000} s; draw a smaller model`,
    nb: (ms) => `Modellen kunne ikke tegnes innen ${ms / 1000} sekunder; tegn en mindre modell.`,
  },
  validateDraft: {
    code: 'VALIDATION_TIMEOUT',
    message: (ms) =>
      `the config could not be validated within ${ms / 1000} s; make it smaller or simpler`,
    nb: (ms) =>
      `Modellen kunne ikke kontrolleres innen ${ms / 1000} sekunder; gjør den mindre eller enklere.`,
  },
};

/**
 * The tasks and all they import as one CommonJS script, built on first use. esbuild is what tsx
 * itself compiles with, so where it fails nothing else would load the tasks either; a failed
 * build is tried again by the next task.
 */
let tasksCode: Promise<string> | undefined;
function cpuTasksCode(): Promise<string> {
  return (tasksCode ??= build({
    entryPoints: [join(__dirname, 'cpu-tasks.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).then(
    (built) => built.outputFiles[0].text,
    (err: unknown) => {
      tasksCode = undefined;
      throw err;
    },
  ));
}

export function createCpuPool(
  options: CpuPoolOptions = defaultCpuPoolOptions,
  logger: Logger = defaultLogger,
): CpuPool {
  let pool: Promise<Piscina> | undefined;
  let closed = false;
  const started = (): Promise<Piscina> =>
    (pool ??= cpuTasksCode().then((code) => {
      if (closed) throw busy();
      const threads = new Piscina({
        filename: join(__dirname, 'cpu-worker.js'),
        workerData: { code },
        minThreads: 1,
        maxThreads: options.threads,
        resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
      });
      // A thread that fails with no task of its own (out of heap after its task was stopped) is
      // replaced; unheard, the pool's 'error' event would end the process.
      threads.on('error', (err: Error & { code?: string }) =>
        logger.warn({ err: err.name, code: err.code }, 'cpu pool thread failed'),
      );
      return threads;
    }));
  // Started soon after the API, not by the first request: booting a thread costs the event loop
  // a moment that no request should wait behind.
  const warm = setTimeout(() => {
    if (!closed) void started().catch(() => undefined);
  }, 0);
  /** Tasks submitted and not yet settled: running on a thread or waiting for one. */
  let inFlight = 0;
  const busy = () =>
    new ApiError(
      'SERVER_BUSY',
      'the server is busy laying out and validating for others; try again in a moment',
      ErrorNb.SERVER_BUSY,
    );

  async function run<T>(
    task: CpuTask,
    input: unknown,
    limitMs: number,
    caller?: AbortSignal,
  ): Promise<T> {
    if (closed || inFlight >= options.threads + options.maxQueue) throw busy();
    const deadline = new AbortController();
    const signal = caller ? AbortSignal.any([deadline.signal, caller]) : deadline.signal;
    // The thread says when it takes the task up; our own timer (not AbortSignal.timeout) is
    // cleared when the task ends, so none outlives it.
    const { port1: began, port2: startedPort } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    began.once('message', () => {
      timer = setTimeout(() => deadline.abort(), limitMs);
    });
    inFlight++;
    try {
      const threads = await started();
      const message: CpuTasks.CpuTaskMessage<unknown> = { input, started: startedPort };
      return (await threads.run(message, { name: task, signal, transferList: [startedPort] })) as T;
    } catch (err) {
      if (
        deadline.signal.aborted ||
        (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
      ) {
        const overrun = Overrun[task];
        throw new ApiError(overrun.code, overrun.message(limitMs), overrun.nb(limitMs));
      }
      throw err;
    } finally {
      clearTimeout(timer);
      began.close();
      inFlight--;
    }
  }

  return {
    async diagram(request, signal) {
      const answer = await run<CpuTasks.DiagramAnswer>(
        'diagram',
        { ...request, budgetMs: options.layoutTimeoutMs } satisfies DiagramRequest,
        options.layoutTimeoutMs,
        signal,
      );
      if ('refused' in answer)
        throw new ApiError(
          answer.refused.code,
          answer.refused.message,
          answer.refused.nb,
          answer.refused.details,
        );
      return answer.json;
    },
    validateDraft: (kommune, source, signal) =>
      run(
        'validateDraft',
        { kommune, source } satisfies CpuTasks.ValidateDraftInput,
        options.validationTimeoutMs,
        signal,
      ),
    async close() {
      closed = true;
      clearTimeout(warm);
      await (await pool?.catch(() => undefined))?.destroy();
    },
  };
}
