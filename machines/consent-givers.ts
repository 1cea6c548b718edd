/**
 * Who gives a consent, and how it is recorded. A family role that says which kind of giver its
 * people are (`consentsAs`) gives consent as that kind, from the token's role: a form field
 * cannot claim otherwise. Staff recording a consent given on paper or orally say in the form
 * who gave it, and the record says staff recorded it (their role and relation to the case,
 * never who they are). A consent type every giver must give (`requires: "all"`) keeps each
 * one's consent and holds only while each one's does.
 *
 * @module
 */
import type { ConsentGiver, ConsentTypeDef, Effect, KommuneConfig } from '../config/types';
import { actorFacts } from './case-actors';
import { consentTitles } from './consents';
import { addDuration } from './durations';
import {
  SYSTEM_ROLE,
  type Actor,
  type CaseState,
  type Consent,
  type ConsentGiving,
  type Rejection,
} from './types';

type GiveConsent = Extract<Effect, { type: 'giveConsent' }>;
type WithdrawConsent = Extract<Effect, { type: 'withdrawConsent' }>;

/** Samtykkealder: from 15 a young person may consent to help from the services themselves. */
export const DEFAULT_YOUTH_MIN_AGE = 15;

const GIVER_NB: Record<ConsentGiver, string> = { parent: 'forelder', youth: 'ungdommen' };

/**
 * The giver kind of `actor`'s role when it is a family role that names one (`consentsAs`).
 *
 * @example
 * familyGiver(config, { id: 'f-1', role: 'forelder' }) // 'parent'
 */
export function familyGiver(config: KommuneConfig, actor?: Actor): ConsentGiver | undefined {
  if (!actor || !Object.hasOwn(config.roles, actor.role)) return undefined;
  const role = config.roles[actor.role];
  return role.family === true ? role.consentsAs : undefined;
}

/** The giver a `giveConsent` records: the family role's kind, else the form's word. */
function giverOf(
  config: KommuneConfig,
  effect: GiveConsent,
  payload: Record<string, unknown>,
  actor?: Actor,
): unknown {
  const claimed = effect.givenByField === undefined ? undefined : payload[effect.givenByField];
  return familyGiver(config, actor) ?? claimed;
}

/**
 * Refuses a consent its type does not let this giver give: a giver not in `givenBy`, a form
 * that names another giver than the family role sending it, or the young person below
 * `youthMinAge` by the case's age field. Checked before any effect runs.
 */
export function checkConsentGivers(
  config: KommuneConfig,
  effects: readonly Effect[] | undefined,
  payload: Record<string, unknown>,
  data: Record<string, unknown>,
  actor?: Actor,
): Rejection | null {
  for (const effect of effects ?? []) {
    if (effect.type !== 'giveConsent') continue;
    const def = config.consentTypes?.[effect.consent];
    const allowed: readonly string[] = def?.givenBy ?? [];
    const title = consentTitles(config, [effect.consent]);
    const asRole = familyGiver(config, actor);
    const claimed = effect.givenByField === undefined ? undefined : payload[effect.givenByField];
    // Point at the form's field when the form said who gave it; a token's giver is no field.
    const at =
      effect.givenByField !== undefined && (asRole === undefined || claimed !== undefined)
        ? `/${effect.givenByField}`
        : '';
    if (asRole !== undefined && claimed !== undefined && claimed !== asRole) {
      // A parent's token cannot record the young person's consent, nor the other way round.
      return refuse(
        `consent "${title}" cannot be recorded`,
        `Samtykket «${title}» kan ikke registreres`,
        at,
        `you give consent as ${asRole}; the form says ${String(claimed)}`,
        `du gir samtykke som ${GIVER_NB[asRole]}; skjemaet sier noe annet`,
      );
    }
    const givenBy = asRole ?? claimed;
    if (typeof givenBy !== 'string' || !allowed.includes(givenBy)) {
      return refuse(
        `consent "${title}" cannot be recorded`,
        `Samtykket «${title}» kan ikke registreres`,
        at,
        asRole !== undefined
          ? `it may be given by: ${allowed.join(', ')}; not by the ${asRole === 'youth' ? 'young person' : 'parent'}`
          : `must be one of: ${allowed.join(', ')}`,
        `samtykket kan gis av: ${allowed.map((g) => GIVER_NB[g as ConsentGiver] ?? g).join(', ')}`,
      );
    }
    // A version from before `ageField` (validation now requires it) keeps its own gate rules, so
    // running cases replay as they ran.
    if (givenBy !== 'youth' || def?.ageField === undefined) continue;
    const minAge = def.youthMinAge ?? DEFAULT_YOUTH_MIN_AGE;
    const age = data[def.ageField];
    if (typeof age !== 'number' || age < minAge) {
      return refuse(
        `consent "${title}" cannot be given by the young person`,
        `Ungdommen kan ikke selv gi samtykket «${title}»`,
        at,
        `the young person may consent from age ${minAge}; ${typeof age === 'number' ? `the case records age ${age}` : 'the case records no age'}`,
        `ungdommen kan samtykke selv fra ${minAge} år; ${typeof age === 'number' ? `saken har registrert alder ${age}` : 'saken har ingen registrert alder'}`,
      );
    }
  }
  return null;
}

function refuse(
  message: string,
  nb: string,
  path: string,
  detail: string,
  detailNb: string,
): Rejection {
  return {
    code: 'PAYLOAD_INVALID',
    message,
    nb: `${nb}: ${detailNb}.`,
    details: [
      { path, message: detail, nb: `${detailNb.charAt(0).toUpperCase()}${detailNb.slice(1)}.` },
    ],
  };
}

/** How the consent came in: from the family themselves, or recorded by staff (and by whom, as a relation). */
function howGiven(
  config: KommuneConfig,
  state: CaseState,
  actor?: Actor,
): Pick<ConsentGiving, 'via' | 'recordedBy'> {
  if (!actor || actor.role === SYSTEM_ROLE || !Object.hasOwn(config.roles, actor.role)) return {};
  if (config.roles[actor.role].family === true) return { via: 'family' };
  const facts = actorFacts(state, actor);
  const relation = facts.isHolder ? 'holder' : facts.onTeam ? 'team' : 'role';
  return { via: 'staff', recordedBy: { role: actor.role, relation } };
}

/**
 * The case with the consent recorded (checked before by `checkConsentGivers`); unchanged when
 * no giver can be told.
 */
export function giveConsent(
  config: KommuneConfig,
  state: CaseState,
  effect: GiveConsent,
  payload: Record<string, unknown>,
  now: string,
  actor?: Actor,
): CaseState {
  const givenBy = giverOf(config, effect, payload, actor);
  if (givenBy !== 'parent' && givenBy !== 'youth') return state;
  const def = config.consentTypes?.[effect.consent];
  const giving: ConsentGiving = { givenAt: now, ...howGiven(config, state, actor) };
  if (def?.validFor) giving.expiresAt = addDuration(now, def.validFor);
  const consent: Consent =
    def?.requires === 'all'
      ? summarize(def, givenBy, { ...state.consents[effect.consent]?.givers, [givenBy]: giving })
      : { givenBy, ...giving };
  return { ...state, consents: { ...state.consents, [effect.consent]: consent } };
}

/**
 * The case with the consent withdrawn. Where every giver must consent, a family member
 * withdraws their own consent (which is enough to lose it); staff withdraw every giver's.
 */
export function withdrawConsent(
  config: KommuneConfig,
  state: CaseState,
  effect: WithdrawConsent,
  now: string,
  actor?: Actor,
): CaseState {
  const current = state.consents[effect.consent];
  if (!current) return state;
  const def = config.consentTypes?.[effect.consent];
  let consent: Consent;
  if (current.givers === undefined || def === undefined) {
    if (current.withdrawnAt !== undefined) return state;
    consent = { ...current, withdrawnAt: now };
  } else {
    const own = familyGiver(config, actor);
    const givers: Partial<Record<ConsentGiver, ConsentGiving>> = {};
    for (const [kind, giving] of Object.entries(current.givers) as Array<
      [ConsentGiver, ConsentGiving]
    >) {
      givers[kind] =
        (own === undefined || own === kind) && giving.withdrawnAt === undefined
          ? { ...giving, withdrawnAt: now }
          : giving;
    }
    consent = summarize(def, current.givenBy, givers);
  }
  return { ...state, consents: { ...state.consents, [effect.consent]: consent } };
}

/**
 * One record for a consent every giver must give: the latest giving on top, the first lapse
 * and the first withdrawal among the givers, and who is still awaited.
 */
function summarize(
  def: ConsentTypeDef,
  latest: ConsentGiver,
  givers: Partial<Record<ConsentGiver, ConsentGiving>>,
): Consent {
  const top = givers[latest]!;
  const consent: Consent = { givenBy: latest, givenAt: top.givenAt, givers };
  if (top.via !== undefined) consent.via = top.via;
  if (top.recordedBy !== undefined) consent.recordedBy = top.recordedBy;
  const present = def.givenBy.flatMap((g) => (givers[g] ? [givers[g]] : []));
  const first = (times: Array<string | undefined>): string | undefined =>
    times
      .filter((t): t is string => t !== undefined)
      .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  const expiresAt = first(present.map((g) => g.expiresAt));
  const withdrawnAt = first(present.map((g) => g.withdrawnAt));
  if (expiresAt !== undefined) consent.expiresAt = expiresAt;
  if (withdrawnAt !== undefined) consent.withdrawnAt = withdrawnAt;
  const awaiting = def.givenBy.filter((g) => givers[g] === undefined);
  if (awaiting.length > 0) consent.awaiting = awaiting;
  return consent;
}
