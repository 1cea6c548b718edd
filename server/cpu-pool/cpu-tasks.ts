/**
 * The work a user controls the cost of, run inside the CPU pool's worker threads: laying out a
 * diagram and validating a config draft. Plain functions of plain data, so input and result
 * cross the thread boundary by structured clone. Only the pool's threads load this file (it
 * brings elkjs); the pool knows the tasks by their export names.
 *
 * @module
 */
import { validateDraft as checkDraft, type ValidateDraftResult } from '../../store/validate-draft';
import { draftDiagram } from '../visualizer/draft-diagram';

export interface ValidateDraftInput {
  kommune: string;
  source: string;
}

/**
 * Lays out the diagram of a request body, `{"config": …}` or `{"text": "…"}` (the router has
 * checked it), and answers the result as JSON text: a string crosses threads as one copy, where
 * a large model as objects would cost the event loop a structured clone each way.
 */
export async function diagram(body: string): Promise<string> {
  const { config, text } = JSON.parse(body) as { config?: unknown; text?: unknown };
  return JSON.stringify(await draftDiagram(typeof text === 'string' ? { text } : { config }));
}

export function validateDraft({ kommune, source }: ValidateDraftInput): ValidateDraftResult {
  return checkDraft(kommune, source);
}
