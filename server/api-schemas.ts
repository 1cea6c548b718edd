/**
 * The API's shapes, in zod: requests are parsed with them at the edge, responses are typed by
 * them, and `openapi.ts` turns the same schemas into the OpenAPI document.
 *
 * @module
 */
import { z } from 'zod';
import { CASE_ID_PATTERN, PERSON_ID_MAX_LENGTH, PERSON_ID_PATTERN } from '../machines/person-id';
import { CaseStatuses } from '../machines/types';
import { ErrorCodes } from './error-codes';

const id = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, `${what}: letters, digits, '-' and '_', at most 64`);

// ---- ids: each a format and a length, so no control character, line break or bidirectional
// override ever reaches a workflow id, a visibility query or a log line.

/** A kommune id as configs name them (lower-case kebab), at most 63 characters. */
export const KommuneId = z
  .string()
  .max(63)
  .regex(
    /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
    "kommune id: lower-case letters and digits, words joined by '-'",
  );

/**
 * A case id as the engine makes them (20 characters, no '-'): with it, `case-<kommune>-<caseId>`
 * names exactly one kommune's case, so no kommune id that is a prefix of another can reach it.
 */
export const CaseId = z
  .string()
  .regex(CASE_ID_PATTERN, 'case id: the 20 letters and digits the API gave the case');

/** An id that names a person (a holder, a token's subject). */
export const PersonId = z
  .string()
  .regex(PERSON_ID_PATTERN, "person id: 1–64 letters, digits and '. _ @ : -'");

// ---- path, query and header parameters

export const KommuneParams = z.strictObject({ kommune: KommuneId });
/** A survey of the kommune's config (`surveys.<id>`). */
export const SurveyParams = z.strictObject({ kommune: KommuneId, survey: id('survey id') });
export const CaseParams = z.strictObject({ kommune: KommuneId, caseId: CaseId });
/** One person's own settings that leaders keep (caseload limits, the staff directory). */
export const PersonParams = KommuneParams.extend({
  personId: z
    .string()
    .max(PERSON_ID_MAX_LENGTH)
    .regex(PERSON_ID_PATTERN)
    .describe("The person's user id (the token's sub)"),
});
/** A route that takes no query parameters refuses any. */
export const NoQuery = z.strictObject({});

/**
 * A client-chosen key that makes opening a case (or sending an event) safe to retry. Long and
 * opaque on purpose: the case id is derived from it, so it must not be a personal number.
 */
export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,128}$/, "16–128 letters, digits, '-' or '_' (e.g. a UUID)")
  .optional();

const boolString = z.enum(['true', 'false']).transform((v) => v === 'true');

/** How the case list can be sorted; unsorted it comes in visibility's order. */
export const ListSorts = ['opened', 'nextDue', 'lastActivity'] as const;

export const ListCasesQuery = z.strictObject({
  level: z.enum(['0', '1', '2', '3']).transform(Number).optional(),
  step: id('step id').optional(),
  status: z.enum(CaseStatuses).optional(),
  holder: PersonId.optional(),
  overdue: boolString.optional(),
  reopenRequested: boolString
    .optional()
    .describe('true: closed cases whose family asked to reopen them and no one has decided yet'),
  dueBefore: z.iso.datetime({ offset: true }).optional(),
  mine: boolString.optional().describe('true: only the cases you hold'),
  late: boolString
    .optional()
    .describe(
      "true: open cases with a deadline passed: the step's (overdue), the next timer's or an open action point's",
    ),
  sort: z
    .enum(ListSorts)
    .optional()
    .describe(
      'opened: newest first; nextDue: soonest first; lastActivity: longest without activity first. Sorted by the server among the first 1000 matches (see sortLimited)',
    ),
  pageSize: z
    .string()
    .regex(/^[1-9][0-9]{0,2}$/, 'an integer 1–100')
    .transform(Number)
    .pipe(z.number().max(100))
    .optional(),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,2000}$/, 'a cursor from nextCursor')
    .optional(),
});
export type ListCasesQuery = z.infer<typeof ListCasesQuery>;

/** `?version=N` on the config reads: a published version (a running case keeps its own). */
export const ConfigVersionQuery = z.strictObject({
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'a positive integer')
    .transform(Number)
    .optional()
    .describe('A published version (default: the version new cases start on)'),
});
export type ConfigVersionQuery = z.infer<typeof ConfigVersionQuery>;

// ---- request bodies

const payloadObject = z
  .record(z.string(), z.unknown())
  .describe(
    "The event's form, as the kommune's payload schema for it describes (see allowedEvents).",
  );

export const OpenCaseBody = z.strictObject({
  referralSource: z
    .string()
    .min(1)
    .max(100)
    .describe("Who reported the case: a key of the config's referralSources."),
  payload: payloadObject.optional(),
});
export type OpenCaseBody = z.infer<typeof OpenCaseBody>;

export const SendEventBody = z.strictObject({
  // A leading '_' is let through so that names like `__proto__` get the engine's "unknown event".
  type: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, 'an event id'),
  payload: payloadObject.optional(),
  expectedRevision: z
    .number()
    .int()
    .min(0)
    .max(1e9)
    .describe('The revision the sender last saw; another is a 409.'),
});
export type SendEventBody = z.infer<typeof SendEventBody>;

/** A task of a case, as the engine names it (`task-<revision>`). */
export const TaskParams = CaseParams.extend({
  taskId: z.string().regex(/^task-[0-9]{1,10}$/, 'task id: as the case snapshot lists it'),
});

export const CompleteTaskBody = z.strictObject({
  expectedRevision: z
    .number()
    .int()
    .min(0)
    .max(1e9)
    .describe('The revision the sender last saw; another is a 409.'),
});
export type CompleteTaskBody = z.infer<typeof CompleteTaskBody>;

export const ReopenBody = z.strictObject({
  payload: payloadObject.optional(),
  expectedRevision: z.number().int().min(0).max(1e9),
});
export type ReopenBody = z.infer<typeof ReopenBody>;

/** Its body is `{ expectedRevision }` alone. */
export const REOPEN_REQUEST_BODY_LIMIT_BYTES = 1024;

/** A family's request to reopen, or the holder's no to it: only the revision last seen. */
export const ReopenRequestBody = z.strictObject({
  expectedRevision: z.number().int().min(0).max(1e9),
});
export type ReopenRequestBody = z.infer<typeof ReopenRequestBody>;

// ---- responses

const instant = z.string().describe('ISO 8601 instant, UTC');

const AllowedEvent = z.object({
  type: z.string(),
  title: z.string(),
  description: z.string().optional(),
  payloadSchema: z.record(z.string(), z.unknown()).describe('JSON Schema 2020-12 of the payload'),
  targets: z.array(z.string()).describe('Steps the event may lead to, gates in order'),
});

const ConsentGiving = z.object({
  givenAt: instant,
  expiresAt: instant.optional(),
  withdrawnAt: instant.optional(),
  via: z
    .enum(['family', 'staff'])
    .optional()
    .describe('Given by the family signed in, or recorded by staff (paper or oral consent)'),
  recordedBy: z
    .object({ role: z.string(), relation: z.enum(['holder', 'team', 'role']) })
    .optional()
    .describe('The staff who recorded it: role and relation to the case, never who'),
});

export const CaseSnapshot = z.object({
  caseId: z.string(),
  kommune: z.string(),
  configVersion: z.number().int(),
  revision: z.number().int(),
  referralSource: z.string(),
  step: z.string(),
  level: z.number().int().min(0).max(3),
  status: z.enum(CaseStatuses),
  outcomeReason: z.string().nullable(),
  holder: z.object({ id: z.string(), role: z.string(), since: instant }).nullable(),
  team: z.array(
    z.object({ id: z.string(), role: z.string().optional(), title: z.string().optional() }),
  ),
  assignedTeams: z
    .record(z.string(), z.string())
    .describe("The case's team of each kind (team kind → team id in the config's teams)"),
  data: z.record(z.string(), z.unknown()),
  consents: z.record(
    z.string(),
    ConsentGiving.extend({
      givenBy: z.enum(['parent', 'youth']).describe('Who gave it (the latest giving)'),
      givers: z
        .object({ parent: ConsentGiving.optional(), youth: ConsentGiving.optional() })
        .optional()
        .describe("A consent every giver must give: each one's own"),
      awaiting: z
        .array(z.enum(['parent', 'youth']))
        .optional()
        .describe('A consent every giver must give: who has yet to; it does not hold until then'),
    }),
  ),
  actionPoints: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      responsible: z.string(),
      due: z.string().optional(),
      status: z.enum(['open', 'done']),
      createdAt: instant,
      doneAt: instant.optional(),
    }),
  ),
  timers: z.array(
    z.object({
      key: z.string(),
      timerId: z.string(),
      step: z.string(),
      kind: z.string(),
      title: z.string().optional(),
      dueAt: instant,
    }),
  ),
  nextDueAt: instant.nullable(),
  overdue: z.boolean(),
  escalatedTo: z.array(z.string()),
  openedAt: instant,
  stepEnteredAt: instant,
  lastActivityAt: instant,
  closedAt: instant.nullable(),
  reopenRequest: z
    .object({
      at: instant,
      by: z.string().describe('The family role that asked (never who)'),
      declinedAt: instant.optional().describe('When it was declined; absent: still waiting'),
    })
    .nullable()
    .describe(
      'A family member asked to reopen the closed case: waiting for the last holder to reopen it (which clears this) or decline it',
    ),
  path: z
    .array(z.string())
    .describe(
      'Steps entered, in order: the first and the latest 99; with `pathDropped`, the entries between `path[0]` and `path[1]` were dropped',
    ),
  pathDropped: z
    .object({
      count: z.number().int().describe('Entries dropped from `path` after its first'),
      moves: z
        // Pairs as two-string arrays: a zod tuple becomes `items: [...]`, which OpenAPI 3.1 refuses.
        .array(z.array(z.string()).length(2))
        .describe('Each move (from step, to step) among the dropped entries, once'),
    })
    .optional()
    .describe('Present once the path is longer than its cap'),
  tasks: z
    .array(
      z.object({
        id: z.string(),
        kind: z
          .enum(['unreachable'])
          .describe('unreachable: a message could not be delivered after its retries'),
        title: z.string().describe('In bokmål, e.g. «Familien kunne ikke nås»'),
        about: z
          .object({ template: z.string(), notification: z.string(), to: z.string() })
          .describe('The message that failed: its template id, kind and recipient role'),
        at: instant,
      }),
    )
    .describe("Open tasks for the case's holder; completed ones are in the history"),
  allowedEvents: z.array(AllowedEvent).describe("What the caller's role may send now"),
});
export type CaseSnapshot = z.infer<typeof CaseSnapshot>;

export const CaseSummary = z.object({
  caseId: z.string(),
  step: z.string().nullable(),
  level: z.number().int().nullable(),
  status: z.enum(CaseStatuses).nullable(),
  holderPseudonym: z
    .string()
    .nullable()
    .describe(
      "A keyed hash of the holder's user id: the same person has the same value in every item; null: no holder",
    ),
  heldByYou: z.boolean().describe('Whether you hold the case'),
  referralSource: z.string().nullable(),
  overdue: z.boolean(),
  reopenRequested: z
    .boolean()
    .describe('The family asked to reopen the closed case and no one has decided yet'),
  nextDueAt: instant.nullable(),
  configVersion: z.number().int().nullable(),
  lastActivityAt: instant
    .nullable()
    .describe(
      'The last accepted command (long ago: the case stands still); null for cases not updated since this was added',
    ),
  openTasks: z
    .number()
    .int()
    .describe('Open tasks for the holder, e.g. a family that could not be reached'),
  openedAt: instant
    .nullable()
    .describe('When the case was opened; null for cases not updated since this was added'),
  stepEnteredAt: instant
    .nullable()
    .describe('When the case entered its step; null for cases not updated since this was added'),
  escalated: z.boolean().describe('A deadline in the current step escalated the case'),
  actionPointDueAt: instant
    .nullable()
    .describe("The earliest due time of the case's open action points; null: none has one"),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CaseList = z.object({
  cases: z.array(CaseSummary),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null on the last page'),
  sortLimited: z
    .boolean()
    .describe('Sorted: more than 1000 cases matched, and only the first 1000 were sorted'),
});
export type CaseList = z.infer<typeof CaseList>;

export const CaseHistory = z.object({
  caseId: z.string(),
  entries: z.array(
    z.object({
      seq: z
        .number()
        .int()
        .describe("The entry's place in the case's log: 1, 2, 3 …, each once, in order"),
      at: instant,
      revision: z.number().int(),
      kind: z
        .string()
        .describe(
          'opened, event, timer, reopened, migrated, handover, notified, notificationFailed, taskOpened, taskCompleted, reopenRequested or reopenDeclined',
        ),
      actor: z.object({ id: z.string(), role: z.string() }),
      what: z.string().describe('Event type, timer key, notification kind or task kind'),
      from: z.string().nullable().optional(),
      to: z.string().optional(),
      payload: z.unknown().optional(),
    }),
  ),
});
export type CaseHistory = z.infer<typeof CaseHistory>;

const countBy = <T extends z.ZodRawShape>(shape: T) =>
  z.array(z.object({ ...shape, count: z.number().int() }));

/**
 * `?from&to` (Oslo calendar days, both included) and the filters of the statistics. The dates'
 * order and span are checked by the service, with their own bokmål reasons.
 */
export const StatsQuery = z.strictObject({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .optional()
    .describe('First day counted (YYYY-MM-DD, Oslo); default a year before `to`'),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .optional()
    .describe('Last day counted (YYYY-MM-DD, Oslo); default today. At most 5 years after `from`'),
  level: z
    .enum(['0', '1', '2', '3'])
    .transform(Number)
    .optional()
    .describe('Only cases at this level at the end of the range'),
  step: id('step id').optional().describe('Only cases in this step at the end of the range'),
  field: id('field id')
    .optional()
    .describe(
      'With `value`: only cases whose field (one with an enum, e.g. the case type) has this value',
    ),
  value: z
    .string()
    .regex(/^[^\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]{1,100}$/, '1–100 characters')
    .optional(),
});
export type StatsQuery = z.infer<typeof StatsQuery>;

const days = z.number().nullable().describe('Days, to 0.01');

export const KommuneStats = z.object({
  kommune: z.string(),
  asOf: instant.describe('Open cases are counted at this moment: the end of the range, or now'),
  range: z.object({
    from: z.string().describe('YYYY-MM-DD, Oslo'),
    to: z.string().describe('YYYY-MM-DD, Oslo, included'),
  }),
  filter: z.object({
    level: z.number().int().optional(),
    step: z.string().optional(),
    field: z.string().optional(),
    value: z.string().optional(),
  }),
  totalCases: z.number().int().describe('Cases opened in the range'),
  newCasesPerMonth: countBy({
    month: z.string().describe('YYYY-MM, Oslo time'),
    referralSource: z.string(),
  }),
  openByLevelAndStep: countBy({ level: z.number().int(), step: z.string() }),
  funnel: z
    .array(z.object({ step: z.string(), level: z.number().int(), entered: z.number().int() }))
    .describe('How many cases ever entered each step, in config order'),
  timeInStep: z
    .object({
      casesSampled: z.number().int().describe('Cases with a visit ended in the range: all of them'),
      casesTotal: z.number().int(),
      steps: z.array(
        z.object({
          step: z.string(),
          completedVisits: z.number().int().describe('Visits of the step that ended in the range'),
          medianDays: days,
          p90Days: days.describe('90th percentile (linear between ranks), days to 0.01'),
          meanDays: days,
          ongoing: z.number().int().describe('Open cases in the step at `asOf`'),
        }),
      ),
    })
    .describe('Over every visit that ended in the range, of every case'),
  overdue: z.object({
    flagged: z.number().int().describe('Open cases a timer marked overdue'),
    pastDue: z.number().int().describe('Open cases whose next due time has passed'),
    byStep: z.array(
      z.object({ step: z.string(), flagged: z.number().int(), pastDue: z.number().int() }),
    ),
  }),
  outcomes: z
    .array(
      z.object({
        outcome: z.string().describe('closed, handed_over or withdrawn'),
        reason: z
          .string()
          .nullable()
          .describe("The closing reason: the form's choice or the step's"),
        count: z.number().int(),
      }),
    )
    .describe('Cases closed in the range'),
  reopened: z.number().int().describe('Reopenings in the range'),
  escalations: z.number().int().describe('Escalations by a timer in the range'),
  messages: z
    .object({
      delivered: z.number().int().describe('Messages that reached their recipients, or some'),
      failed: z.number().int().describe('Messages that reached none of them after their retries'),
    })
    .describe('Messages sent from cases in the range'),
  caseloadPerHolder: z
    .array(
      z.object({
        holderPseudonym: z.string().describe('As in the case list; named by …/staff-names'),
        role: z.string().nullable(),
        openCases: z.number().int(),
        limit: z
          .number()
          .int()
          .nullable()
          .describe(
            "The most open cases the holder may have: their own limit set by a leader, else their role's capacity rule; null when neither",
          ),
      }),
    )
    .describe('Open cases per holder at `asOf`, most first'),
  caseloadLimited: z.boolean().describe('More holders than the 1000 listed'),
  fieldValues: z
    .array(z.object({ field: z.string(), value: z.string(), cases: z.number().int() }))
    .describe(
      'Cases whose field with an enum (case type, vedtak, …) was set to each value in the range',
    ),
});
export type KommuneStats = z.infer<typeof KommuneStats>;

export const Statechart = z.object({
  kommune: z.string(),
  version: z.number().int(),
  initial: z.string(),
  levels: z.array(z.number().int()),
  nodes: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string().nullable(),
      level: z.number().int(),
      holderRole: z.string(),
      initial: z.boolean(),
      final: z.object({ outcome: z.string(), reason: z.string() }).nullable(),
      requiresConsent: z.array(z.string()),
      timers: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string().nullable() })),
    }),
  ),
  edges: z.array(
    z.object({
      id: z.string(),
      from: z.string(),
      to: z.string(),
      kind: z.enum(['event', 'reopen']),
      event: z.string(),
      eventTitle: z.string(),
      roles: z.array(z.string()).describe('Who may send it; empty: only the engine (a timer)'),
      gate: z
        .object({
          index: z.number().int(),
          of: z.number().int(),
          rule: z
            .unknown()
            .nullable()
            .describe('The JSON Logic rule, or null when the gate always holds'),
          description: z.string().nullable(),
        })
        .describe(
          'Gates of one event in one step are tried in order; the first that holds is taken',
        ),
      stays: z.boolean().describe('True when the transition stays in its step'),
    }),
  ),
});
export type Statechart = z.infer<typeof Statechart>;

export const ErrorBody = z.object({
  error: z.object({
    code: z
      .enum(ErrorCodes as [string, ...string[]])
      .describe('Stable: clients branch on the code, never on a message'),
    message: z.string().describe('English, for logs and developers'),
    nb: z.string().describe('The same in Norwegian bokmål, for the person using the API'),
    details: z.array(
      z.object({
        path: z.string().describe('JSON pointer into the request, e.g. /body/payload/dato'),
        message: z.string(),
        code: z
          .string()
          .optional()
          .describe('Stable code of this problem, where it has one (a config error’s)'),
        nb: z.string().describe('The field’s reason in Norwegian bokmål'),
      }),
    ),
    allowedEvents: z.array(z.string()).optional(),
  }),
});
