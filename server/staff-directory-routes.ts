/**
 * The staff directory (`/kommuner/{kommune}/staff-directory/{personId}`): how a staff member is
 * reached by the messages cases send them (display name, e-mail, mobile, preferred channel, and
 * the role a message to a role no one on the case holds finds them by). Leaders (roles that see
 * every case of the kommune) read, set and remove entries; each change is audited, the details
 * are sealed in the store.
 *
 * @module
 */
import { z } from 'zod';
import {
  ContactChannels,
  EMAIL_MAX_LENGTH,
  EMAIL_PATTERN,
  MOBILE_PATTERN,
} from '../machines/contact';
import {
  DISPLAY_NAME_MAX_LENGTH,
  MAX_STAFF_PER_KOMMUNE,
  type StaffDirectory,
} from '../store/staff-directory';
import { pseudonym } from '../machines/pseudonym';
import type { AccessPolicy } from './access-policy';
import { ApiError } from './api-error';
import { KommuneParams, NoQuery, PersonParams } from './api-schemas';
import type { Principal } from './authenticate';
import { personRemovalRoute, requireLeader } from './leader-routes';
import { defineRoute, type RouteDef } from './route-definition';

const path = '/kommuner/:kommune/staff-directory/:personId';
const EntryBody = z
  .strictObject({
    role: z
      .string()
      .max(64)
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/)
      .optional(),
    displayName: z
      .string()
      .min(1)
      .max(DISPLAY_NAME_MAX_LENGTH)
      // A check, not a pattern: the OpenAPI document keeps to patterns every tool reads.
      .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), 'no control or format characters'),
    email: z.string().max(EMAIL_MAX_LENGTH).regex(EMAIL_PATTERN).optional(),
    mobile: z.string().regex(MOBILE_PATTERN).optional(),
    preferredChannel: z.enum(ContactChannels).optional(),
  })
  .refine((b) => b.email || b.mobile, { message: 'give an e-mail address or a mobile number' });
const Entry = z.object({
  personId: z.string(),
  role: z.string().optional(),
  displayName: z.string(),
  email: z.string().optional(),
  mobile: z.string().optional(),
  preferredChannel: z.enum(ContactChannels).optional(),
  setBy: z.string(),
  setAt: z.string(),
});

const StaffNames = z.object({
  staff: z.array(
    z.object({
      personId: z.string(),
      displayName: z.string(),
      pseudonym: z
        .string()
        .describe("The keyed hash a case list item's holderPseudonym has for this person"),
    }),
  ),
});

export function staffDirectoryRoutes(
  access: AccessPolicy,
  directory: StaffDirectory,
  pseudonymKey: Uint8Array,
): RouteDef[] {
  const leader = (principal: Principal, kommune: string) =>
    requireLeader(access, principal, kommune, {
      en: 'read or change the staff directory',
      nb: 'se eller endre kontaktlisten for ansatte',
    });
  return [
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/staff-names',
      operationId: 'listStaffNames',
      summary:
        "Staff members' display names with their ids and pseudonyms, in name order, for picking and naming holders in the case list (leaders)",
      params: KommuneParams,
      query: NoQuery,
      success: { status: 200, schema: StaffNames },
      errors: [],
      handler: async ({ params, principal }) => {
        await requireLeader(access, principal, params.kommune, {
          en: 'read the names in the staff directory',
          nb: 'se navnene i kontaktlisten for ansatte',
        });
        // With the pseudonym, a leader's list names each case's holder without visibility ever
        // holding a name or an id.
        const names = await directory.names(params.kommune);
        return {
          staff: names.map((n) => ({ ...n, pseudonym: pseudonym(pseudonymKey, n.personId) })),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path,
      operationId: 'getStaffContact',
      summary: "One staff member's contact details for messages (leaders)",
      params: PersonParams,
      query: NoQuery,
      success: { status: 200, schema: Entry },
      errors: [404],
      handler: async ({ params, principal }) => {
        await leader(principal, params.kommune);
        const entry = await directory.get(params.kommune, params.personId);
        if (!entry)
          throw new ApiError(
            'STAFF_ENTRY_NOT_FOUND',
            'the person has no entry in the staff directory',
            'Personen står ikke i kommunens kontaktliste for ansatte.',
          );
        return entry;
      },
    }),
    defineRoute({
      method: 'put',
      path,
      operationId: 'setStaffContact',
      summary: "Set one staff member's contact details for messages (leaders)",
      description: `E-mail, mobile or both; messages go to the preferred channel, else e-mail, else SMS. At most ${MAX_STAFF_PER_KOMMUNE} people per kommune.`,
      params: PersonParams,
      query: NoQuery,
      body: EntryBody,
      success: { status: 200, schema: Entry },
      errors: [404, 422],
      handler: async ({ params, body, principal }) => {
        await leader(principal, params.kommune);
        const set = await directory.put({
          ...body,
          kommune: params.kommune,
          personId: params.personId,
          actor: principal.sub,
        });
        if (!set) {
          throw new ApiError(
            'STAFF_DIRECTORY_FULL',
            `kommune "${params.kommune}" already has ${MAX_STAFF_PER_KOMMUNE} people in its staff directory; remove one first`,
            `Kontaktlisten har allerede ${MAX_STAFF_PER_KOMMUNE} personer. Fjern én først.`,
          );
        }
        return set;
      },
    }),
    personRemovalRoute({
      path,
      operationId: 'removeStaffContact',
      summary: "Remove one staff member's contact details (leaders)",
      leader,
      remove: (input) => directory.remove(input),
    }),
  ];
}
