/**
 * Lints source texts as if they were files of the repo, with the repo's own eslint.config.mjs,
 * and prints the messages as JSON. Input on stdin: [{ "filePath": "machines/x.ts", "code": "…" }].
 *
 * A separate process because ESLint loads its config with `import()`, which Jest's module
 * sandbox refuses. The texts never touch the disk: they are type-checked in a TypeScript program
 * of their own (the root tsconfig's options, the texts served from memory) handed to the parser
 * in place of the project service, which would load the whole repo first. Imports are left
 * unresolved (`noResolve`): the rules under test read import paths and the file's own types.
 */
import { ESLint } from 'eslint';
import ts from 'typescript';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { text } from 'node:stream/consumers';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const input = JSON.parse(await text(process.stdin));
// One program holds every text, so each needs a path of its own: machines/x.ts → machines/x-3.ts.
const cases = input.map(({ filePath, code }, i) => ({
  path: join(root, filePath.replace(/\.ts$/, `-${i}.ts`)),
  code,
}));
const texts = new Map(cases.map((c) => [c.path, c.code]));

const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
const host = ts.createCompilerHost({ ...options, noResolve: true }, true);
const { getSourceFile, fileExists, readFile } = host;
host.getSourceFile = (name, ...rest) =>
  texts.has(name)
    ? ts.createSourceFile(name, texts.get(name), ts.ScriptTarget.ES2022, true)
    : getSourceFile.call(host, name, ...rest);
host.fileExists = (name) => texts.has(name) || fileExists.call(host, name);
host.readFile = (name) => texts.get(name) ?? readFile.call(host, name);
const program = ts.createProgram([...texts.keys()], { ...options, noResolve: true }, host);

const eslint = new ESLint({
  cwd: root,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: false, programs: [program] } },
    },
  ],
});
const results = [];
for (const { path, code } of cases) {
  const [result] = await eslint.lintText(code, { filePath: path });
  results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(results));
