import type { KommuneConfig } from '../config';
import { ConfigStoreError, ConfigStoreErrorCodes as Codes } from './config-store-error';
import { SqlStates, sqlState, type SqlDatabase, type SqlExecutor } from './sql-database';
import { validateDraft, type DraftValidator } from './validate-draft';

/** An immutable published version. */
export interface PublishedConfig {
  kommune: string;
  version: number;
  config: KommuneConfig;
  /** The token `sub` of whoever published it; `system` for the seed. */
  author: string;
  comment: string;
  publishedAt: string;
  /** The version the draft was based on; null for the seed. */
  basedOn: number | null;
  /** Set when a rollback published this earlier version again. */
  restoredFrom: number | null;
}

export type ConfigVersionSummary = Omit<PublishedConfig, 'config'>;

/** The kommune's one working draft: the text as written, possibly unfinished. */
export interface ConfigDraft {
  kommune: string;
  source: string;
  /** The published version it started from; publishing refuses if a newer one exists. */
  baseVersion: number;
  revision: number;
  updatedBy: string;
  updatedAt: string;
}

export const AuditActions = {
  seeded: 'seeded',
  draftSaved: 'draftSaved',
  draftDiscarded: 'draftDiscarded',
  published: 'published',
  rolledBack: 'rolledBack',
  caseMigrated: 'caseMigrated',
  caseMigrationRefused: 'caseMigrationRefused',
  caseloadLimitSet: 'caseloadLimitSet',
  caseloadLimitRemoved: 'caseloadLimitRemoved',
  staffContactSet: 'staffContactSet',
  staffContactRemoved: 'staffContactRemoved',
  /** An operator read payloads through the Temporal Web UI's codec endpoint. */
  payloadsDecoded: 'payloadsDecoded',
} as const;
export type AuditAction = (typeof AuditActions)[keyof typeof AuditActions];

export interface AuditEntryInput {
  kommune: string;
  actor: string;
  action: AuditAction;
  version?: number | null;
  caseId?: string | null;
  /** The why: a comment, a refusal reason. */
  reason?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEntry extends Required<Omit<AuditEntryInput, 'details'>> {
  id: number;
  at: string;
  details: Record<string, unknown>;
}

export interface SaveDraftInput {
  source: string;
  actor: string;
  /** The version the writer started from; default: the current draft's base, else the latest. */
  baseVersion?: number;
  /** The draft revision the writer last saw; a different one means someone else saved since. */
  expectedRevision?: number;
}

export interface PublishInput {
  actor: string;
  comment: string;
  /** Publish only if the draft is still at this revision (the one the owner reviewed). */
  expectedRevision?: number;
  /** How the draft is checked; by default `validateDraft` right here. */
  validate?: DraftValidator;
}

export interface RollbackInput {
  toVersion: number;
  actor: string;
  comment: string;
  /** How the earlier version is checked again; by default `validateDraft` right here. */
  validate?: DraftValidator;
}

interface VersionRow {
  kommune: string;
  version: number;
  config?: KommuneConfig;
  author: string;
  comment: string;
  published_at: Date | string;
  based_on: number | null;
  restored_from: number | null;
}

interface DraftRow {
  kommune: string;
  source: string;
  base_version: number;
  revision: number;
  updated_by: string;
  updated_at: Date | string;
}

interface AuditRow {
  id: number | string;
  kommune: string;
  at: Date | string;
  actor: string;
  action: AuditAction;
  version: number | null;
  case_id: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

const iso = (t: Date | string): string => new Date(t).toISOString();
const SUMMARY_COLUMNS = 'kommune, version, author, comment, published_at, based_on, restored_from';

/**
 * Kommune configs in a database: immutable numbered versions, one draft per kommune, and the
 * audit trail. The same queries run on PGlite and PostgreSQL. Every change and its audit entry
 * commit in one transaction, so the trail never misses or invents a change.
 *
 * @example
 * const store = await openConfigStore();
 * const { config, version } = (await store.latestPublished('oygarden'))!;
 */
export class ConfigStore {
  /**
   * Published versions never change, so each is read once per process; every case opened asks
   * for the latest, and handing out the same object lets callers cache what they derive from it
   * (so callers must treat it as read-only, as they already do with the loaded files).
   */
  private readonly versionCache = new Map<string, PublishedConfig>();

  constructor(private readonly db: SqlDatabase) {}

  /** Kommuner with at least one published version. */
  async kommuner(): Promise<string[]> {
    return (await this.db.query<{ id: string }>('SELECT id FROM kommuner ORDER BY id')).map(
      (r) => r.id,
    );
  }

  /** The version new cases start on; null when the kommune is unknown. */
  async latestPublished(kommune: string): Promise<PublishedConfig | null> {
    const rows = await this.db.query<{ latest_version: number }>(
      'SELECT latest_version FROM kommuner WHERE id = $1',
      [kommune],
    );
    return rows[0] ? this.published(kommune, rows[0].latest_version) : null;
  }

  async published(kommune: string, version: number): Promise<PublishedConfig | null> {
    const key = `${kommune}\n${version}`;
    const cached = this.versionCache.get(key);
    if (cached) return cached;
    const rows = await this.db.query<VersionRow>(
      'SELECT * FROM config_versions WHERE kommune = $1 AND version = $2',
      [kommune, version],
    );
    if (!rows[0]) return null;
    const found = toPublished(rows[0]);
    this.versionCache.set(key, found);
    return found;
  }

  /**
   * The version's config parsed afresh from the stored JSON, never the shared object
   * `published` hands out: for config references (runtime/config-references.ts), whose bytes
   * must be the stored ones in every process, whatever a caller did to its copy.
   */
  async storedConfig(kommune: string, version: number): Promise<KommuneConfig | null> {
    const rows = await this.db.query<Pick<VersionRow, 'config'>>(
      'SELECT config FROM config_versions WHERE kommune = $1 AND version = $2',
      [kommune, version],
    );
    return rows[0] ? (rows[0].config as KommuneConfig) : null;
  }

  /** Every published version, newest first, without the configs themselves. */
  async versions(kommune: string): Promise<ConfigVersionSummary[]> {
    const rows = await this.db.query<VersionRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM config_versions WHERE kommune = $1 ORDER BY version DESC`,
      [kommune],
    );
    return rows.map(toSummary);
  }

  async draft(kommune: string): Promise<ConfigDraft | null> {
    const rows = await this.db.query<DraftRow>('SELECT * FROM config_drafts WHERE kommune = $1', [
      kommune,
    ]);
    return rows[0] ? toDraft(rows[0]) : null;
  }

  /** Saves (or overwrites) the draft. It may be invalid: validity is checked on publish. */
  async saveDraft(kommune: string, input: SaveDraftInput): Promise<ConfigDraft> {
    return this.db.transaction(async (tx) => {
      const latest = await lockKommune(tx, kommune);
      const current = (
        await tx.query<DraftRow>('SELECT * FROM config_drafts WHERE kommune = $1 FOR UPDATE', [
          kommune,
        ])
      )[0];
      if (
        input.expectedRevision !== undefined &&
        input.expectedRevision !== (current?.revision ?? 0)
      ) {
        throw new ConfigStoreError(
          Codes.draftConflict,
          current
            ? `the draft was changed by ${current.updated_by} ${iso(current.updated_at)} (revision ${current.revision}, you saw revision ${input.expectedRevision}); read it again before saving`
            : 'the draft you changed is gone (published or discarded); read the latest again',
          current
            ? `Utkastet ble endret av ${current.updated_by} ${iso(current.updated_at)} (revisjon ${current.revision}, du så revisjon ${input.expectedRevision}). Hent utkastet på nytt før du lagrer.`
            : 'Utkastet du endret finnes ikke lenger (publisert eller forkastet). Hent siste versjon på nytt.',
        );
      }
      const base = input.baseVersion ?? current?.base_version ?? latest;
      if (!Number.isInteger(base) || base < 1 || base > latest) {
        throw new ConfigStoreError(
          Codes.versionNotFound,
          `version ${base} does not exist for ${kommune}; the latest published version is ${latest}`,
          `Versjon ${base} finnes ikke for ${kommune}; siste publiserte versjon er ${latest}.`,
        );
      }
      const [row] = await tx.query<DraftRow>(
        `INSERT INTO config_drafts (kommune, source, base_version, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kommune) DO UPDATE SET source = EXCLUDED.source, base_version = EXCLUDED.base_version,
           updated_by = EXCLUDED.updated_by, updated_at = now(), revision = config_drafts.revision + 1
         RETURNING *`,
        [kommune, input.source, base, input.actor],
      );
      await audit(tx, {
        kommune,
        actor: input.actor,
        action: AuditActions.draftSaved,
        version: base,
        details: { revision: row.revision },
      });
      return toDraft(row);
    });
  }

  async discardDraft(kommune: string, actor: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await lockKommune(tx, kommune);
      const gone = await tx.query<DraftRow>(
        'DELETE FROM config_drafts WHERE kommune = $1 RETURNING *',
        [kommune],
      );
      if (!gone[0]) throw noDraft(kommune);
      await audit(tx, {
        kommune,
        actor,
        action: AuditActions.draftDiscarded,
        version: gone[0].base_version,
        details: { revision: gone[0].revision },
      });
    });
  }

  /**
   * Publishes the draft as the next version and removes the draft. Refused while the draft is
   * invalid (CONFIG_INVALID with every error) or when a version was published after the one
   * the draft is based on (PUBLISH_CONFLICT): the owner must see that change before overriding it.
   */
  async publishDraft(kommune: string, input: PublishInput): Promise<PublishedConfig> {
    return this.db.transaction(async (tx) => {
      const latest = await lockKommune(tx, kommune);
      const draft = (
        await tx.query<DraftRow>('SELECT * FROM config_drafts WHERE kommune = $1 FOR UPDATE', [
          kommune,
        ])
      )[0];
      if (!draft) throw noDraft(kommune);
      if (input.expectedRevision !== undefined && input.expectedRevision !== draft.revision) {
        throw new ConfigStoreError(
          Codes.draftConflict,
          `the draft was changed by ${draft.updated_by} after you read it (revision ${draft.revision}, you saw revision ${input.expectedRevision}); review the changes before publishing`,
          `Utkastet ble endret av ${draft.updated_by} etter at du så det (revisjon ${draft.revision}, du så revisjon ${input.expectedRevision}). Se gjennom endringene før du publiserer.`,
        );
      }
      if (draft.base_version !== latest) {
        const newer = (
          await tx.query<VersionRow>(
            `SELECT ${SUMMARY_COLUMNS} FROM config_versions WHERE kommune = $1 AND version > $2 ORDER BY version`,
            [kommune, draft.base_version],
          )
        ).map((r) => `versjon ${r.version} (${r.author}, ${iso(r.published_at)})`);
        throw new ConfigStoreError(
          Codes.publishConflict,
          `the draft is based on version ${draft.base_version}, but ${newer.join(', ').replaceAll('versjon', 'version')} has been published since; compare with version ${latest}, update the draft and save it on version ${latest} before publishing`,
          `Utkastet bygger på versjon ${draft.base_version}, men ${newer.join(', ')} er publisert siden. Se forskjellene mot versjon ${latest}, oppdater utkastet og lagre det med grunnlag ${latest} før du publiserer.`,
        );
      }
      const checked = await (input.validate ?? validateDraft)(kommune, draft.source);
      if (!checked.ok) {
        throw new ConfigStoreError(
          Codes.draftInvalid,
          `the draft has ${checked.errors.length} errors and cannot be published`,
          `Utkastet har ${checked.errors.length} feil og kan ikke publiseres.`,
          checked.errors,
        );
      }
      const published = await insertVersion(
        tx,
        kommune,
        latest + 1,
        checked.config,
        input.actor,
        input.comment,
        draft.base_version,
        null,
      );
      await tx.query('DELETE FROM config_drafts WHERE kommune = $1', [kommune]);
      await audit(tx, {
        kommune,
        actor: input.actor,
        action: AuditActions.published,
        version: published.version,
        reason: input.comment,
        details: { basedOn: draft.base_version, draftRevision: draft.revision },
      });
      return published;
    });
  }

  /**
   * Publishes an earlier version again as a new version: history is never rewritten, and cases
   * started on the versions in between keep them. The earlier config is checked again, since
   * today's rules may refuse what yesterday's allowed.
   */
  async rollback(kommune: string, input: RollbackInput): Promise<PublishedConfig> {
    return this.db.transaction(async (tx) => {
      const latest = await lockKommune(tx, kommune);
      const earlier = (
        await tx.query<VersionRow>(
          'SELECT * FROM config_versions WHERE kommune = $1 AND version = $2',
          [kommune, input.toVersion],
        )
      )[0];
      if (!earlier) {
        throw new ConfigStoreError(
          Codes.versionNotFound,
          `version ${input.toVersion} does not exist for ${kommune}; the latest published version is ${latest}`,
          `Versjon ${input.toVersion} finnes ikke for ${kommune}; siste publiserte versjon er ${latest}.`,
        );
      }
      const checked = await (input.validate ?? validateDraft)(
        kommune,
        JSON.stringify(earlier.config),
      );
      if (!checked.ok) {
        throw new ConfigStoreError(
          Codes.draftInvalid,
          `version ${input.toVersion} fails today's checks (${checked.errors.length} errors) and cannot be published again`,
          `Versjon ${input.toVersion} består ikke dagens kontroller (${checked.errors.length} feil) og kan ikke publiseres igjen.`,
          checked.errors,
        );
      }
      const published = await insertVersion(
        tx,
        kommune,
        latest + 1,
        checked.config,
        input.actor,
        input.comment,
        latest,
        input.toVersion,
      );
      await audit(tx, {
        kommune,
        actor: input.actor,
        action: AuditActions.rolledBack,
        version: published.version,
        reason: input.comment,
        details: { restoredFrom: input.toVersion, replaced: latest },
      });
      return published;
    });
  }

  async recordAudit(entry: AuditEntryInput): Promise<void> {
    await audit(this.db, entry);
  }

  /** The audit trail, newest first; page backwards with `beforeId`. */
  async auditTrail(
    kommune: string,
    options: { limit?: number; beforeId?: number } = {},
  ): Promise<AuditEntry[]> {
    const rows = await this.db.query<AuditRow>(
      `SELECT * FROM config_audit WHERE kommune = $1 AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $3`,
      [kommune, options.beforeId ?? null, options.limit ?? 100],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      kommune: r.kommune,
      at: iso(r.at),
      actor: r.actor,
      action: r.action,
      version: r.version,
      caseId: r.case_id,
      reason: r.reason,
      details: r.details,
    }));
  }

  /**
   * Publishes each given config as version 1 (author `system`, comment "seed") for every kommune
   * the store does not know yet. Kommuner already in the store are left alone: after the first
   * start the store, not the files, is the truth. Returns the kommuner seeded now.
   */
  async seed(configs: Iterable<KommuneConfig>): Promise<string[]> {
    const seeded: string[] = [];
    for (const config of configs) {
      const done = await this.db.transaction(async (tx) => {
        const inserted = await tx.query(
          'INSERT INTO kommuner (id, latest_version) VALUES ($1, 1) ON CONFLICT (id) DO NOTHING RETURNING id',
          [config.id],
        );
        if (inserted.length === 0) return false;
        await insertVersion(tx, config.id, 1, config, 'system', 'seed', null, null);
        await audit(tx, {
          kommune: config.id,
          actor: 'system',
          action: AuditActions.seeded,
          version: 1,
          reason: 'seed',
        });
        return true;
      });
      if (done) seeded.push(config.id);
    }
    return seeded;
  }
}

/** Locks the kommune's row for this transaction and returns its latest version. */
async function lockKommune(tx: SqlExecutor, kommune: string): Promise<number> {
  const rows = await tx.query<{ latest_version: number }>(
    'SELECT latest_version FROM kommuner WHERE id = $1 FOR UPDATE',
    [kommune],
  );
  if (!rows[0])
    throw new ConfigStoreError(
      Codes.kommuneNotFound,
      `no kommune "${kommune}"`,
      `Kommunen ${kommune} finnes ikke.`,
    );
  return rows[0].latest_version;
}

async function insertVersion(
  tx: SqlExecutor,
  kommune: string,
  version: number,
  config: KommuneConfig,
  author: string,
  comment: string,
  basedOn: number | null,
  restoredFrom: number | null,
): Promise<PublishedConfig> {
  try {
    const [row] = await tx.query<VersionRow>(
      `INSERT INTO config_versions (kommune, version, config, author, comment, based_on, restored_from)
       VALUES ($1, $2, $3::json, $4, $5, $6, $7) RETURNING *`,
      [kommune, version, JSON.stringify(config), author, comment, basedOn, restoredFrom],
    );
    await tx.query('UPDATE kommuner SET latest_version = $2 WHERE id = $1', [kommune, version]);
    return toPublished(row);
  } catch (error) {
    // Only reachable if the row lock was bypassed (a second writer outside this store).
    if (sqlState(error) === SqlStates.uniqueViolation) {
      throw new ConfigStoreError(
        Codes.publishConflict,
        `version ${version} was published at the same time by someone else; try again`,
        `Versjon ${version} ble publisert samtidig av noen andre. Prøv igjen.`,
      );
    }
    throw error;
  }
}

async function audit(q: SqlExecutor, e: AuditEntryInput): Promise<void> {
  await q.query(
    `INSERT INTO config_audit (kommune, actor, action, version, case_id, reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      e.kommune,
      e.actor,
      e.action,
      e.version ?? null,
      e.caseId ?? null,
      e.reason ?? null,
      JSON.stringify(e.details ?? {}),
    ],
  );
}

function noDraft(kommune: string): ConfigStoreError {
  return new ConfigStoreError(
    Codes.draftNotFound,
    `kommune "${kommune}" has no draft`,
    `Det finnes ikke noe utkast for ${kommune}.`,
  );
}

function toSummary(r: VersionRow): ConfigVersionSummary {
  return {
    kommune: r.kommune,
    version: r.version,
    author: r.author,
    comment: r.comment,
    publishedAt: iso(r.published_at),
    basedOn: r.based_on,
    restoredFrom: r.restored_from,
  };
}

function toPublished(r: VersionRow): PublishedConfig {
  return { ...toSummary(r), config: r.config as KommuneConfig };
}

function toDraft(r: DraftRow): ConfigDraft {
  return {
    kommune: r.kommune,
    source: r.source,
    baseVersion: r.base_version,
    revision: r.revision,
    updatedBy: r.updated_by,
    updatedAt: iso(r.updated_at),
  };
}
