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
        hint: 'add "reenter": true to start it over (its timers restart, its entry effects run), or remove "target" to stay in the step as it is',
      });
    } else if (reenter !== undefined && target !== undefined && target !== site.step) {
      errors.push({
        path: `${site.path}/reenter`,
        message: `"reenter" applies only to a transition that stays in its step; this one goes to "${target}"`,
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
        hint: 'the case ends here; to let it come back, configure "reopen"',
      });
    }
    if (step.timers && step.timers.length > 0) {
      errors.push({
        path: pointer('steps', id, 'timers'),
        message: 'a final step cannot have timers',
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
        hint: 'add a transition with a "target" to another step (or a timer that sends such an event), or mark it "final"',
      });
    } else if (!canEnd.has(id)) {
      errors.push({
        path: pointer('steps', id),
        message: `no final step can be reached from step "${id}"`,
        hint: 'a case here could never end; add a path to a final step',
      });
    }
  }

  const reopenStep = config.reopen?.step;
  if (reopenStep !== undefined && Object.hasOwn(steps, reopenStep) && steps[reopenStep].final) {
    errors.push({
      path: pointer('reopen', 'step'),
      message: `reopening leads into the final step "${reopenStep}"`,
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
