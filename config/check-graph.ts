/**
 * Semantic check of the sluice as a graph: every step can be reached from intake (or reopening),
 * every open step has a way out and a way to an end, final steps stay final, no gate branch is
 * shadowed by an unconditional one before it, a transition to its own step says whether it
 * starts the step over, and engine-only events are actually sent.
 */
import type { ConfigError } from './config-error';
import type { KommuneConfig, StepId } from './types';
import { transitionSites } from './config-sites';
import { pointer } from './json-pointer';

export function checkGraph(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const steps = config.steps;
  const sites = transitionSites(config);

  const edges = new Map<StepId, Set<StepId>>(Object.keys(steps).map((id) => [id, new Set()]));
  for (const site of sites) {
    const target = site.transition.target;
    if (target !== undefined && Object.hasOwn(steps, target)) edges.get(site.step)?.add(target);
  }

  // A closing reason chosen in a form is one of a fixed list: statistics count it, and free text
  // could carry personal data into the case's status.
  for (const site of sites) {
    const target = site.transition.target;
    const final =
      target !== undefined && Object.hasOwn(steps, target) ? steps[target].final : undefined;
    const field = final?.reasonField;
    const event = Object.hasOwn(config.events, site.event) ? config.events[site.event] : undefined;
    if (field === undefined || !event || event.roles.length === 0) continue;
    const choice = (
      event.payload?.properties as Record<string, { enum?: unknown[] }> | undefined
    )?.[field];
    const choices = Array.isArray(choice?.enum) ? choice.enum : [];
    if (choices.length === 0 || !choices.every((c) => typeof c === 'string' && c !== '')) {
      errors.push({
        path: `${site.path}/target`,
        message: `step "${target}" takes its closing reason from "${field}", which the form of event "${site.event}" does not offer as a choice`,
        code: 'CLOSING_REASON_NOT_A_CHOICE',
        nb: `Steget «${target}» henter avslutningsgrunnen fra feltet «${field}», men skjemaet til hendelsen «${site.event}» har ikke faste valg der. Legg til "${field}": { "enum": ["<grunn>", …] } i skjemaet.`,
        hint: `add "${field}": { "enum": ["<reason>", …] } to the payload of "${site.event}"`,
      });
    }
  }

  // A target naming the step itself reads as either "start over" or "stay": the config says which.
  for (const site of sites) {
    const { target, reenter } = site.transition;
    if (target === site.step && reenter === undefined) {
      errors.push({
        path: `${site.path}/target`,
        message: `"target" is this transition's own step "${site.step}": say whether the case starts the step over`,
        code: 'SAME_STEP_TARGET_UNCLEAR',
        nb: `Overgangen går til sitt eget steg «${site.step}»: si om saken skal starte steget på nytt. Skriv "reenter": true for å starte på nytt (fristene starter igjen), eller fjern «target» for å bli i steget som det er.`,
        hint: 'add "reenter": true to start it over (its timers restart, its entry effects run), or remove "target" to stay in the step as it is',
      });
    } else if (reenter !== undefined && target !== undefined && target !== site.step) {
      errors.push({
        path: `${site.path}/reenter`,
        message: `"reenter" applies only to a transition that stays in its step; this one goes to "${target}"`,
        code: 'REENTER_ON_LEAVING_TRANSITION',
        nb: `«reenter» gjelder bare en overgang som blir i steget; denne går til «${target}». Fjern «reenter»: å gå inn i «${target}» starter alltid fristene der.`,
        hint: `remove "reenter": entering "${target}" always starts its timers and runs its entry effects`,
      });
    }
  }

  for (const [id, step] of Object.entries(steps)) {
    if (!step.final) continue;
    if (step.on && Object.keys(step.on).length > 0) {
      errors.push({
        path: pointer('steps', id, 'on'),
        message: 'a final step cannot handle events',
        code: 'FINAL_STEP_HANDLES_EVENTS',
        nb: `Steget «${id}» er avsluttende og kan ikke ta imot hendelser. Saken slutter her; bruk «reopen» om den skal kunne åpnes igjen.`,
        hint: 'the case ends here; to let it come back, configure "reopen"',
      });
    }
    if (step.timers && step.timers.length > 0) {
      errors.push({
        path: pointer('steps', id, 'timers'),
        message: 'a final step cannot have timers',
        code: 'FINAL_STEP_HAS_TIMERS',
        nb: `Steget «${id}» er avsluttende og kan ikke ha frister. Bruk «onEnter» for det som skal skje ved avslutning.`,
        hint: 'use "onEnter" for what happens at the end, e.g. sendFeedbackLink',
      });
    }
  }

  for (const [id, step] of Object.entries(steps)) {
    for (const [event, handler] of Object.entries(step.on ?? {})) {
      if (!Array.isArray(handler)) continue;
      const open = handler.findIndex((t) => t.when === undefined || t.when === true);
      if (open >= 0 && open < handler.length - 1) {
        errors.push({
          path: pointer('steps', id, 'on', event, open + 1),
          message: `this gate branch is never taken: branch ${open} before it has no condition`,
          code: 'GATE_BRANCH_UNREACHABLE',
          nb: `Denne grenen blir aldri valgt: gren ${open} foran den har ingen betingelse. Sett grenen uten «when» sist.`,
          hint: 'put the branch without "when" last',
        });
      }
    }
  }

  const roots = [config.intake.step, config.reopen?.step].filter(
    (s): s is StepId => s !== undefined && Object.hasOwn(steps, s),
  );
  const reachable = closure(roots, (s) => edges.get(s) ?? new Set());
  for (const id of Object.keys(steps)) {
    if (!reachable.has(id)) {
      errors.push({
        path: pointer('steps', id),
        message: `step "${id}" cannot be reached from the intake step "${config.intake.step}"`,
        code: 'STEP_UNREACHABLE',
        nb: `Steget «${id}» kan ikke nås fra inntaksteget «${config.intake.step}». Legg til en overgang dit, eller fjern steget.`,
        hint: 'add a transition with this target, or remove the step',
      });
    }
  }

  const reverse = new Map<StepId, Set<StepId>>(Object.keys(steps).map((id) => [id, new Set()]));
  for (const [from, targets] of edges) for (const to of targets) reverse.get(to)?.add(from);
  const finals = Object.keys(steps).filter((id) => steps[id].final);
  const canEnd = closure(finals, (s) => reverse.get(s) ?? new Set());
  for (const [id, step] of Object.entries(steps)) {
    if (step.final) continue;
    const exits = [...(edges.get(id) ?? [])].filter((to) => to !== id);
    if (exits.length === 0) {
      errors.push({
        path: pointer('steps', id),
        message: `step "${id}" is not final but has no way out`,
        code: 'STEP_NO_WAY_OUT',
        nb: `Steget «${id}» er ikke avsluttende, men har ingen vei videre. Legg til en overgang til et annet steg (eller en frist som sender en slik hendelse), eller merk steget som avsluttende («final»).`,
        hint: 'add a transition with a "target" to another step (or a timer that sends such an event), or mark it "final"',
      });
    } else if (!canEnd.has(id)) {
      errors.push({
        path: pointer('steps', id),
        message: `no final step can be reached from step "${id}"`,
        code: 'STEP_CANNOT_END',
        nb: `Fra steget «${id}» fører ingen vei til et avsluttende steg, så en sak her kan aldri avsluttes.`,
        hint: 'a case here could never end; add a path to a final step',
      });
    }
  }

  const reopenStep = config.reopen?.step;
  if (reopenStep !== undefined && Object.hasOwn(steps, reopenStep) && steps[reopenStep].final) {
    errors.push({
      path: pointer('reopen', 'step'),
      message: `reopening leads into the final step "${reopenStep}"`,
      code: 'REOPEN_INTO_FINAL_STEP',
      nb: `Gjenåpning fører til det avsluttende steget «${reopenStep}». En gjenåpnet sak må komme til et åpent steg.`,
      hint: 'a reopened case must land in an open step',
    });
  }

  // The engine sends timers' `send` events and the events of lost consents.
  const sentByTimers = new Set<string>(
    Object.values(config.consentTypes ?? {}).flatMap((c) => (c.whenLost ? [c.whenLost] : [])),
  );
  for (const step of Object.values(steps)) {
    for (const timer of step.timers ?? []) {
      for (const effect of timer.onExpiry)
        if (effect.type === 'send') sentByTimers.add(effect.event);
    }
  }
  for (const [id, event] of Object.entries(config.events)) {
    if (event.roles.length === 0 && !sentByTimers.has(id)) {
      errors.push({
        path: pointer('events', id, 'roles'),
        message: `no role may send event "${id}" and no timer sends it`,
        code: 'EVENT_NEVER_SENT',
        nb: `Ingen rolle kan sende hendelsen «${id}», og ingen frist sender den. List rollene som kan sende den, eller send den fra en frist med {"type": "send"}.`,
        hint: 'list the roles that may send it, or send it from a timer with {"type": "send"}',
      });
    }
  }
  return errors;
}

function closure(start: StepId[], next: (s: StepId) => Iterable<StepId>): Set<StepId> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length > 0) {
    const current = queue.shift() as StepId;
    for (const n of next(current)) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}
