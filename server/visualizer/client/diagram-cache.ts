/**
 * Laid-out diagrams of published configs, one per kommune version and page.
 */
import type { KommuneConfig } from '../../../config/types';
import type { DraftDiagramResult } from '../diagram-types';
import { request } from './api';

const cache = new Map<string, Promise<DraftDiagramResult>>();

export function diagramOf(
  kommune: string,
  version: number,
  config: KommuneConfig,
): Promise<DraftDiagramResult> {
  const key = `${kommune}@${version}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = request<DraftDiagramResult>('/visualizer/api/diagram', {
      method: 'POST',
      body: { config },
    });
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}
