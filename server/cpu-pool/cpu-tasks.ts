/**
 * The work a user controls the cost of, run inside the CPU pool's worker threads: laying out a
 * diagram and validating a config draft. Plain functions of plain data, so input and result
 * cross the thread boundary by structured clone. Only the pool's threads load this file (it
 * brings elkjs); the pool knows the tasks by their export names.
 *
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import { validateDraft as checkDraft, type ValidateDraftResult } from '../../store/validate-draft';
import { draftDiagram } from '../visualizer/draft-diagram';

/** What the pool posts: the input, and a port on which the thread says it has taken the task up. */
export interface CpuTaskMessage<T> {
  input: T;
  started: MessagePort;
}

export interface ValidateDraftInput {
  kommune: string;
  source: string;
}

/** Says "started" before the work, so that the pool times the work, not the wait for a thread. */
function timed<T, R>(work: (input: T) => R): (message: CpuTaskMessage<T>) => R {
  return ({ input, started }) => {
    started.postMessage('started');
    started.close();
    return work(input);
  };
}

/**
 * Lays out the diagram of a request body, `{"config": …}` or `{"text": "…"}` (the router has
 * checked it), and answers the result as JSON text: a string crosses threads as one copy, where
 * a large model as objects would cost the event loop a structured clone each way.
 */
export const diagram = timed(async (body: string): Promise<string> => {
  const { config, text } = JSON.parse(body) as { config?: unknown; text?: unknown };
  return JSON.stringify(await draftDiagram(typeof text === 'string' ? { text } : { config }));
});

export const validateDraft = timed(({ kommune, source }: ValidateDraftInput): ValidateDraftResult => checkDraft(kommune, source));
