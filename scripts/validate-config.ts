/**
 * `npm run config:validate -- [--lang nb|en] <file...>`: checks kommune config files (all of the
 * config directory when no file is named), down to the engine's own compile. Prints one summary
 * line per valid file and every error of an invalid one as
 * `file: /json/path — CODE — message (hint) [line L, column C]` followed by its bokmål on an
 * indented `nb:` line; `--lang nb` prints the bokmål in place of the English (for the process
 * owner), `--lang en` the English alone. Exits 1 if any file is invalid, 2 on a wrong option.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultConfigDir, loadConfigFile, type ConfigError, type KommuneConfig } from '../config';
import { compileErrors } from '../machines';

/** Both (the default: developers and process owners read the same run), or one language. */
type Lang = 'both' | 'nb' | 'en';

function summary(config: KommuneConfig, lang: Lang): string {
  const steps = Object.values(config.steps);
  const timers = steps.reduce((n, step) => n + (step.timers?.length ?? 0), 0);
  const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const nb = lang === 'nb';
  return [
    config.name,
    nb ? count(steps.length, 'steg', 'steg') : count(steps.length, 'step', 'steps'),
    nb
      ? count(Object.keys(config.events).length, 'hendelse', 'hendelser')
      : count(Object.keys(config.events).length, 'event', 'events'),
    nb ? count(timers, 'frist', 'frister') : count(timers, 'timer', 'timers'),
    nb
      ? count(Object.keys(config.roles).length, 'rolle', 'roller')
      : count(Object.keys(config.roles).length, 'role', 'roles'),
  ].join(', ');
}

function formatError(file: string, error: ConfigError, lang: Lang): string {
  const head = `${file}: ${error.path || '/'} — ${error.code} — `;
  if (lang === 'nb') {
    const at = error.line !== undefined ? ` [linje ${error.line}, kolonne ${error.column}]` : '';
    return `${head}${error.nb}${at}`;
  }
  const hint = error.hint ? ` (${error.hint})` : '';
  const at = error.line !== undefined ? ` [line ${error.line}, column ${error.column}]` : '';
  const english = `${head}${error.message}${hint}${at}`;
  return lang === 'en' ? english : `${english}\n  nb: ${error.nb}`;
}

/** `--lang nb`, `--lang=en` … out of the arguments; the rest are files. */
function parseArgs(args: string[]): { lang: Lang; files: string[] } | { wrong: string } {
  let lang: Lang = 'both';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--lang' || arg.startsWith('--lang=')) {
      const value = arg === '--lang' ? args[++i] : arg.slice('--lang='.length);
      if (value !== 'nb' && value !== 'en' && value !== 'both')
        return { wrong: `--lang takes nb, en or both, not ${JSON.stringify(value ?? '')}` };
      lang = value;
    } else files.push(arg);
  }
  return { lang, files };
}

function filesToCheck(args: string[]): string[] {
  if (args.length > 0) return args;
  const dir = defaultConfigDir();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => relative(process.cwd(), join(dir, name)));
}

function main(argv: string[]): number {
  const args = parseArgs(argv);
  if ('wrong' in args) {
    console.error(args.wrong);
    return 2;
  }
  const { lang } = args;
  const nb = lang === 'nb';
  let files: string[];
  try {
    files = filesToCheck(args.files);
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
      console.log(`${file}: ok — ${summary(result.config, lang)}`);
    } else {
      failed++;
      for (const error of result.errors) console.error(formatError(file, error, lang));
    }
  }
  if (failed > 0)
    console.error(
      nb
        ? `${failed} av ${files.length} konfigurasjonsfil${files.length === 1 ? '' : 'er'} er ugyldig${failed === 1 ? '' : 'e'}`
        : `${failed} of ${files.length} config file${files.length === 1 ? '' : 's'} invalid`,
    );
  return failed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
