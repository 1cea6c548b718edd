/**
 * The work a user controls the cost of, run inside the CPU pool's worker threads: laying out a
 * diagram and validating a config draft. Plain functions of plain data, so input and result
 * cross the thread boundary by structured clone. Only the pool's threads load this file (it
 * brings elkjs); the pool knows the tasks by their export names.
 *
 * @module
 */
import { validateDraft as checkDraft, type ValidateDraftResult } from '../../store/validate-draft';
import type { DraftDiagramResult } from '../visualizer/diagram-types';
import { draftDiagram, type DiagramSource } from '../visualizer/draft-diagram';

export interface ValidateDraftInput {
  kommune: string;
  source: string;
}

export function diagram(source: DiagramSource): Promise<DraftDiagramResult> {
  return draftDiagram(source);
}

export function validateDraft({ kommune, source }: ValidateDraftInput): ValidateDraftResult {
  return checkDraft(kommune, source);
}
