/**
 * The config view's service: validate a config (published, or an unsaved draft pasted as text)
 * and lay out whatever of it can be drawn, with each error's count on the step it belongs to.
 * Drafts are read with the config loader's strict JSON reader, so errors carry line and column.
 */
import { validateConfig, validateConfigText, type ConfigError } from '../../config';
import { unescapePointerSegment } from '../../config/json-pointer';
import type { DraftDiagramResult } from './diagram-types';
import { layoutDiagram } from './layout-diagram';
import { statechartGraph } from './statechart-graph';

export type DiagramSource = { config: unknown } | { text: string };

/** `/steps/<id>/...` → `<id>`, undoing JSON pointer escapes. */
function stepOfPath(path: string): string | null {
  const m = /^\/steps\/([^/]+)/.exec(path);
  return m ? unescapePointerSegment(m[1]) : null;
}

/** `deadline` (epoch ms): when the caller stops waiting for the layout (see `layoutDiagram`). */
export async function draftDiagram(
  source: DiagramSource,
  deadline = Infinity,
): Promise<DraftDiagramResult> {
  let config: unknown;
  const errors: ConfigError[] = [];
  if ('text' in source) {
    const checked = validateConfigText(source.text);
    if (!checked.ok) {
      errors.push(...checked.errors);
      config = checked.value;
    } else config = checked.config;
  } else {
    config = source.config;
    const checked = validateConfig(config);
    if (!checked.ok) errors.push(...checked.errors);
  }
  const errorsByStep = new Map<string, number>();
  for (const e of errors) {
    const step = stepOfPath(e.path);
    if (step !== null) errorsByStep.set(step, (errorsByStep.get(step) ?? 0) + 1);
  }
  const graph = statechartGraph(config);
  return {
    valid: errors.length === 0,
    errors,
    kommune: { id: graph.id, name: graph.name },
    diagram: await layoutDiagram(graph, errorsByStep, { deadline }),
  };
}
