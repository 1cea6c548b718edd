/**
 * The worker's cache of case workflows (issue #12): what fits its heap, and never more than
 * `MAX_CACHED_CASES`, since a cache of thousands on a large heap stalled the worker
 * (bench:scale). The small-heap side runs for real in worker-memory.test.ts.
 */
import { cachedWorkflowsFor, MAX_CACHED_CASES } from '../../runtime/worker';

test('when the heap is small, then the worker caches what fits in it; on a large heap it stops at the limit', () => {
  expect(cachedWorkflowsFor(256)).toBe(254);
  expect(cachedWorkflowsFor(512)).toBe(868);
  expect(cachedWorkflowsFor(4144)).toBe(MAX_CACHED_CASES);
  expect(cachedWorkflowsFor(64)).toBe(2);
});
