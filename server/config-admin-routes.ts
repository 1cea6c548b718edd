/**
 * The config routes under `/kommuner/{kommune}/config` (issue 7): the published config and its
 * versions, the draft, validation, diff, impact preview, publish, rollback, migration of running
 * cases and the audit trail. `GET …/config` is shared with the case roles (the version new cases
 * start on); everything else is for the `prosesseier` role of that kommune only.
 *
 * @module
 */
import { z } from 'zod';
import { KommuneParams, Statechart } from './api-schemas';
import {
  AuditQuery,
  AuditResponse,
  DiffQuery,
  DiffResponse,
  DiscardResult,
  DraftResponse,
  ImpactBody,
  ImpactResponse,
  MigrateBody,
  MigrationResponse,
  PublishBody,
  PublishResult,
  PublishedConfigResponse,
  RollbackBody,
  SaveDraftBody,
  ValidateBody,
  ValidationResult,
  VersionList,
  VersionParams,
} from './config-admin-schemas';
import type { ConfigAdminService } from './config-admin-service';
import { defineRoute, type RouteDef } from './route-definition';

const NoQuery = z.strictObject({});
const base = '/kommuner/:kommune/config';

export function configAdminRoutes(admin: ConfigAdminService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: `${base}/versions`,
      operationId: 'listConfigVersions',
      summary: 'Every published version, newest first (prosesseier)',
      params: KommuneParams,
      query: NoQuery,
      success: { status: 200, schema: VersionList },
      errors: [404],
      handler: ({ params, principal }) => admin.versions(principal, params.kommune),
    }),
    defineRoute({
      method: 'get',
      path: `${base}/versions/:version`,
      operationId: 'getConfigVersion',
      summary: 'One published version (prosesseier)',
      params: VersionParams,
      query: NoQuery,
      success: { status: 200, schema: PublishedConfigResponse },
      errors: [404],
      handler: ({ params, principal }) => admin.version(principal, params.kommune, params.version),
    }),
    defineRoute({
      method: 'get',
      path: `${base}/draft`,
      operationId: 'getConfigDraft',
      summary: 'The working draft with its validation result (prosesseier)',
      params: KommuneParams,
      query: NoQuery,
      success: { status: 200, schema: DraftResponse },
      errors: [404, 422],
      handler: ({ params, principal }) => admin.draft(principal, params.kommune),
    }),
    defineRoute({
      method: 'put',
      path: `${base}/draft`,
      operationId: 'saveConfigDraft',
      summary: 'Save or overwrite the draft; it may be invalid, publishing checks it (prosesseier)',
      description:
        'Send `text` (the JSON as written, kept verbatim) or `config` (an object). `expectedRevision` guards against overwriting a draft someone else saved meanwhile (409 DRAFT_CONFLICT).',
      params: KommuneParams,
      query: NoQuery,
      body: SaveDraftBody,
      success: { status: 200, schema: DraftResponse },
      errors: [404, 409, 413, 415, 422],
      handler: ({ params, body, principal }) => admin.saveDraft(principal, params.kommune, body),
    }),
    defineRoute({
      method: 'delete',
      path: `${base}/draft`,
      operationId: 'discardConfigDraft',
      summary: 'Discard the draft (prosesseier)',
      params: KommuneParams,
      query: NoQuery,
      success: { status: 200, schema: DiscardResult },
      errors: [404],
      handler: ({ params, principal }) => admin.discardDraft(principal, params.kommune),
    }),
    defineRoute({
      method: 'get',
      path: `${base}/draft/statechart`,
      operationId: 'getDraftStatechart',
      summary: "The draft's statechart, to show beside the published one (prosesseier)",
      params: KommuneParams,
      query: NoQuery,
      success: { status: 200, schema: Statechart },
      errors: [404, 422],
      handler: ({ params, principal }) => admin.draftStatechart(principal, params.kommune),
    }),
    defineRoute({
      method: 'post',
      path: `${base}/validate`,
      operationId: 'validateConfig',
      summary:
        'Check a config (or the saved draft) like `npm run config:validate`: every error with its JSON path, line and column (prosesseier)',
      params: KommuneParams,
      query: NoQuery,
      body: ValidateBody,
      success: { status: 200, schema: ValidationResult },
      errors: [404, 413, 415, 422],
      handler: ({ params, body, principal }) => admin.validate(principal, params.kommune, body),
    }),
    defineRoute({
      method: 'get',
      path: `${base}/diff`,
      operationId: 'diffConfig',
      summary:
        'What changed between two versions, or the latest and the draft, in sentences for process owners (prosesseier)',
      params: KommuneParams,
      query: DiffQuery,
      success: { status: 200, schema: DiffResponse },
      errors: [404, 422],
      handler: ({ params, query, principal }) => admin.diff(principal, params.kommune, query),
    }),
    defineRoute({
      method: 'post',
      path: `${base}/impact`,
      operationId: 'previewConfigImpact',
      summary:
        'Which running cases a migration to the draft (or a version) would touch, and how their timers would move (prosesseier)',
      params: KommuneParams,
      query: NoQuery,
      body: ImpactBody,
      success: { status: 200, schema: ImpactResponse },
      errors: [404, 413, 415, 422],
      handler: ({ params, body, principal }) => admin.impact(principal, params.kommune, body),
    }),
    defineRoute({
      method: 'post',
      path: `${base}/publish`,
      operationId: 'publishConfig',
      summary: 'Publish the draft as the next version (prosesseier)',
      description:
        "Refused while the draft is invalid (422 CONFIG_INVALID, every error in details) and when a version was published after the draft's base (409 PUBLISH_CONFLICT). Running cases keep their version until migrated.",
      params: KommuneParams,
      query: NoQuery,
      body: PublishBody,
      success: { status: 201, schema: PublishResult },
      errors: [404, 409, 413, 415, 422],
      handler: ({ params, body, principal }) => admin.publish(principal, params.kommune, body),
    }),
    defineRoute({
      method: 'post',
      path: `${base}/rollback`,
      operationId: 'rollbackConfig',
      summary: 'Publish an earlier version again as a new version (prosesseier)',
      params: KommuneParams,
      query: NoQuery,
      body: RollbackBody,
      success: { status: 201, schema: PublishResult },
      errors: [404, 413, 415, 422],
      handler: ({ params, body, principal }) => admin.rollback(principal, params.kommune, body),
    }),
    defineRoute({
      method: 'post',
      path: `${base}/migrations`,
      operationId: 'migrateCases',
      summary:
        'Move running cases onto a newer published version: named cases or a filtered batch; each reports migrated or refused with the reason (prosesseier)',
      params: KommuneParams,
      query: NoQuery,
      body: MigrateBody,
      success: { status: 200, schema: MigrationResponse },
      errors: [404, 413, 415],
      handler: ({ params, body, principal }) => admin.migrate(principal, params.kommune, body),
    }),
    defineRoute({
      method: 'get',
      path: `${base}/audit`,
      operationId: 'getConfigAudit',
      summary: 'The audit trail of config changes and migrations, newest first (prosesseier)',
      params: KommuneParams,
      query: AuditQuery,
      success: { status: 200, schema: AuditResponse },
      errors: [404],
      handler: ({ params, query, principal }) => admin.audit(principal, params.kommune, query),
    }),
  ];
}
