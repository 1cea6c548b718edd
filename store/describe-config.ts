/**
 * Config pieces in the words a process owner uses (Norwegian bokmål): durations, timers,
 * gates (their rules in store/describe-rule.ts). Used by the diff; no logic of the engine lives here.
 */
import { durationWords } from '../config/duration';
import { type KommuneConfig, type TimerDef, type Transition } from '../config';
import { describeRule } from './describe-rule';

/**
 * A duration in words; the one rule is `durationWords` (config/duration.ts).
 *
 * @example
 * describeDuration('P1Y6M') // '1 år og 6 måneder'
 */
export const describeDuration = durationWords;

export const TimerKindWords: Record<TimerDef['kind'], string> = {
  deadline: 'fristen',
  reminder: 'påminnelsen',
  recurring: 'det faste tidspunktet',
  inactivity: 'stillstandsvarselet',
  maxDuration: 'maksimaltiden',
  dueDate: 'datovarselet',
};

/** When the timer is due, e.g. "10 virkedager etter at saken kom inn i steget". */
export function describeTimerRule(timer: TimerDef): string {
  const days = timer.days ?? 'calendar';
  switch (timer.kind) {
    case 'deadline':
    case 'maxDuration':
      return `${describeDuration(timer.after, days)} etter at ${timer.from === 'caseOpened' ? 'saken ble åpnet' : 'saken kom inn i steget'}`;
    case 'reminder':
      return `${describeDuration(timer.before, days)} før «${timer.timer}»`;
    case 'recurring':
      return `hver ${describeDuration(timer.every, days)}${timer.anchorDate ? ` fra ${timer.anchorDate}` : ''}${timer.everyField ? ` (eller hyppigheten i feltet «${timer.everyField}»)` : ''}${timer.team ? ` (eller møtedagene til sakens team av typen «${timer.team}»)` : ''}`;
    case 'inactivity':
      return `når saken har stått stille i ${describeDuration(timer.after, days)}`;
    case 'dueDate':
      return `på datoen i feltet «${timer.field}»`;
  }
}

export function titled(title: string | undefined, id: string): string {
  return title && title !== id ? `«${title}» (${id})` : `«${id}»`;
}

export function stepName(config: KommuneConfig, id: string): string {
  return titled(config.steps[id]?.title, id);
}

export function roleName(config: KommuneConfig, id: string): string {
  return titled(config.roles[id]?.title, id);
}

export function eventName(config: KommuneConfig, id: string): string {
  return titled(config.events[id]?.title, id);
}

/** A gate as a sentence: "til «Ressursteam» når {…}, ellers blir saken i steget". */
export function describeGate(config: KommuneConfig, gate: Transition | Transition[]): string {
  const list = Array.isArray(gate) ? gate : [gate];
  return list
    .map((t, i) => {
      // A valid config names its own step as target only with "reenter" said.
      const where =
        t.reenter === true
          ? 'til at steget starter på nytt'
          : t.target && t.reenter === undefined
            ? `til ${stepName(config, t.target)}`
            : 'saken blir i steget';
      const when =
        t.when === undefined || t.when === true ? '' : ` når ${describeRule(t.when, config)}`;
      return `${i > 0 ? 'ellers ' : ''}${where}${when}`;
    })
    .join(', ');
}

export { listOf as list } from './describe-rule';
