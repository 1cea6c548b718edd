/**
 * What changed between two kommune configs, in sentences a process owner reads before
 * publishing (Norwegian bokmål), each with the JSON pointer it is about. Every difference is
 * reported: what has no dedicated sentence gets a general one, so nothing changes unseen.
 */
import type { EventDef, KommuneConfig, RoleDef, StepDef, TimerDef, Transition } from '../config';
import { sameJson as same } from '../config/canonical-json';
import { escapePointerSegment } from '../config/json-pointer';
import { sharedOn } from '../config/shared-events';
import {
  TimerKindWords,
  describeGate,
  describeTimerRule,
  eventName,
  list,
  roleName,
  stepName,
  titled,
} from './describe-config';
import { describeRule } from './describe-rule';

/** The handler a step runs for an event, as a `sharedEvents` group gave it. */
type SharedHandler = { group: string; handler: unknown };

export const ChangeKinds = ['added', 'removed', 'changed'] as const;
export type ChangeKind = (typeof ChangeKinds)[number];

export const ChangeAreas = [
  'kommune',
  'role',
  'referralSource',
  'consentType',
  'field',
  'template',
  'intake',
  'step',
  'gate',
  'timer',
  'event',
  'capacity',
  'reopen',
  'team',
  'screening',
] as const;
export type ChangeArea = (typeof ChangeAreas)[number];

export interface ConfigChange {
  kind: ChangeKind;
  area: ChangeArea;
  /** JSON pointer: into the newer config, or into the older one for what was removed. */
  path: string;
  /** The step a step, gate or timer change belongs to; the impact preview groups by it. */
  step?: string;
  message: string;
}

/**
 * @example
 * diffConfigs(published, draft).map((c) => c.message)
 * // ['Nytt steg «Ressursteam» (ressursteam) på nivå 2, holdt av «Ressursteam» (ressursteam).', …]
 */
export function diffConfigs(before: KommuneConfig, after: KommuneConfig): ConfigChange[] {
  const out: ConfigChange[] = [];
  const add = (c: ConfigChange) => out.push(c);

  for (const key of ['name', 'description'] as const) {
    if (!same(before[key], after[key])) {
      add({
        kind: 'changed',
        area: 'kommune',
        path: `/${key}`,
        message: `${key === 'name' ? 'Navnet' : 'Beskrivelsen'} er endret${before[key] && after[key] ? ` fra «${before[key]}» til «${after[key]}»` : ''}.`,
      });
    }
  }
  diffRecord(before.roles, after.roles, (id, b, a) => {
    const path = `/roles/${escapePointerSegment(id)}`;
    if (!b)
      add({ kind: 'added', area: 'role', path, message: `Ny rolle ${titled(a!.title, id)}.` });
    else if (!a)
      add({
        kind: 'removed',
        area: 'role',
        path,
        message: `Rollen ${titled(b.title, id)} er fjernet.`,
      });
    else {
      if (b.title !== a.title || b.description !== a.description) {
        add({
          kind: 'changed',
          area: 'role',
          path,
          message: `Rollen ${titled(a.title, id)} har fått ny tittel eller beskrivelse.`,
        });
      }
      if (roleSight(b) !== roleSight(a)) {
        add({
          kind: 'changed',
          area: 'role',
          path,
          message: `Rollen ${titled(a.title, id)} ser nå ${roleSight(a)} (før: ${roleSight(b)}).`,
        });
      }
    }
  });
  diffNamed(
    'referralSource',
    'Henvisningskilden',
    'Ny henvisningskilde',
    '/referralSources',
    before.referralSources,
    after.referralSources,
    add,
  );
  diffNamed(
    'consentType',
    'Samtykketypen',
    'Ny samtykketype',
    '/consentTypes',
    before.consentTypes,
    after.consentTypes,
    add,
  );
  diffNamed('field', 'Feltet', 'Nytt felt', '/fields', before.fields, after.fields, add);
  diffNamed(
    'template',
    'Meldingsmalen',
    'Ny meldingsmal',
    '/templates',
    before.templates,
    after.templates,
    add,
  );
  diffIntake(before, after, add);
  diffRecord(before.steps, after.steps, (id, b, a) => diffStep(before, after, id, b, a, add));
  diffRecord(before.events, after.events, (id, b, a) => diffEvent(before, after, id, b, a, add));
  if (!same(before.capacity, after.capacity)) {
    add({
      kind: before.capacity ? (after.capacity ? 'changed' : 'removed') : 'added',
      area: 'capacity',
      path: '/capacity',
      message: 'Reglene for hvor mange saker en person kan holde samtidig er endret.',
    });
  }
  diffSharedRules(before, after, add);
  // A team's new meeting days reach cases that start on, or move to, the new version.
  diffNamed('team', 'Teamet', 'Nytt team', '/teams', before.teams, after.teams, add);
  diffScreening(before, after, add);
  if (!same(before.reopen, after.reopen)) {
    const message = !after.reopen
      ? 'Avsluttede saker kan ikke lenger gjenåpnes («kort vei tilbake» er fjernet).'
      : `Kort vei tilbake: avsluttede saker kan gjenåpnes innen ${after.reopen.within} rett til ${stepName(after, after.reopen.step)}${before.reopen ? ' (endret)' : ' (nytt)'}.`;
    add({
      kind: before.reopen ? (after.reopen ? 'changed' : 'removed') : 'added',
      area: 'reopen',
      path: '/reopen',
      message,
    });
  }
  return out;
}

/** The online self-assessment: per age band, its questions and its results. No case runs on it. */
function diffScreening(
  before: KommuneConfig,
  after: KommuneConfig,
  add: (c: ConfigChange) => void,
): void {
  const b = before.screening;
  const a = after.screening;
  if (same(b, a)) return;
  if (!b || !a) {
    add({
      kind: b ? 'removed' : 'added',
      area: 'screening',
      path: '/screening',
      message: b
        ? 'Egenvurderingen på nett er fjernet.'
        : `Ny egenvurdering på nett med ${a!.ageBands.length} aldersgruppe${a!.ageBands.length === 1 ? '' : 'r'}.`,
    });
    return;
  }
  if (b.title !== a.title || b.intro !== a.intro) {
    add({
      kind: 'changed',
      area: 'screening',
      path: '/screening',
      message: 'Egenvurderingen på nett har fått ny tittel eller innledning.',
    });
  }
  const bandsBefore = new Map(b.ageBands.map((band) => [band.id, band]));
  a.ageBands.forEach((band, i) => {
    const path = `/screening/ageBands/${i}`;
    const old = bandsBefore.get(band.id);
    bandsBefore.delete(band.id);
    if (!old) {
      add({
        kind: 'added',
        area: 'screening',
        path,
        message: `Ny aldersgruppe i egenvurderingen: «${band.title}».`,
      });
      return;
    }
    const parts = [
      old.title !== band.title || old.minAge !== band.minAge || old.maxAge !== band.maxAge
        ? 'navn eller alder'
        : '',
      same(old.questions, band.questions) ? '' : 'spørsmål, svar eller vekter',
      same(old.results, band.results) ? '' : 'resultater eller tilbud',
    ].filter(Boolean);
    if (parts.length > 0)
      add({
        kind: 'changed',
        area: 'screening',
        path,
        message: `Aldersgruppen «${band.title}» i egenvurderingen har endret ${parts.join(' og ')}.`,
      });
  });
  b.ageBands.forEach((band, i) => {
    if (bandsBefore.has(band.id))
      add({
        kind: 'removed',
        area: 'screening',
        path: `/screening/ageBands/${i}`,
        message: `Aldersgruppen «${band.title}» er fjernet fra egenvurderingen.`,
      });
  });
}

/**
 * A changed `sharedEvents` group is said once; then, per step, only where the handler the step
 * actually runs came from a group and changed (a step's own handler wins over the group's, so a
 * group's edit does not reach it). The per-step changes carry `step`, so the impact preview finds
 * the cases there. A computed value is read wherever its name is.
 */
function diffSharedRules(
  before: KommuneConfig,
  after: KommuneConfig,
  add: (c: ConfigChange) => void,
): void {
  const verb = { added: 'er lagt til', removed: 'er fjernet', changed: 'er endret' } as const;
  diffRecord(before.sharedEvents ?? {}, after.sharedEvents ?? {}, (id, b, a) => {
    const kind: ChangeKind = !b ? 'added' : !a ? 'removed' : 'changed';
    add({
      kind,
      area: 'gate',
      path: `/sharedEvents/${escapePointerSegment(id)}`,
      message: `Felleshendelsene «${id}» ${verb[kind]}.`,
    });
  });
  const sharedBefore = sharedOn(before);
  const sharedAfter = sharedOn(after);
  for (const step of unionKeys(after.steps, before.steps)) {
    const b = sharedBefore.get(step) ?? new Map<string, SharedHandler>();
    const a = sharedAfter.get(step) ?? new Map<string, SharedHandler>();
    for (const event of new Set([...a.keys(), ...b.keys()])) {
      const hb = b.get(event);
      const ha = a.get(event);
      if (hb && ha && hb.group === ha.group && same(hb.handler, ha.handler)) continue;
      const kind: ChangeKind = !hb ? 'added' : !ha ? 'removed' : 'changed';
      const from = (ha ?? hb)!.group;
      const config = Object.hasOwn(after.steps, step) ? after : before;
      const ev = eventName(after.events[event] ? after : before, event);
      add({
        kind,
        area: 'gate',
        path: `/sharedEvents/${escapePointerSegment(from)}/on/${escapePointerSegment(event)}`,
        step,
        message:
          kind === 'added'
            ? `I steget ${stepName(config, step)} kan ${ev} nå sendes, fra felleshendelsene «${from}».`
            : kind === 'removed'
              ? `I steget ${stepName(config, step)} gjelder ikke lenger ${ev} fra felleshendelsene «${from}».`
              : `I steget ${stepName(config, step)} er ${ev} fra felleshendelsene «${from}» endret.`,
      });
    }
  }
  diffRecord(before.computed ?? {}, after.computed ?? {}, (id, b, a) => {
    const kind: ChangeKind = b === undefined ? 'added' : a === undefined ? 'removed' : 'changed';
    add({
      kind,
      area: 'gate',
      path: `/computed/${escapePointerSegment(id)}`,
      message:
        kind === 'added'
          ? `Den beregnede verdien «${id}» er lagt til: ${describeRule(a!, after)}.`
          : kind === 'removed'
            ? `Den beregnede verdien «${id}» er fjernet (var: ${describeRule(b!, before)}).`
            : `Den beregnede verdien «${id}» er endret: nå ${describeRule(a!, after)} (før: ${describeRule(b!, before)}).`,
    });
  });
}

function diffIntake(
  before: KommuneConfig,
  after: KommuneConfig,
  add: (c: ConfigChange) => void,
): void {
  const b = before.intake;
  const a = after.intake;
  if (b.step !== a.step)
    add({
      kind: 'changed',
      area: 'intake',
      path: '/intake/step',
      message: `Nye saker starter nå i ${stepName(after, a.step)} (før: ${stepName(before, b.step)}).`,
    });
  roleChanges(before, after, b.roles, a.roles, '/intake/roles', 'intake', 'åpne nye saker', add);
  if (!same(b.payload, a.payload))
    add({
      kind: 'changed',
      area: 'intake',
      path: '/intake/payload',
      message: 'Skjemaet for nye saker er endret.',
    });
  if (!same(b.effects, a.effects))
    add({
      kind: 'changed',
      area: 'intake',
      path: '/intake/effects',
      message: 'Det som skjer når en sak åpnes er endret.',
    });
}

function diffStep(
  before: KommuneConfig,
  after: KommuneConfig,
  id: string,
  b: StepDef | undefined,
  a: StepDef | undefined,
  add: (c: ConfigChange) => void,
): void {
  const path = `/steps/${escapePointerSegment(id)}`;
  if (!b) {
    const a2 = a!;
    add({
      kind: 'added',
      area: 'step',
      path,
      step: id,
      message: `Nytt steg ${titled(a2.title, id)} på nivå ${a2.level}, holdt av ${roleName(after, a2.holderRole)}${a2.final ? `; saken avsluttes her (${a2.final.outcome})` : ''}.`,
    });
    return;
  }
  const name = stepName(after, id);
  if (!a) {
    add({
      kind: 'removed',
      area: 'step',
      path,
      step: id,
      message: `Steget ${titled(b.title, id)} er fjernet. Saker som står der må flyttes til et annet steg når de migreres.`,
    });
    return;
  }
  const step = (message: string, sub = '') =>
    add({
      kind: 'changed',
      area: 'step',
      path: path + sub,
      step: id,
      message: `Steget ${name}: ${message}.`,
    });
  if (b.title !== a.title) step(`tittelen er endret fra «${b.title}»`, '/title');
  if (!same(b.description, a.description)) step('beskrivelsen er endret', '/description');
  if (b.level !== a.level) step(`BTI-nivået er endret fra ${b.level} til ${a.level}`, '/level');
  if (b.holderRole !== a.holderRole)
    step(
      `stafettholderen har nå rollen ${roleName(after, a.holderRole)} (før: ${roleName(before, b.holderRole)})`,
      '/holderRole',
    );
  if (!same(b.final, a.final)) {
    step(
      a.final
        ? `saken avsluttes nå her (${a.final.outcome}: ${a.final.reason})`
        : 'er ikke lenger et sluttsteg',
      '/final',
    );
  }
  const consentsBefore = b.requiresConsent ?? [];
  const consentsAfter = a.requiresConsent ?? [];
  const newConsents = consentsAfter.filter((c) => !consentsBefore.includes(c));
  const goneConsents = consentsBefore.filter((c) => !consentsAfter.includes(c));
  if (newConsents.length > 0)
    step(
      `krever nå samtykke ${list(newConsents.map((c) => `«${c}»`))} for å komme inn`,
      '/requiresConsent',
    );
  if (goneConsents.length > 0)
    step(
      `krever ikke lenger samtykke ${list(goneConsents.map((c) => `«${c}»`))}`,
      '/requiresConsent',
    );
  if (!same(b.onEnter, a.onEnter))
    step('det som skjer når en sak kommer inn i steget er endret', '/onEnter');

  diffRecord(b.on ?? {}, a.on ?? {}, (event, gb, ga) => {
    const gatePath = `${path}/on/${escapePointerSegment(event)}`;
    const ev = eventName(after.events[event] ? after : before, event);
    if (!gb)
      add({
        kind: 'added',
        area: 'gate',
        path: gatePath,
        step: id,
        message: `I steget ${name} kan ${ev} nå sendes: ${describeGate(after, ga!)}.`,
      });
    else if (!ga)
      add({
        kind: 'removed',
        area: 'gate',
        path: gatePath,
        step: id,
        message: `I steget ${name} kan ${ev} ikke lenger sendes (før: ${describeGate(before, gb)}).`,
      });
    else
      add({
        kind: 'changed',
        area: 'gate',
        path: gatePath,
        step: id,
        message: gateChange(before, after, name, ev, gb, ga),
      });
  });

  const timersBefore = byId(b.timers ?? []);
  const timersAfter = byId(a.timers ?? []);
  diffRecord(timersBefore, timersAfter, (timerId, tb, ta) => {
    const index = (a.timers ?? []).findIndex((t) => t.id === timerId);
    const timerPath = `${path}/timers/${index >= 0 ? index : (b.timers ?? []).findIndex((t) => t.id === timerId)}`;
    const t = ta ?? tb!;
    const label = `${TimerKindWords[t.kind]} ${titled(t.title, timerId)}`;
    if (!tb)
      add({
        kind: 'added',
        area: 'timer',
        path: timerPath,
        step: id,
        message: `I steget ${name} er ${label} lagt til: ${describeTimerRule(ta!)}.`,
      });
    else if (!ta)
      add({
        kind: 'removed',
        area: 'timer',
        path: timerPath,
        step: id,
        message: `I steget ${name} er ${label} fjernet (var: ${describeTimerRule(tb)}).`,
      });
    else
      add({
        kind: 'changed',
        area: 'timer',
        path: timerPath,
        step: id,
        message: timerChange(name, label, tb, ta),
      });
  });

  const handled = new Set([
    'title',
    'description',
    'level',
    'holderRole',
    'final',
    'requiresConsent',
    'onEnter',
    'on',
    'timers',
  ]);
  for (const key of unionKeys(b, a).filter((k) => !handled.has(k))) {
    if (
      !same(
        (b as unknown as Record<string, unknown>)[key],
        (a as unknown as Record<string, unknown>)[key],
      )
    )
      step(`«${key}» er endret`, `/${escapePointerSegment(key)}`);
  }
}

function gateChange(
  before: KommuneConfig,
  after: KommuneConfig,
  name: string,
  ev: string,
  gb: Transition | Transition[],
  ga: Transition | Transition[],
): string {
  const was = describeGate(before, gb);
  const now = describeGate(after, ga);
  if (was !== now) return `I steget ${name} fører ${ev} nå ${now} (før: ${was}).`;
  return `I steget ${name} er det som skjer ved ${ev} endret (beskrivelse eller handlinger).`;
}

function timerChange(name: string, label: string, tb: TimerDef, ta: TimerDef): string {
  const was = describeTimerRule(tb);
  const now = describeTimerRule(ta);
  const parts: string[] = [];
  if (tb.kind !== ta.kind)
    parts.push(`er nå ${TimerKindWords[ta.kind]} (før ${TimerKindWords[tb.kind]})`);
  if (was !== now) parts.push(`går nå ${now} (før: ${was})`);
  if (!same(tb.onExpiry, ta.onExpiry)) parts.push('det som skjer når den løper ut er endret');
  if (parts.length === 0) parts.push('tittelen er endret');
  return `I steget ${name}: ${label} ${list(parts)}.`;
}

function diffEvent(
  before: KommuneConfig,
  after: KommuneConfig,
  id: string,
  b: EventDef | undefined,
  a: EventDef | undefined,
  add: (c: ConfigChange) => void,
): void {
  const path = `/events/${escapePointerSegment(id)}`;
  if (!b) {
    const senders =
      a!.roles.length === 0
        ? 'sendes bare av systemet (tidtakere)'
        : `kan sendes av ${list(a!.roles.map((r) => roleName(after, r)))}`;
    add({
      kind: 'added',
      area: 'event',
      path,
      message: `Ny hendelse ${titled(a!.title, id)}; ${senders}.`,
    });
    return;
  }
  if (!a) {
    add({
      kind: 'removed',
      area: 'event',
      path,
      message: `Hendelsen ${titled(b.title, id)} er fjernet.`,
    });
    return;
  }
  const name = eventName(after, id);
  const event = (message: string, sub: string) =>
    add({
      kind: 'changed',
      area: 'event',
      path: path + sub,
      message: `Hendelsen ${name}: ${message}.`,
    });
  if (b.title !== a.title) event(`tittelen er endret fra «${b.title}»`, '/title');
  if (!same(b.description, a.description)) event('beskrivelsen er endret', '/description');
  roleChanges(before, after, b.roles, a.roles, `${path}/roles`, 'event', `sende ${name}`, add);
  if (!same(b.payload, a.payload)) event('skjemaet (hva som må fylles ut) er endret', '/payload');
  if (!same(b.requiresConsent, a.requiresConsent))
    event(
      `krever nå samtykke: ${list((a.requiresConsent ?? []).map((c) => `«${c}»`)) || 'ingen'}`,
      '/requiresConsent',
    );
}

function roleChanges(
  before: KommuneConfig,
  after: KommuneConfig,
  b: string[],
  a: string[],
  path: string,
  area: ChangeArea,
  what: string,
  add: (c: ConfigChange) => void,
): void {
  const gained = a.filter((r) => !b.includes(r));
  const lost = b.filter((r) => !a.includes(r));
  if (gained.length > 0)
    add({
      kind: 'changed',
      area,
      path,
      message: `${cap(list(gained.map((r) => roleName(after, r))))} kan nå ${what}.`,
    });
  if (lost.length > 0)
    add({
      kind: 'changed',
      area,
      path,
      message: `${cap(list(lost.map((r) => roleName(before, r))))} kan ikke lenger ${what}.`,
    });
}

function diffNamed<T extends { title?: string }>(
  area: ChangeArea,
  noun: string,
  newNoun: string,
  base: string,
  b: Record<string, T> | undefined,
  a: Record<string, T> | undefined,
  add: (c: ConfigChange) => void,
): void {
  diffRecord(b ?? {}, a ?? {}, (id, tb, ta) => {
    const path = `${base}/${escapePointerSegment(id)}`;
    if (!tb) add({ kind: 'added', area, path, message: `${newNoun} ${titled(ta!.title, id)}.` });
    else if (!ta)
      add({ kind: 'removed', area, path, message: `${noun} ${titled(tb.title, id)} er fjernet.` });
    else
      add({ kind: 'changed', area, path, message: `${noun} ${titled(ta.title, id)} er endret.` });
  });
}

/** Calls `visit` for every key that differs, in the newer config's order, then removed ones. */
function diffRecord<T>(
  b: Record<string, T>,
  a: Record<string, T>,
  visit: (id: string, before: T | undefined, after: T | undefined) => void,
): void {
  for (const id of unionKeys(a, b)) {
    const hasB = Object.prototype.hasOwnProperty.call(b, id);
    const hasA = Object.prototype.hasOwnProperty.call(a, id);
    if (hasB && hasA && same(b[id], a[id])) continue;
    visit(id, hasB ? b[id] : undefined, hasA ? a[id] : undefined);
  }
}

function byId(timers: TimerDef[]): Record<string, TimerDef> {
  return Object.fromEntries(timers.map((t) => [t.id, t]));
}

function unionKeys(first: object, second: object): string[] {
  return [...new Set([...Object.keys(first), ...Object.keys(second)])];
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Which cases a role sees, in the words of the diff (see RoleDef.sees and .family). */
function roleSight(role: RoleDef): string {
  if (role.family) return 'bare sin egen families saker';
  return role.sees === 'kommune'
    ? 'alle saker i kommunen'
    : 'bare saker den holder eller er i teamet til';
}
