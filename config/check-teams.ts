/**
 * Semantic check of teams (`teams`): meeting intervals are whole days, every team kind an effect
 * or timer names is declared, a team is chosen from a form whose `enum` lists only teams of that
 * kind, and a timer that follows a kind of team can ever get one.
 */
import type { ConfigError } from './config-error';
import type { Effect, JsonSchema, KommuneConfig } from './types';
import { hasTimeOfDay, isZeroDuration, parseDuration } from './duration';
import { effectSites, transitionSites } from './config-sites';
import { payloadFieldError } from './check-references';
import { didYouMean } from './did-you-mean';
import { pointer } from './json-pointer';

type AssignTeam = Extract<Effect, { type: 'assignTeam' }>;

export function checkTeams(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const kinds = new Set(Object.values(config.teams ?? {}).map((t) => t.kind));

  for (const [id, team] of Object.entries(config.teams ?? {})) {
    const parts = parseDuration(team.meetings.every);
    if (parts && (isZeroDuration(parts) || hasTimeOfDay(parts))) {
      errors.push({
        code: 'TEAM_MEETING_INTERVAL',
        path: pointer('teams', id, 'meetings', 'every'),
        message: `team "${id}" meets every "${team.meetings.every}": meetings are whole days apart`,
        nb: `Teamet «${team.title}» må ha møter med hele dager imellom (for eksempel P2W for annenhver uke), ikke «${team.meetings.every}».`,
        hint: 'use days or weeks, e.g. P1W or P2W',
      });
    }
  }

  const kindKnown = (kind: string, path: string): boolean => {
    if (kinds.has(kind)) return true;
    const guess = didYouMean(kind, kinds);
    errors.push({
      code: 'TEAM_KIND_UNKNOWN',
      path,
      message: `no team in "teams" is of kind "${kind}"`,
      nb: `Ingen team under «teams» er av typen «${kind}».${guess ? ` Mente du «${guess}»?` : ''}`,
      hint: guess
        ? `did you mean "${guess}"?`
        : kinds.size > 0
          ? `team kinds: ${[...kinds].join(', ')}`
          : 'declare the teams in "teams", each with a "kind"',
    });
    return false;
  };

  const assigned = new Set<string>();
  for (const site of effectSites(config)) {
    if (site.effect.type !== 'assignTeam') continue;
    assigned.add(site.effect.kind);
    kindKnown(site.effect.kind, `${site.path}/kind`);
    const missing = payloadFieldError(site.scope, site.effect.from, `${site.path}/from`);
    if (missing) {
      errors.push({
        ...missing,
        code: 'TEAM_FIELD_NOT_IN_FORM',
        nb: `Teamet velges i skjemafeltet «${site.effect.from}», men skjemaet har ikke det feltet.`,
      });
    }
  }

  // The form that names the team: the intake's or the event's. A step's `onEnter` may run after
  // several events, so the engine checks the value there instead.
  const choices: Array<{ effect: AssignTeam; form: JsonSchema | undefined; formPath: string }> = [];
  for (const effect of config.intake.effects ?? []) {
    if (effect.type === 'assignTeam')
      choices.push({ effect, form: config.intake.payload, formPath: pointer('intake', 'payload') });
  }
  for (const site of transitionSites(config)) {
    const event = Object.hasOwn(config.events, site.event) ? config.events[site.event] : undefined;
    for (const effect of site.transition.effects ?? []) {
      if (effect.type === 'assignTeam' && event)
        choices.push({
          effect,
          form: event.payload,
          formPath: pointer('events', site.event, 'payload'),
        });
    }
  }
  const seen = new Set<string>();
  for (const { effect, form, formPath } of choices) {
    const props = form?.properties as Record<string, JsonSchema> | undefined;
    const prop = props && Object.hasOwn(props, effect.from) ? props[effect.from] : undefined;
    if (!prop || !kinds.has(effect.kind)) continue; // reported above
    const path = `${formPath}${pointer('properties', effect.from)}`;
    if (seen.has(`${path} ${effect.kind}`)) continue;
    seen.add(`${path} ${effect.kind}`);
    const ofKind = Object.entries(config.teams ?? {})
      .filter(([, t]) => t.kind === effect.kind)
      .map(([id]) => id);
    if (!Array.isArray(prop.enum)) {
      errors.push({
        code: 'TEAM_FIELD_NOT_A_CHOICE',
        path,
        message: `"${effect.from}" chooses a team of kind "${effect.kind}", so it must be an "enum" of those teams`,
        nb: `Feltet «${effect.from}» velger team og må ha en liste («enum») over teamene: ${ofKind.join(', ')}.`,
        hint: `"enum": ${JSON.stringify(ofKind)}`,
      });
      continue;
    }
    prop.enum.forEach((value: unknown, j: number) => {
      if (typeof value === 'string' && ofKind.includes(value)) return;
      errors.push({
        code: 'TEAM_NOT_OF_KIND',
        path: `${path}/enum/${j}`,
        message: `${JSON.stringify(value)} is not a team of kind "${effect.kind}"`,
        nb: `«${String(value)}» er ikke et team av typen «${effect.kind}». Teamene er: ${ofKind.join(', ')}.`,
        hint: `teams of kind "${effect.kind}": ${ofKind.join(', ')}`,
      });
    });
  }

  for (const [stepId, step] of Object.entries(config.steps)) {
    (step.timers ?? []).forEach((timer, i) => {
      if (timer.kind !== 'recurring' || timer.team === undefined) return;
      const path = pointer('steps', stepId, 'timers', i, 'team');
      if (!kindKnown(timer.team, path) || assigned.has(timer.team)) return;
      errors.push({
        code: 'TEAM_NEVER_ASSIGNED',
        path,
        message: `timer "${timer.id}" follows the case's team of kind "${timer.team}", but no "assignTeam" effect puts a case on one`,
        nb: `Tidsfristen «${timer.title ?? timer.id}» følger sakens team av typen «${timer.team}», men ingen hendelse setter saken på et slikt team («assignTeam»).`,
        hint: `add { "type": "assignTeam", "kind": "${timer.team}", "from": "…" } to the event that chooses the team`,
      });
    });
  }
  return errors;
}
