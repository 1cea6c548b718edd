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
import { ApiError, type ApiErrorBody } from '../api-error';
import { readDiagramRequest, type DiagramRequest } from '../visualizer/diagram-request';
import { draftDiagram, type DiagramSource } from '../visualizer/draft-diagram';

/** What the pool posts: the input, and a port on which the thread says it has taken the task up. */
export interface CpuTaskMessage<T> {
  input: T;
  started: MessagePort;
}

/** A laid-out diagram as JSON text, or why the request was refused (an `ApiError` does not cross threads). */
export type DiagramAnswer = { json: string } | { refused: ApiErrorBody['error'] };

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
 * Reads a diagram request (its body's bytes, parsed and checked here) and lays it out, answering
 * JSON text: bytes cross the threads both ways, where a large model as objects would cost the
 * event loop a parse and a structured clone each way.
 */
export const diagram = timed(async (request: DiagramRequest): Promise<DiagramAnswer> => {
  const deadline = Date.now() + (request.budgetMs ?? Infinity);
  let source: DiagramSource;
  try {
    source = readDiagramRequest(request);
  } catch (err) {
    if (err instanceof ApiError) return { refused: err.toBody().error };
    throw err;
  }
  return { json: JSON.stringify(await draftDiagram(source, deadline)) };
});

export const validateDraft = timed(({ kommune, source }: ValidateDraftInput): ValidateDraftResult =>
  checkDraft(kommune, source),
);
