/**
 * The promise of Sluse: kommune rules are data. No code outside `config/` and `test/` may name
 * a kommune or one of its steps.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KOMMUNER_DIR, loadSeed, seedIds } from './support';

const ROOT = join(KOMMUNER_DIR, '..', '..');
const CODE_DIRS = ['machines', 'workflows', 'activities', 'server', 'runtime', 'scripts'];
const CODE_FILE = /\.(ts|tsx|js|mjs|cjs|json|html|css)$/;

function files(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? files(path) : CODE_FILE.test(name) ? [path] : [];
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('no kommune-specific code', () => {
  it('when the code folders are searched for kommune ids and seed step names, then none is found', () => {
    const names = new Set<string>();
    for (const id of seedIds()) {
      names.add(id);
      for (const step of Object.keys(loadSeed(id).steps)) names.add(step);
    }
    // Whole identifiers only: `undring` is a step, `undringer` in a sentence is not.
    const pattern = new RegExp(
      `(?<![A-Za-z0-9_-])(${[...names].map(escape).join('|')})(?![A-Za-z0-9_-])`,
    );
    const hits: string[] = [];
    for (const file of CODE_DIRS.flatMap((d) => files(join(ROOT, d)))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const m = pattern.exec(line);
          if (m) hits.push(`${relative(ROOT, file)}:${i + 1}: "${m[1]}"`);
        });
    }
    expect(hits).toEqual([]);
  });
});
