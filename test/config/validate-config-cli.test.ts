import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { MINIMAL_FILE, REPO_ROOT } from './helpers/fixtures';

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/validate-config.ts', ...args],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run config:validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluse-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a valid file is named, then it exits 0 with a one-line summary', () => {
    const file = relative(REPO_ROOT, MINIMAL_FILE);
    const { code, stdout, stderr } = runCli([file]);
    expect(stderr).toBe('');
    expect(stdout).toBe(`${file}: ok — Minimal kommune, 5 steps, 8 events, 6 timers, 2 roles\n`);
    expect(code).toBe(0);
  });

  it('when an invalid file is named, then it exits 1 and prints every error with its path and position', () => {
    const file = join(dir, 'minimal.json');
    writeFileSync(
      file,
      readFileSync(MINIMAL_FILE, 'utf8')
        .replace('"level": 1,', '"level": 9,')
        .replace('"target": "talk"', '"target": "tlak"'),
    );
    const { code, stdout, stderr } = runCli([MINIMAL_FILE, file]);
    expect(code).toBe(1);
    expect(stdout).toContain('minimal.json: ok');
    expect(stderr).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: /steps/talk/level — SCHEMA_ENUM — 9 is not allowed; must be one of: 0, 1, 2, 3 \\(.+\\) \\[line \\d+, column \\d+\\]$`,
        'm',
      ),
    );
    expect(stderr).toContain('1 of 2 config files invalid');
  });

  it('when a file has a semantic error, then the hint is printed in parentheses', () => {
    const file = join(dir, 'minimal.json');
    writeFileSync(
      file,
      readFileSync(MINIMAL_FILE, 'utf8').replace('"target": "talk"', '"target": "tlak"'),
    );
    const { code, stderr } = runCli([file]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `${file}: /steps/worry/on/ASSESS/0/target — UNKNOWN_STEP — unknown step "tlak" (did you mean "talk"?) [line `,
    );
  });

  it('when a file has an error, then its bokmål follows the English on an nb: line, and --lang nb prints the bokmål alone with the code and path', () => {
    const file = join(dir, 'minimal.json');
    writeFileSync(
      file,
      readFileSync(MINIMAL_FILE, 'utf8').replace('"target": "talk"', '"target": "tlak"'),
    );
    const both = runCli([file]);
    expect(both.stderr).toContain(
      `— UNKNOWN_STEP — unknown step "tlak" (did you mean "talk"?) [line 49, column 13]\n  nb: Det finnes ikke noe steg «tlak». Mente du «talk»?\n`,
    );
    const nb = runCli(['--lang', 'nb', file]);
    expect(nb.code).toBe(1);
    expect(nb.stderr.split('\n')[0]).toBe(
      `${file}: /steps/worry/on/ASSESS/0/target — UNKNOWN_STEP — Det finnes ikke noe steg «tlak». Mente du «talk»? [linje 49, kolonne 13]`,
    );
    expect(nb.stderr).not.toContain('unknown step');
    expect(nb.stderr).toContain('1 av 1 konfigurasjonsfil er ugyldig');
  });

  it('when --lang names a language it does not have, then it exits 2 saying which it has', () => {
    const { code, stderr } = runCli(['--lang=de', relative(REPO_ROOT, MINIMAL_FILE)]);
    expect(code).toBe(2);
    expect(stderr).toBe('--lang takes nb, en or both, not "de"\n');
  });

  it('when a file is nested 20,000 levels deep, then it exits 1 with the path and line where it gets too deep', () => {
    const file = join(dir, 'deep.json');
    writeFileSync(file, `{"id": "deep",\n "steps": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    const { code, stderr } = runCli([file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /deep\.json: \/steps(\/0)+ — JSON_TOO_DEEP — too deep at line 2, column \d+: nested more than 256 levels deep/,
    );
    expect(stderr).not.toMatch(/RangeError|Maximum call stack/);
  });

  it('when no file is named, then every file in the config directory is checked', () => {
    const only = mkdtempSync(join(tmpdir(), 'sluse-cli-dir-'));
    try {
      writeFileSync(join(only, 'minimal.json'), readFileSync(MINIMAL_FILE, 'utf8'));
      writeFileSync(join(only, 'broken.json'), '{"id": "broken",}');
      const { code, stdout, stderr } = runCli([], { SLUSE_CONFIG_DIR: only });
      expect(code).toBe(1);
      expect(stdout).toMatch(/minimal\.json: ok — Minimal kommune/);
      expect(stderr).toMatch(
        /broken\.json: \/ — JSON_SYNTAX — malformed JSON at line 1, column 17: trailing comma before "}" \[line 1, column 17\]/,
      );
    } finally {
      rmSync(only, { recursive: true, force: true });
    }
  });
});
