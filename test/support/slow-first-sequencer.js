/**
 * Longest files first, so jest's two workers finish together instead of one running a slow file
 * alone at the end. Jest orders by the durations in its cache, which a fresh clone (CI) does not
 * have; there the files' sizes decide and a short file with a slow server start can come last.
 * So: the cache's duration where there is one, else the seconds a fresh-clone run measured
 * (below), else the file's size breaks the tie among the quick files. Files that failed last
 * time still come first, as jest does.
 */
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Seconds per file from a fresh-clone run on two cores (2026-11-29, the files of 20 s and more).
 * Only an ordering hint: an entry that is off or missing costs some idle time at the end, never
 * a failure. Refresh it when a file's cost changes a lot.
 */
const KNOWN_SECONDS = {
  'test/runtime/scale-out-faults.test.ts': 111,
  'test/runtime/worker-memory.test.ts': 80,
  'test/visualizer/case-page-day.test.ts': 55,
  'test/runtime/npm-start.test.ts': 54,
  'test/workflows/crash-and-concurrency.test.ts': 50,
  'test/workflows/case-history-deletion.test.ts': 39,
  'test/server/cpu-pool.test.ts': 34,
  'test/visualizer/case-page.test.ts': 33,
  'test/store/config-publish-browser.test.ts': 31,
  'test/visualizer/config-view.test.ts': 27,
  'test/family/family-case-page.test.ts': 26,
  'test/visualizer/visualizer-errors.test.ts': 26,
  'test/family/family-journey.test.ts': 25,
  'test/visualizer/case-config-version.test.ts': 22,
  'test/visualizer/stats-page.test.ts': 22,
  'test/visualizer/case-list.test.ts': 21,
  'test/store/config-api-fuzz.test.ts': 21,
  'test/server/openapi-fuzz.test.ts': 20,
};

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
    const estimate = (test) => {
      const cached = this.time(test);
      if (cached != null) return cached;
      const relative = test.path.slice(test.context.config.rootDir.length + 1).replace(/\\/g, '/');
      const known = KNOWN_SECONDS[relative];
      return known == null ? undefined : known * 1000;
    };
    for (const test of tests) test.duration = estimate(test);
    return [...tests].sort((a, b) => {
      const failed = Number(this.hasFailed(b)) - Number(this.hasFailed(a));
      if (failed !== 0) return failed;
      const byTime = (b.duration ?? 0) - (a.duration ?? 0);
      return byTime !== 0 ? byTime : size(b) - size(a);
    });
  }
}

module.exports = SlowFirstSequencer;
