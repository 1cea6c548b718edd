/**
 * A diagram request read and checked: a strict JSON body (read as the API reads bodies) holding
 * `{"config": …}` or `{"text": "…"}`, a draft of the caller's own kommune only, small enough to
 * lay out. Read on the layout thread before the layout, since parsing a large body is work too.
 *
 * @module
 */
import { ApiError } from '../api-error';
import { parseJsonBody } from '../json-body';
import { checkDiagramSize, type DiagramLimits } from './diagram-limits';
import type { DiagramSource } from './draft-diagram';

export interface DiagramRequest {
  /** The body's bytes, as read (type, charset and size already checked). */
  body: Uint8Array;
  /** The caller's kommune: a draft of another is refused. */
  kommune: string;
  limits: DiagramLimits;
  /** The layout's time limit (the pool's), so that a slow retry gives way to a quick layout. */
  budgetMs?: number;
}

/** The config a body carries, as a source to draw and parsed (when it parses) to check. */
function sourceOf(body: unknown): { source: DiagramSource; config: unknown; path: string } {
  const b =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  if (typeof b.text === 'string') {
    let config: unknown;
    try {
      config = JSON.parse(b.text.replace(/^\uFEFF/, ''));
    } catch {
      // Not JSON: nothing to draw; the validator reports where the text breaks.
    }
    return { source: { text: b.text }, config, path: '/body/text' };
  }
  if (b.config !== undefined)
    return { source: { config: b.config }, config: b.config, path: '/body/config' };
  throw new ApiError(
    'VALIDATION_FAILED',
    'send {"config": {…}} or {"text": "…"}',
    'Send {"config": {…}} eller {"text": "…"}.',
    [
      {
        path: '/body',
        message: 'needs config (an object) or text (a string)',
        nb: 'Trenger config (et objekt) eller text (tekst).',
      },
    ],
  );
}

/** The source to draw, or an `ApiError` (400, 403 or 413) before any layout work. */
export function readDiagramRequest({ body, kommune, limits }: DiagramRequest): DiagramSource {
  const { source, config, path } = sourceOf(parseJsonBody(body));
  // A draft may be of this kommune only: the same isolation as everything else it sees.
  const id = (config as { id?: unknown } | undefined)?.id;
  if (typeof id === 'string' && id !== kommune) {
    throw new ApiError(
      'KOMMUNE_NOT_ALLOWED',
      `the token is for kommune "${kommune}", not "${id}"`,
      `Du er logget inn for ${kommune}, ikke ${id}.`,
      [{ path: `${path}/id`, message: 'another kommune', nb: 'En annen kommune.' }],
    );
  }
  checkDiagramSize(config, limits, path);
  return source;
}
