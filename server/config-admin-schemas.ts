/**
 * Shapes of the config administration routes (issue 7), in zod like the rest of the API, so
 * the OpenAPI document covers them too.
 *
 * @module
 */
import { z } from 'zod';
import { ChangeAreas, ChangeKinds } from '../store';
import { CaseId, KommuneId } from './api-schemas';
import { StepChanges } from './config-impact';

const id = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, `${what}: letters, digits, '-' and '_', at most 64`);
const positive = z.number().int().min(1).max(1e9);
const versionParam = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, 'a positive integer')
  .transform(Number);
const instant = z.string().describe('ISO 8601 instant, UTC');
const comment = z
  .string()
  .trim()
  .min(1, 'say why: the comment is kept in the audit trail')
  .max(2000);
const stepMapping = z
  .record(id('step id'), id('step id'))
  .describe(
    'Old step id → step id in the new version, for cases in steps the new version removed or renamed',
  );

export const VersionParams = z.strictObject({ kommune: KommuneId, version: versionParam });

const configObject = z
  .record(z.string(), z.unknown())
  .describe('A kommune config (config/schema/kommune-config.schema.json)');

const DraftSource = {
  text: z
    .string()
    .max(250_000)
    .optional()
    .describe('The config as JSON text, exactly as written (may be unfinished)'),
  config: configObject.optional().describe('The config as a JSON object (instead of text)'),
};

export const SaveDraftBody = z
  .strictObject({
    ...DraftSource,
    baseVersion: positive
      .optional()
      .describe(
        "The published version the draft started from (default: the current draft's, else the latest)",
      ),
    expectedRevision: z
      .number()
      .int()
      .min(0)
      .max(1e9)
      .optional()
      .describe('The draft revision last read (0: no draft yet); another is a 409'),
  })
  .refine((b) => (b.text === undefined) !== (b.config === undefined), {
    message: 'send either text or config',
    path: ['text'],
  });
export type SaveDraftBody = z.infer<typeof SaveDraftBody>;

export const ValidateBody = z
  .strictObject(DraftSource)
  .refine((b) => b.text === undefined || b.config === undefined, {
    message: 'send text or config, not both',
    path: ['text'],
  })
  .describe('Without text or config the saved draft is validated');
export type ValidateBody = z.infer<typeof ValidateBody>;

export const DiffQuery = z.strictObject({
  from: versionParam.optional().describe('A published version (default: the latest)'),
  to: z
    .union([z.literal('draft'), versionParam])
    .optional()
    .describe('A published version or "draft" (default)'),
});

export const ImpactBody = z.strictObject({
  version: positive
    .optional()
    .describe('A published version to preview migrating to (default: the draft)'),
  stepMapping: stepMapping.optional(),
});

export const PublishBody = z.strictObject({
  comment,
  expectedRevision: z
    .number()
    .int()
    .min(1)
    .max(1e9)
    .optional()
    .describe('Publish only the draft revision that was reviewed'),
});

export const RollbackBody = z.strictObject({ toVersion: positive, comment });

export const MigrateBody = z
  .strictObject({
    toVersion: positive.optional().describe('Default: the latest published version'),
    caseIds: z.array(CaseId).min(1).max(1000).optional(),
    filter: z
      .strictObject({ step: id('step id').optional(), fromVersion: positive.optional() })
      .optional(),
    stepMapping: stepMapping.optional(),
    reason: z.string().trim().min(1).max(2000).optional(),
    dryRun: z
      .boolean()
      .optional()
      .describe(
        'true: decide each case exactly as a migration would (migrated = would move, with toStep; refused with the reason) and move none, record nothing in the audit trail',
      ),
  })
  .refine((b) => (b.caseIds === undefined) !== (b.filter === undefined), {
    message:
      'name the cases (caseIds) or a filter ({} for every running case on an older version), not both',
    path: ['caseIds'],
  });

export const AuditQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,2}$/, 'an integer 1–500')
    .transform(Number)
    .pipe(z.number().max(500))
    .optional(),
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'an audit entry id')
    .transform(Number)
    .optional(),
});

// ---- responses

const VersionSummary = z.object({
  kommune: z.string(),
  version: z.number().int(),
  author: z.string().describe('Token sub of whoever published it; "system" for the seed'),
  comment: z.string(),
  publishedAt: instant,
  basedOn: z.number().int().nullable(),
  restoredFrom: z
    .number()
    .int()
    .nullable()
    .describe('Set when a rollback published this earlier version again'),
});

export const PublishedConfigResponse = VersionSummary.extend({ config: configObject });
/** `GET …/config`: who published it, when and why are there when configs come from the versioned store. */
export const ConfigReadResponse = PublishedConfigResponse.partial({
  author: true,
  comment: true,
  publishedAt: true,
  basedOn: true,
  restoredFrom: true,
});
export const VersionList = z.object({ versions: z.array(VersionSummary) });
export const PublishResult = VersionSummary;

const ConfigProblem = z.object({
  path: z.string().describe('JSON pointer into the config'),
  code: z.string().describe('stable code of the problem, listed in docs/config-reference.md'),
  message: z.string().describe('English, for logs'),
  nb: z.string().describe('the problem and what to do, in bokmål'),
  hint: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

export const ValidationResult = z.object({ valid: z.boolean(), errors: z.array(ConfigProblem) });

export const DraftResponse = z.object({
  kommune: z.string(),
  text: z.string(),
  baseVersion: z.number().int(),
  latestVersion: z.number().int(),
  revision: z.number().int(),
  updatedBy: z.string(),
  updatedAt: instant,
  valid: z.boolean(),
  errors: z.array(ConfigProblem),
});

export const DiscardResult = z.object({ kommune: z.string(), discarded: z.literal(true) });

export const DiffResponse = z.object({
  kommune: z.string(),
  from: z.number().int(),
  to: z.union([z.literal('draft'), z.number().int()]),
  changes: z.array(
    z.object({
      kind: z.enum(ChangeKinds),
      area: z.enum(ChangeAreas),
      path: z.string(),
      step: z.string().optional(),
      message: z.string().describe('In Norwegian (bokmål), for process owners'),
    }),
  ),
});

export const ImpactResponse = z.object({
  kommune: z.string(),
  targetVersion: z.number().int().describe('For a draft: the number it would get when published'),
  runningCases: z.number().int(),
  unaffected: z.number().int(),
  truncated: z.boolean(),
  affected: z.array(
    z.object({
      caseId: z.string(),
      step: z.string(),
      status: z.string(),
      configVersion: z.number().int(),
      stepChange: z.enum(StepChanges),
      changes: z.array(z.string()),
      migration: z.union([
        z.object({ possible: z.literal(true), toStep: z.string() }),
        z.object({
          possible: z.literal(false),
          reason: z.string().describe('Why not, in English.'),
          code: z.literal('MIGRATION_REFUSED'),
          nb: z.string().describe('Why not, in Norwegian bokmål.'),
        }),
      ]),
      timers: z.array(
        z.object({
          timerId: z.string(),
          title: z.string().optional(),
          kind: z.string(),
          change: z.enum(['added', 'removed', 'moved', 'unchanged']),
          dueBefore: instant.nullable(),
          dueAfter: instant.nullable(),
        }),
      ),
    }),
  ),
});

export const MigrationResponse = z.object({
  toVersion: z.number().int(),
  migrated: z.number().int(),
  refused: z.number().int(),
  truncated: z.boolean(),
  dryRun: z.boolean().describe('true: nothing moved; the results say what a migration would do'),
  results: z.array(
    z.object({
      caseId: z.string(),
      outcome: z.enum(['migrated', 'refused']),
      fromVersion: z.number().int().nullable(),
      toVersion: z.number().int(),
      fromStep: z.string().nullable(),
      toStep: z.string().optional(),
      reason: z.string().optional().describe('Why a case was refused, in English.'),
      code: z.string().optional().describe('Refused: a stable code, e.g. MIGRATION_REFUSED.'),
      nb: z.string().optional().describe('Why a case was refused, in Norwegian bokmål.'),
    }),
  ),
});

export const AuditResponse = z.object({
  entries: z.array(
    z.object({
      id: z.number().int(),
      kommune: z.string(),
      at: instant,
      actor: z.string(),
      action: z.string(),
      version: z.number().int().nullable(),
      caseId: z.string().nullable(),
      reason: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});
