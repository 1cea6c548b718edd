/**
 * Semantic check of `retention`: each rule names an exit step, counts whole days, and keeps a
 * case at least as long as the short way back is open (a case must not be deleted while it may
 * still come back).
 */
import type { ConfigError } from './config-error';
import {
  durationWords,
  hasTimeOfDay,
  isZeroDuration,
  parseDuration,
  type DurationParts,
} from './duration';
import { pointer } from './json-pointer';
import type { KommuneConfig } from './types';

/** The longest a rule may keep anything: far past any law, and within the dates the sweep counts. */
const MAX_RETENTION_YEARS = 100;

/** Roughly, in days: only to tell a rule that is clearly shorter (or longer) than another. */
const roughDays = (d: DurationParts): number =>
  d.years * 365.25 + d.months * 30.44 + d.weeks * 7 + d.days;

export function checkRetention(config: KommuneConfig): ConfigError[] {
  const retention = config.retention;
  if (!retention) return [];
  const errors: ConfigError[] = [];
  const reopen = config.reopen && parseDuration(config.reopen.within);

  const checkDuration = (text: string, path: string, what: string): void => {
    const parts = parseDuration(text);
    if (!parts) return; // the schema reports its shape
    if (isZeroDuration(parts) || hasTimeOfDay(parts)) {
      errors.push({
        path,
        code: 'RETENTION_WHOLE_DAYS',
        message: `${what} "${text}" must be whole days, weeks, months or years`,
        nb: `Hvor lenge noe lagres, telles i hele dager: skriv for eksempel P30D, P1Y eller P5Y, ikke «${text}».`,
        hint: 'e.g. P30D, P1Y or P5Y',
      });
    } else if (roughDays(parts) > MAX_RETENTION_YEARS * 366) {
      errors.push({
        path,
        code: 'RETENTION_TOO_LONG',
        message: `${what} "${text}" is longer than ${MAX_RETENTION_YEARS} years`,
        nb: `Oppbevaringstiden kan være høyst ${MAX_RETENTION_YEARS} år, ikke ${durationWords(text)}.`,
        hint: `at most P${MAX_RETENTION_YEARS}Y`,
      });
    } else if (what !== 'accessLog' && reopen && roughDays(parts) < roughDays(reopen)) {
      errors.push({
        path,
        code: 'RETENTION_SHORTER_THAN_REOPEN',
        message: `${what} "${text}" is shorter than reopen.within "${config.reopen!.within}": a case could be deleted while it may still reopen`,
        nb: `En lukket sak kan gjenåpnes i ${durationWords(config.reopen!.within)}, men skulle slettes etter ${durationWords(text)}. Oppbevar sakene minst like lenge som de kan gjenåpnes.`,
        hint: `at least ${config.reopen!.within}`,
      });
    }
  };

  checkDuration(retention.closedCases, pointer('retention', 'closedCases'), 'closedCases');
  for (const [step, keep] of Object.entries(retention.byFinalStep ?? {})) {
    const path = pointer('retention', 'byFinalStep', step);
    if (!Object.hasOwn(config.steps, step)) {
      errors.push({
        path,
        code: 'UNKNOWN_STEP',
        message: `retention.byFinalStep names "${step}", which is not a step`,
        nb: `Det finnes ikke noe steg «${step}». Oppbevaringstiden gjelder saker som er avsluttet i et avsluttende steg under «steps».`,
        hint: `exit steps: ${finalSteps(config).join(', ')}`,
      });
      continue;
    }
    if (!config.steps[step].final) {
      errors.push({
        path,
        code: 'RETENTION_STEP_NOT_FINAL',
        message: `retention.byFinalStep names "${step}", which does not close a case`,
        nb: `Steget «${config.steps[step].title}» avslutter ikke saken, så ingen sak lukkes der. Oppbevaringstid settes for avsluttende steg.`,
        hint: `exit steps: ${finalSteps(config).join(', ')}`,
      });
      continue;
    }
    checkDuration(keep, path, `retention.byFinalStep.${step}`);
  }
  if (retention.accessLog)
    checkDuration(retention.accessLog, pointer('retention', 'accessLog'), 'accessLog');
  return errors;
}

const finalSteps = (config: KommuneConfig): string[] =>
  Object.entries(config.steps)
    .filter(([, s]) => s.final)
    .map(([id]) => id);
