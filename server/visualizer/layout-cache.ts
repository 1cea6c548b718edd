/**
 * Laid-out diagrams kept in memory, so a page that draws the same published config version
 * again (every case page of a kommune draws it) is answered without laying it out once more.
 * The key is the kommune and a hash of the request's bytes: a published version's config is
 * the same bytes every time, and any other body (a draft, another version) is another key, so
 * no answer is ever served for a config it was not laid out from. Bounded by count and by size,
 * the least recently used dropped first.
 *
 * @module
 */
import { createHash } from 'node:crypto';

export interface LayoutCacheLimits {
  entries: number;
  /** Total length of the cached JSON texts, in characters. */
  chars: number;
}

export const defaultLayoutCacheLimits: LayoutCacheLimits = {
  entries: 64,
  chars: 16 * 1024 * 1024,
};

export class LayoutCache {
  private readonly entries = new Map<string, string>();
  private chars = 0;

  constructor(private readonly limits: LayoutCacheLimits = defaultLayoutCacheLimits) {}

  static key(kommune: string, body: Uint8Array): string {
    return `${kommune}:${createHash('sha256').update(body).digest('base64url')}`;
  }

  get(key: string): string | undefined {
    const json = this.entries.get(key);
    if (json !== undefined) {
      // Most recently used last: the Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, json);
    }
    return json;
  }

  set(key: string, json: string): void {
    if (json.length > this.limits.chars) return;
    this.delete(key);
    this.entries.set(key, json);
    this.chars += json.length;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limits.entries && this.chars <= this.limits.chars) break;
      this.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string): void {
    const json = this.entries.get(key);
    if (json === undefined) return;
    this.entries.delete(key);
    this.chars -= json.length;
  }
}
