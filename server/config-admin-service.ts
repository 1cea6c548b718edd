/**
 * The process owner's operations on a kommune's config, protocol-free: each takes the caller's
 * principal and plain input, checks the role and kommune, uses the config store (and Temporal
 * for running cases), and returns API shapes or throws `ApiError`.
 *
 * @module
 */
import { tooDeepAt, tooDeepError, type ConfigError, type KommuneConfig } from '../config';
import {
  ConfigStoreError,
  diffConfigs,
  type ConfigStore,
  type DraftValidator,
  type PublishedConfig,
} from '../store';
import type { AccessPolicy } from './access-policy';
import { ApiError } from './api-error';
import type { Principal } from './authenticate';
import type { TemporalDeps } from './case-service';
import { migrateCases, type MigrateCasesInput } from './case-migration';
import { previewImpact } from './config-impact';
import { PROCESS_OWNER_ROLE, kommuneHidden, requireProcessOwner } from './process-owner-access';
import { toStatechart } from './statechart';

export interface ConfigAdminDeps extends TemporalDeps {
  store: ConfigStore;
  /** The case roles' access rules, for the one read they share with process owners. */
  access: AccessPolicy;
  /** Validates draft text off the event loop (the CPU pool): its cost is the author's to choose. */
  validateDraft: DraftValidator;
}

/** Text or object: the owner pastes text, a client may send the object. */
export interface DraftSourceInput {
  text?: string;
  config?: Record<string, unknown>;
}

export type ConfigAdminService = ReturnType<typeof createConfigAdminService>;

export function createConfigAdminService(deps: ConfigAdminDeps) {
  const { store, validateDraft } = deps;
  const exists = async (kommune: string) => (await store.latestPublished(kommune)) !== null;
  const owner = (principal: Principal, kommune: string) =>
    requireProcessOwner(principal, kommune, exists);
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw err instanceof ConfigStoreError ? fromStoreError(err) : err;
    }
  };

  async function latest(kommune: string): Promise<PublishedConfig> {
    const found = await store.latestPublished(kommune);
    if (!found) throw kommuneHidden(kommune);
    return found;
  }

  async function version(kommune: string, v: number): Promise<PublishedConfig> {
    const found = await store.published(kommune, v);
    if (!found)
      throw new ApiError(
        'CONFIG_VERSION_NOT_FOUND',
        `kommune "${kommune}" has no config version ${v}`,
        `${kommune} har ingen versjon ${v} av slusemodellen.`,
      );
    return found;
  }

  async function savedDraft(kommune: string) {
    const draft = await store.draft(kommune);
    if (!draft)
      throw new ApiError(
        'DRAFT_NOT_FOUND',
        `kommune "${kommune}" has no draft`,
        `Det finnes ikke noe utkast for ${kommune}.`,
      );
    return draft;
  }

  /** The draft as a valid config, or 422 with every error. */
  async function validDraftConfig(kommune: string): Promise<KommuneConfig> {
    const checked = await validateDraft(kommune, (await savedDraft(kommune)).source);
    if (!checked.ok)
      throw invalid(
        `the draft has ${checked.errors.length} error(s)`,
        `Utkastet har ${checked.errors.length} feil.`,
        checked.errors,
      );
    return checked.config;
  }

  async function draftView(kommune: string) {
    const draft = await savedDraft(kommune);
    const checked = await validateDraft(kommune, draft.source);
    const { version: latestVersion } = await latest(kommune);
    return {
      kommune,
      text: draft.source,
      baseVersion: draft.baseVersion,
      latestVersion,
      revision: draft.revision,
      updatedBy: draft.updatedBy,
      updatedAt: draft.updatedAt,
      valid: checked.ok,
      errors: checked.ok ? [] : checked.errors,
    };
  }

  return {
    /**
     * The version new cases start on, or version `v`. Case roles read published versions too:
     * the case page draws the version its case runs on.
     */
    async published(principal: Principal, kommune: string, v?: number) {
      if (principal.kommune !== kommune) throw kommuneHidden(kommune);
      if (principal.role !== PROCESS_OWNER_ROLE) {
        const access = await deps.access(principal, kommune, 'kommune');
        return version(kommune, v ?? access.version);
      }
      await owner(principal, kommune);
      return v === undefined ? latest(kommune) : version(kommune, v);
    },

    async version(principal: Principal, kommune: string, v: number) {
      await owner(principal, kommune);
      return version(kommune, v);
    },

    async versions(principal: Principal, kommune: string) {
      await owner(principal, kommune);
      return { versions: await store.versions(kommune) };
    },

    draft: async (principal: Principal, kommune: string) => {
      await owner(principal, kommune);
      return draftView(kommune);
    },

    async saveDraft(
      principal: Principal,
      kommune: string,
      input: DraftSourceInput & { baseVersion?: number; expectedRevision?: number },
    ) {
      await owner(principal, kommune);
      const source = sourceText(input);
      if (typeof source !== 'string')
        throw invalid(
          'the draft is nested too deep to be saved',
          'Utkastet er for dypt nøstet til å lagres.',
          [source],
        );
      await guard(() =>
        store.saveDraft(kommune, {
          source,
          actor: principal.sub,
          baseVersion: input.baseVersion,
          expectedRevision: input.expectedRevision,
        }),
      );
      return draftView(kommune);
    },

    async discardDraft(principal: Principal, kommune: string) {
      await owner(principal, kommune);
      await guard(() => store.discardDraft(kommune, principal.sub));
      return { kommune, discarded: true as const };
    },

    /** The same checks and JSON paths as `npm run config:validate`; never throws for a bad config. */
    async validate(principal: Principal, kommune: string, input: DraftSourceInput) {
      await owner(principal, kommune);
      const source =
        input.text !== undefined || input.config !== undefined
          ? sourceText(input)
          : (await savedDraft(kommune)).source;
      if (typeof source !== 'string') return { valid: false, errors: [source] };
      const checked = await validateDraft(kommune, source);
      return { valid: checked.ok, errors: checked.ok ? [] : checked.errors };
    },

    async diff(
      principal: Principal,
      kommune: string,
      query: { from?: number; to?: number | 'draft' },
    ) {
      await owner(principal, kommune);
      const from =
        query.from === undefined ? await latest(kommune) : await version(kommune, query.from);
      const to = query.to ?? 'draft';
      const after =
        to === 'draft' ? await validDraftConfig(kommune) : (await version(kommune, to)).config;
      return { kommune, from: from.version, to, changes: diffConfigs(from.config, after) };
    },

    async impact(
      principal: Principal,
      kommune: string,
      body: { version?: number; stepMapping?: Record<string, string> },
    ) {
      await owner(principal, kommune);
      const target =
        body.version === undefined
          ? {
              config: await validDraftConfig(kommune),
              version: (await latest(kommune)).version + 1,
            }
          : await version(kommune, body.version);
      return previewImpact(deps, {
        kommune,
        target: target.config,
        targetVersion: target.version,
        stepMapping: body.stepMapping,
      });
    },

    async draftStatechart(principal: Principal, kommune: string) {
      await owner(principal, kommune);
      return toStatechart({
        kommune,
        version: (await latest(kommune)).version + 1,
        config: await validDraftConfig(kommune),
      });
    },

    async publish(
      principal: Principal,
      kommune: string,
      body: { comment: string; expectedRevision?: number },
    ) {
      await owner(principal, kommune);
      const { config: _config, ...summary } = await guard(() =>
        store.publishDraft(kommune, {
          actor: principal.sub,
          comment: body.comment,
          expectedRevision: body.expectedRevision,
          validate: validateDraft,
        }),
      );
      return summary;
    },

    async rollback(
      principal: Principal,
      kommune: string,
      body: { toVersion: number; comment: string },
    ) {
      await owner(principal, kommune);
      const { config: _config, ...summary } = await guard(() =>
        store.rollback(kommune, {
          toVersion: body.toVersion,
          actor: principal.sub,
          comment: body.comment,
          validate: validateDraft,
        }),
      );
      return summary;
    },

    async migrate(
      principal: Principal,
      kommune: string,
      body: Omit<MigrateCasesInput, 'kommune' | 'actor'>,
    ) {
      await owner(principal, kommune);
      return migrateCases(deps, { ...body, kommune, actor: principal.sub });
    },

    async audit(principal: Principal, kommune: string, query: { limit?: number; before?: number }) {
      await owner(principal, kommune);
      return {
        entries: await store.auditTrail(kommune, { limit: query.limit, beforeId: query.before }),
      };
    },
  };
}

/**
 * The config as text, exactly as sent or written out from the object; or, for an object nested
 * too deep to write out, the error at its path (its text would be refused as too deep anyway).
 */
function sourceText(input: DraftSourceInput): string | ConfigError {
  if (input.text !== undefined) return input.text;
  const deep = tooDeepAt(input.config);
  return deep === undefined ? JSON.stringify(input.config, null, 2) : tooDeepError(deep);
}

/** Each config error with its bokmål message where the check gives one (config/ adds them). */
function invalid(message: string, nb: string, errors: ConfigError[]): ApiError {
  return new ApiError(
    'CONFIG_INVALID',
    message,
    nb,
    errors.map((e) => ({
      path: e.path,
      message: `${e.message}${e.hint ? ` (${e.hint})` : ''}${e.line !== undefined ? ` [line ${e.line}, column ${e.column}]` : ''}`,
      code: e.code,
      nb: `${e.nb}${e.line !== undefined ? ` [linje ${e.line}, kolonne ${e.column}]` : ''}`,
    })),
  );
}

function fromStoreError(err: ConfigStoreError): ApiError {
  switch (err.code) {
    case 'CONFIG_INVALID':
      return invalid(err.message, err.nb, err.errors);
    case 'KOMMUNE_NOT_FOUND':
    case 'CONFIG_VERSION_NOT_FOUND':
    case 'DRAFT_NOT_FOUND':
    case 'PUBLISH_CONFLICT':
    case 'DRAFT_CONFLICT':
      return new ApiError(err.code, err.message, err.nb);
  }
}
