/** The case's log goes to the store in bounded writes. */
import { CASE_LOG_BATCH, logBatch } from '../../machines/case-log-batch';

describe('writing the case log in batches', () => {
  it('when more entries wait than one write takes, then the oldest 500 go first', () => {
    const entries = Array.from({ length: 1200 }, (_, i) => ({ seq: i + 1 }));
    expect(logBatch(entries).map((e) => e.seq)).toEqual(
      entries.slice(0, CASE_LOG_BATCH.entries).map((e) => e.seq),
    );
  });

  it('when entries are large, then a write stops before 256 KB of them, but a single oversized entry still goes alone', () => {
    const big = 'x'.repeat(100 * 1024);
    expect(logBatch([{ big }, { big }, { big }]).length).toBe(2);
    const huge = 'x'.repeat(CASE_LOG_BATCH.chars * 2);
    expect(logBatch([{ huge }, { huge }]).length).toBe(1);
    expect(logBatch([])).toEqual([]);
  });
});
