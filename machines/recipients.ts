/**
 * Who a message goes to, resolved from the case when the message is made: the people who hold
 * the addressed role on the case. Contact details of family members come along from the case
 * (encrypted like every payload); staff are looked up in the staff directory at delivery.
 *
 * @module
 */
import type { KommuneConfig } from '../config/types';
import type { ContactDetails } from './contact';
import type { CaseState } from './types';

/** One person a message is for. */
export interface Recipient {
  /** `family`: a family member on the case (contact from the case); `staff`: from the directory. */
  kind: 'family' | 'staff';
  /** The person's opaque user id. */
  id: string;
  /** Their role in the kommune, as the config names it. */
  role: string;
  /** A family member's details as entered on the case; staff's are read at delivery. */
  contact?: ContactDetails;
}

/**
 * The recipients of a message to `to`: `holder` the case's holder; `family` every family member
 * on the team; a role the holder and team members with that role. A role no one on the case holds
 * (a leader) resolves to no one here: delivery then looks the role up in the staff directory.
 *
 * @example
 * recipientsFor(state, config, 'family') // [{ kind: 'family', id: 'p-1', role: …, contact: {…} }]
 */
export function recipientsFor(s: CaseState, config: KommuneConfig, to: string): Recipient[] {
  const isFamily = (role: string | undefined) => !!role && config.roles[role]?.family === true;
  const out: Recipient[] = [];
  const seen = new Set<string>();
  const add = (r: Recipient) => {
    if (seen.has(r.id)) return;
    seen.add(r.id);
    out.push(r);
  };
  if ((to === 'holder' || s.holder?.role === to) && s.holder)
    add({ kind: 'staff', id: s.holder.id, role: s.holder.role });
  if (to === 'holder') return out;
  for (const m of s.team) {
    if (!m.role || (to === 'family' ? !isFamily(m.role) : m.role !== to)) continue;
    add(
      isFamily(m.role)
        ? { kind: 'family', id: m.id, role: m.role, ...(m.contact && { contact: m.contact }) }
        : { kind: 'staff', id: m.id, role: m.role },
    );
  }
  return out;
}
