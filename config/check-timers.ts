/**
 * Semantic check of timers and durations: ids unique per step, reminders point at a timer of
 * their step, timer `send` effects name an event the step handles, extensions move a deadline
 * of the step they stay in, and every duration is non-zero and whole days when counted in
 * working days.
 */
import type { ConfigError } from './config-error';
import type { DayCount, Duration, KommuneConfig } from './types';
import {
  DURATION_HINT,
  DURATION_HINT_NB,
  hasTimeOfDay,
  isZeroDuration,
  parseDuration,
} from './duration';
import { effectSites, transitionSites } from './config-sites';
import { withSharedEvents } from './shared-events';
import { didYouMean } from './did-you-mean';
import { pointer } from './json-pointer';

export function checkTimers(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const duration = (value: Duration, path: string, days: DayCount = 'calendar'): void => {
    const error = durationError(value, path, days);
    if (error) errors.push(error);
  };

  for (const [id, type] of Object.entries(config.consentTypes ?? {})) {
    if (type.validFor !== undefined)
      duration(type.validFor, pointer('consentTypes', id, 'validFor'));
  }
  if (config.reopen) duration(config.reopen.within, pointer('reopen', 'within'));

  for (const [stepId, step] of Object.entries(config.steps)) {
    const timers = step.timers ?? [];
    const ids = timers.map((t) => t.id);
    timers.forEach((timer, i) => {
      const at = (...rest: Array<string | number>): string =>
        pointer('steps', stepId, 'timers', i, ...rest);
      const first = ids.indexOf(timer.id);
      if (first < i) {
        errors.push({
          path: at('id'),
          message: `duplicate timer id "${timer.id}" in step "${stepId}" (first at /steps/${stepId}/timers/${first})`,
          code: 'DUPLICATE_TIMER_ID',
          nb: `Steget «${stepId}» har to frister med id «${timer.id}» (den første står i /steps/${stepId}/timers/${first}). Fristene i et steg må ha hver sin id.`,
          hint: 'timer ids must be unique within a step',
        });
      }
      const days = timer.days ?? 'calendar';
      switch (timer.kind) {
        case 'deadline':
        case 'inactivity':
        case 'maxDuration':
          duration(timer.after, at('after'), days);
          break;
        case 'recurring':
          duration(timer.every, at('every'), days);
          break;
        case 'reminder': {
          duration(timer.before, at('before'), days);
          const target = timers.find((t) => t.id === timer.timer);
          if (!target) {
            const guess = didYouMean(timer.timer, ids);
            errors.push({
              path: at('timer'),
              message: `step "${stepId}" has no timer "${timer.timer}" to remind of`,
              code: 'UNKNOWN_TIMER',
              nb: `Steget «${stepId}» har ingen frist «${timer.timer}» å minne om. ${
                guess ? `Mente du «${guess}»?` : `Fristene i steget: ${ids.join(', ') || 'ingen'}.`
              }`,
              hint: guess
                ? `did you mean "${guess}"?`
                : `timers in this step: ${ids.join(', ') || 'none'}`,
            });
          } else if (target.kind === 'reminder') {
            errors.push({
              path: at('timer'),
              message: `"${timer.timer}" is itself a reminder`,
              code: 'REMINDER_OF_REMINDER',
              nb: `«${timer.timer}» er selv en påminnelse. En påminnelse må vise til en frist av typen deadline, maxDuration, dueDate, recurring eller inactivity.`,
              hint: 'a reminder must point at a deadline, maxDuration, dueDate, recurring or inactivity timer',
            });
          }
          break;
        }
        case 'dueDate':
          break;
      }
      timer.onExpiry.forEach((effect, j) => {
        if (effect.type !== 'send' || !Object.hasOwn(config.events, effect.event)) return;
        const on = withSharedEvents(config).steps[stepId]?.on;
        if (!on || !Object.hasOwn(on, effect.event)) {
          errors.push({
            path: at('onExpiry', j, 'event'),
            message: `timer "${timer.id}" sends "${effect.event}", but step "${stepId}" does not handle it`,
            code: 'TIMER_SENDS_UNHANDLED_EVENT',
            nb: `Fristen «${timer.id}» sender hendelsen «${effect.event}», men steget «${stepId}» håndterer den ikke. Legg «${effect.event}» til under /steps/${stepId}/on.`,
            hint: `add "${effect.event}" to /steps/${stepId}/on`,
          });
        }
      });
    });
  }
  // Extensions: of a deadline or maximum duration of the step, by a transition that stays (an
  // entered step arms its timers afresh, so there is nothing to extend).
  const inTransition = new Set<string>();
  for (const site of transitionSites(config)) {
    (site.transition.effects ?? []).forEach((effect, i) => {
      if (effect.type !== 'extendTimer') return;
      const at = `${site.path}/effects/${i}`;
      inTransition.add(at);
      const step = config.steps[site.step];
      const timer = (step?.timers ?? []).find((t) => t.id === effect.timer);
      if (!timer || (timer.kind !== 'deadline' && timer.kind !== 'maxDuration')) {
        const ids = (step?.timers ?? [])
          .filter((t) => t.kind === 'deadline' || t.kind === 'maxDuration')
          .map((t) => t.id);
        errors.push({
          path: `${at}/timer`,
          message: `step "${site.step}" has no deadline or maxDuration timer "${effect.timer}" to extend`,
          code: 'EXTEND_UNKNOWN_TIMER',
          nb: `Steget «${site.step}» har ingen frist «${effect.timer}» av typen deadline eller maxDuration å forlenge. ${
            ids.length > 0
              ? `Kan forlenges her: ${ids.join(', ')}.`
              : 'Forleng en deadline- eller maxDuration-frist i dette steget.'
          }`,
          hint:
            ids.length > 0
              ? `extendable here: ${ids.join(', ')}`
              : 'extend a deadline or maxDuration timer of this step',
        });
      }
      const target = site.transition.target;
      if ((target !== undefined && target !== site.step) || site.transition.reenter === true) {
        errors.push({
          path: `${at}/type`,
          message: 'an extension belongs on a transition that stays in its step',
          code: 'EXTEND_LEAVES_STEP',
          nb: 'En forlengelse må stå på en overgang som blir i steget: å gå inn i et steg starter fristene på nytt. Fjern «target» (og «reenter») her.',
          hint: 'entering a step arms its timers afresh; remove "target" (and "reenter") here',
        });
      }
      duration(effect.by, `${at}/by`, timer?.days ?? 'calendar');
      duration(effect.upTo, `${at}/upTo`, timer?.days ?? 'calendar');
    });
  }
  for (const site of effectSites(config)) {
    if (site.effect.type === 'extendTimer' && !inTransition.has(site.path)) {
      errors.push({
        path: `${site.path}/type`,
        message: '"extendTimer" runs only in a transition, when someone extends the case',
        code: 'EXTEND_OUTSIDE_TRANSITION',
        nb: '«extendTimer» virker bare i en overgang, når noen forlenger saken. Legg den på hendelsen som forlenger saken, i steget der fristen står.',
        hint: 'give it to the event that extends the case, in the step whose timer it moves',
      });
    }
  }

  return errors;
}

function durationError(value: Duration, path: string, days: DayCount): ConfigError | undefined {
  const parts = parseDuration(value);
  if (!parts) {
    return {
      path,
      message: `"${value}" is not a duration`,
      hint: DURATION_HINT,
      code: 'INVALID_DURATION',
      nb: `«${value}» er ikke en varighet. ${DURATION_HINT_NB}`,
    };
  }
  if (isZeroDuration(parts)) {
    return {
      path,
      message: `"${value}" is zero`,
      hint: 'a duration must be longer than zero',
      code: 'ZERO_DURATION',
      nb: `«${value}» er null. En varighet må være lengre enn null.`,
    };
  }
  if (days === 'working' && hasTimeOfDay(parts)) {
    return {
      path,
      message: `"${value}" has hours or minutes, but the timer counts working days`,
      code: 'WORKING_DAYS_WITH_TIME',
      nb: `«${value}» har timer eller minutter, men fristen teller arbeidsdager, som er hele dager. Bruk for eksempel P2D, eller sett "days": "calendar".`,
      hint: 'working days are whole days: use e.g. P2D, or set "days": "calendar"',
    };
  }
  return undefined;
}
