/**
 * The staff directory: how each staff member is reached (display name, e-mail, mobile,
 * preferred channel), keyed by kommune and the token's opaque user id. Personal data, so the
 * details are sealed with the data key; only kommune, user id and role are in clear (the role
 * lets a message to a role no one on the case holds find its people). Every change is audited.
 *
 * @module
 */
import type { ContactChannel } from '../machines/contact';
import { openJson, sealJson, type Sealer } from '../runtime/key-ring';
import { AuditActions } from './config-store';
import { removePersonRow, upsertPersonRow } from './person-rows';
import type { SqlDatabase } from './sql-database';

/** At most this many people in one kommune's directory. */
export const MAX_STAFF_PER_KOMMUNE = 5000;
export const DISPLAY_NAME_MAX_LENGTH = 100;

export interface StaffEntry {
  personId: string;
  /** The role messages to it reach them by when they are not on the case (`leder`). */
  role?: string;
  displayName: string;
  email?: string;
  mobile?: string;
  preferredChannel?: ContactChannel;
  setBy: string;
  setAt: string;
}

export type StaffEntryInput = Omit<StaffEntry, 'setBy' | 'setAt'>;

/** What the sealed column holds: the details and whose they are, so a moved row is caught. */
interface SealedContact {
  kommune: string;
  personId: string;
  displayName: string;
  email?: string;
  mobile?: string;
  preferredChannel?: ContactChannel;
}

interface Row {
  person_id: string;
  role: string | null;
  contact: Uint8Array;
  set_by: string;
  set_at: string | Date;
}

export class StaffDirectory {
  constructor(
    private readonly db: SqlDatabase,
    private readonly sealer: Sealer,
  ) {}

  private toEntry(kommune: string, r: Row): StaffEntry {
    const c = openJson<SealedContact>(this.sealer, r.contact);
    if (c.kommune !== kommune || c.personId !== r.person_id)
      throw new Error(`staff directory row ${r.person_id} holds another person's details`);
    return {
      personId: r.person_id,
      ...(r.role && { role: r.role }),
      displayName: c.displayName,
      ...(c.email && { email: c.email }),
      ...(c.mobile && { mobile: c.mobile }),
      ...(c.preferredChannel && { preferredChannel: c.preferredChannel }),
      setBy: r.set_by,
      setAt: new Date(r.set_at).toISOString(),
    };
  }

  async get(kommune: string, personId: string): Promise<StaffEntry | null> {
    const rows = await this.db.query<Row>(
      'SELECT person_id, role, contact, set_by, set_at FROM staff_directory WHERE kommune = $1 AND person_id = $2',
      [kommune, personId],
    );
    return rows[0] ? this.toEntry(kommune, rows[0]) : null;
  }

  /** Everyone listed with `role` in the kommune (bounded by the directory's size). */
  async withRole(kommune: string, role: string): Promise<StaffEntry[]> {
    const rows = await this.db.query<Row>(
      'SELECT person_id, role, contact, set_by, set_at FROM staff_directory WHERE kommune = $1 AND role = $2 ORDER BY person_id LIMIT $3',
      [kommune, role, MAX_STAFF_PER_KOMMUNE],
    );
    return rows.map((r) => this.toEntry(kommune, r));
  }

  /** Everyone's display name with their id, in name order (bounded by the directory's size). */
  async names(kommune: string): Promise<Array<{ personId: string; displayName: string }>> {
    const rows = await this.db.query<Row>(
      'SELECT person_id, role, contact, set_by, set_at FROM staff_directory WHERE kommune = $1 ORDER BY person_id LIMIT $2',
      [kommune, MAX_STAFF_PER_KOMMUNE],
    );
    return rows
      .map((r) => this.toEntry(kommune, r))
      .map((e) => ({ personId: e.personId, displayName: e.displayName }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'nb'));
  }

  /**
   * Sets (or replaces) a person's entry. Returns null when the kommune's directory is full and
   * this person is not in it.
   */
  async put(
    input: StaffEntryInput & { kommune: string; actor: string },
  ): Promise<StaffEntry | null> {
    const sealed: SealedContact = {
      kommune: input.kommune,
      personId: input.personId,
      displayName: input.displayName,
      ...(input.email && { email: input.email }),
      ...(input.mobile && { mobile: input.mobile }),
      ...(input.preferredChannel && { preferredChannel: input.preferredChannel }),
    };
    // The audit names whose entry changed, never the details.
    return upsertPersonRow(
      this.db,
      {
        table: 'staff_directory',
        ...input,
        max: MAX_STAFF_PER_KOMMUNE,
        action: AuditActions.staffContactSet,
        details: { personId: input.personId },
      },
      async (tx) => {
        const [row] = await tx.query<Row>(
          `INSERT INTO staff_directory (kommune, person_id, role, contact, set_by)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (kommune, person_id)
           DO UPDATE SET role = EXCLUDED.role, contact = EXCLUDED.contact, set_by = EXCLUDED.set_by, set_at = now()
           RETURNING person_id, role, contact, set_by, set_at`,
          [
            input.kommune,
            input.personId,
            input.role ?? null,
            sealJson(this.sealer, sealed),
            input.actor,
          ],
        );
        return this.toEntry(input.kommune, row!);
      },
    );
  }

  /** Removes a person's entry; false when there was none. */
  async remove(input: { kommune: string; personId: string; actor: string }): Promise<boolean> {
    return removePersonRow(
      this.db,
      { table: 'staff_directory', ...input },
      AuditActions.staffContactRemoved,
    );
  }
}
