/**
 * `npm run config:validate -- <file...>`: checks kommune config files (all of the config
 * directory when no file is named), down to the engine's own compile. Prints one summary line
 * per valid file and every error of an invalid one as
 * `file: /json/path — message (hint) [line L, column C]`; exits 1 if any is invalid.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultConfigDir, loadConfigFile, type ConfigError, type KommuneConfig } from '../config';
import { compileErrors } from '../machines';

function summary(config: KommuneConfig): string {
  const steps = Object.values(config.steps);
  const timers = steps.reduce((n, step) => n + (step.timers?.length ?? 0), 0);
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    config.name,
    count(steps.length, 'step'),
    count(Object.keys(config.events).length, 'event'),
    count(timers, 'timer'),
    count(Object.keys(config.roles).length, 'role'),
  ].join(', ');
}

function formatError(file: string, error: ConfigError): string {
  const hint = error.hint ? ` (${error.hint})` : '';
  const at = error.line !== undefined ? ` [line ${error.line}, column ${error.column}]` : '';
  return `${file}: ${error.path || '/'} — ${error.message}${hint}${at}`;
}

function filesToCheck(args: string[]): string[] {
  if (args.length > 0) return args;
  const dir = defaultConfigDir();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => relative(process.cwd(), join(dir, name)));
}

function main(args: string[]): number {
  let files: string[];
  try {
    files = filesToCheck(args);
  } catch (error) {
    console.error(`cannot list config files: ${(error as Error).message}`);
    return 1;
  }
  if (files.length === 0) {
    console.log(`no *.json config files in ${defaultConfigDir()}`);
    return 0;
  }
  let failed = 0;
  for (const file of files) {
    const result = loadConfigFile(file, compileErrors);
    if (result.ok) {
      console.log(`${file}: ok — ${summary(result.config)}`);
    } else {
      failed++;
      for (const error of result.errors) console.error(formatError(file, error));
    }
  }
  if (failed > 0)
    console.error(
      `${failed} of ${files.length} config file${files.length === 1 ? '' : 's'} invalid`,
    );
  return failed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
