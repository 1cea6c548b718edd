/**
 * DOM types belong to the browser code alone. If the root type check saw them, server code
 * could use `document` or `window` and still pass; the browser code has its own check instead.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

/** The program `tsc -p <config>` builds: its files, the lib files included. */
function programFiles(configPath: string): string[] {
  const path = join(ROOT, configPath);
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(path));
  return ts
    .createProgram(parsed.fileNames, parsed.options)
    .getSourceFiles()
    .map((f) => f.fileName);
}

test("when the project is type-checked, then the DOM types are in the browser code's check only, and npm test runs both", () => {
  const root = programFiles('tsconfig.json');
  expect(root.filter((f) => /\/lib\.dom\.|\/server\/visualizer\/client\//.test(f))).toEqual([]);

  const browser = programFiles('server/visualizer/client/tsconfig.json');
  expect(browser.some((f) => f.endsWith('/lib.dom.d.ts'))).toBe(true);
  expect(browser.some((f) => f.endsWith('/server/visualizer/client/main.ts'))).toBe(true);

  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  // The checks run side by side (scripts/parallel.mjs), each a command of its own.
  expect(scripts.test).toMatch(/&& npm run checks && jest$/);
  const checks = [...scripts.checks.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  expect(checks).toEqual([
    'tsc --noEmit',
    'tsc --noEmit -p server/visualizer/client',
    'eslint --max-warnings 0 .',
    'prettier --check .',
  ]);
}, 60_000);
