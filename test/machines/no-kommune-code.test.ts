/**
 * The promise of Sluse: kommune rules are data. No code outside `config/` and `test/` may name
 * a kommune or a name that exists only in its config.
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

/**
 * What code must not name: kommune ids anywhere; the seeds' compound identifiers (steps, events,
 * roles, templates, consent types written in snake_case or camelCase, which exist only in
 * configs) anywhere; and their one-word ids ("vurdering", "mottak") as a whole string literal,
 * the way code would compare against a step, while the same word in a sentence is just Norwegian.
 */
function configNamePattern(): RegExp {
  const anywhere = new Set<string>(seedIds());
  const asLiteral = new Set<string>();
  for (const id of seedIds()) {
    const c = loadSeed(id);
    for (const section of [c.steps, c.events, c.roles, c.templates ?? {}, c.consentTypes ?? {}]) {
      for (const name of Object.keys(section)) {
        if (/[_A-Z0-9]/.test(name)) anywhere.add(name);
        else asLiteral.add(name);
      }
    }
  }
  const whole = (names: Set<string>) => [...names].map(escape).join('|');
  // Whole identifiers only: `undring` is a step, `undringer` in a sentence is not.
  return new RegExp(
    `(?<![A-Za-z0-9_-])(${whole(anywhere)})(?![A-Za-z0-9_-])|(['"\`])(${whole(asLiteral)})\\2`,
  );
}

describe('no kommune-specific code', () => {
  it('when the code folders are searched for kommune ids and config-only names, then none is found', () => {
    const pattern = configNamePattern();
    const hits: string[] = [];
    for (const file of CODE_DIRS.flatMap((d) => files(join(ROOT, d)))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const m = pattern.exec(line);
          if (m) hits.push(`${relative(ROOT, file)}:${i + 1}: "${m[1] ?? m[3]}"`);
        });
    }
    expect(hits).toEqual([]);
  });

  it("when a line of code names a seed's step as a string or its kommune anywhere, then the guard sees it; the same word in a sentence it does not", () => {
    const pattern = configNamePattern();
    expect(pattern.test(`if (state.step === 'vurdering') return;`)).toBe(true);
    expect(pattern.test(`const k = loadSeed('oygarden');`)).toBe(true);
    expect(pattern.test(`// registrerVurdering is special`)).toBe(true);
    expect(pattern.test(`'Ny vurdering av saken'`)).toBe(false);
  });
});
