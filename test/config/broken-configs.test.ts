import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile, validateConfig, type ConfigError } from '../../config';
import { applyPatch, type PatchOp } from './helpers/apply-patch';
import { BROKEN_DIR, minimalConfig } from './helpers/fixtures';

interface BrokenCase {
  name: string;
  patch?: PatchOp[];
  file?: string;
  path: string;
  message: string;
}

const manifest = JSON.parse(readFileSync(join(BROKEN_DIR, 'manifest.json'), 'utf8')) as {
  cases: BrokenCase[];
};

function errorsOf(c: BrokenCase): ConfigError[] {
  const result = c.file
    ? loadConfigFile(join(BROKEN_DIR, c.file))
    : validateConfig(applyPatch(minimalConfig(), c.patch ?? []));
  return result.ok ? [] : result.errors;
}

describe('the broken-config corpus', () => {
  it('when the corpus is counted, then it holds at least 30 broken configs with distinct names', () => {
    expect(manifest.cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(manifest.cases.map((c) => c.name)).size).toBe(manifest.cases.length);
  });

  it.each(manifest.cases.map((c) => [c.name, c.path || '/', c] as const))(
    'when %s, then the config is rejected at %s',
    (_name, _path, c) => {
      const errors = errorsOf(c);
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: c.path, message: expect.stringContaining(c.message) }),
        ]),
      );
    },
  );
});
