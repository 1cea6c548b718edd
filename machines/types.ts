/**
 * The pure case model: what a case is, what may happen to it, and what comes back from a step.
 * Everything is plain JSON so a workflow can keep it in its state and carry it over
 * continue-as-new. Times are ISO 8601 strings in UTC; `now` is always passed in, never read.
 *
 * @module
 */
import type {
  BtiLevel,
  ConsentGiver,
  ConsentTypeId,
  EventId,
  RoleId,
  StepId,
  TimerDef,
} from '../config/types';
import type { ContactDetails } from './contact';

/** The engine itself (timers), not a person. */
export const SYSTEM_ROLE = 'system';

export interface Actor {
  /** Pseudonymous user id from the token's `sub`; never a name or a national id number. */
  id: string;
  role: RoleId | typeof SYSTEM_ROLE;
}

export const CaseStatuses = ['open', 'closed', 'handed_over', 'withdrawn'] as const;
export type CaseStatus = (typeof CaseStatuses)[number];

export interface Holder {
  id: string;
  role: RoleId;
  since: string;
}

export interface TeamMember {
  id: string;
  role?: string;
  title?: string;
  /** How a family member is reached (e-mail, mobile, preferred channel), as entered in a form. */
  contact?: ContactDetails;
}

/** One giver's consent, as given. */
export interface ConsentGiving {
  givenAt: string;
  expiresAt?: string;
  withdrawnAt?: string;
  /**
   * `family`: given by the family themselves, signed in (the giver is their role's kind);
   * `staff`: a consent given on paper or orally, recorded by staff. Absent in records from before.
   */
  via?: 'family' | 'staff';
  /** Who recorded it (`via: "staff"`): their role and relation to the case, never who they are. */
  recordedBy?: { role: RoleId; relation: 'holder' | 'team' | 'role' };
}

/**
 * A consent type as the case holds it. For a type every giver must give (`requires: "all"`),
 * `givers` keeps each one's own consent and the fields above sum them up: `givenAt` the latest
 * giving, `expiresAt` the first lapse, `withdrawnAt` a withdrawal, `awaiting` those yet to consent.
 */
export interface Consent extends ConsentGiving {
  /** The giver of the latest giving. */
  givenBy: ConsentGiver;
  givers?: Partial<Record<ConsentGiver, ConsentGiving>>;
  /** `requires: "all"`: the givers whose consent is still missing; the consent does not hold. */
  awaiting?: ConsentGiver[];
}

export interface ActionPoint {
  id: string;
  title: string;
  responsible: string;
  due?: string;
  status: 'open' | 'done';
  createdAt: string;
  doneAt?: string;
}

/** A timer armed in the case: the workflow sleeps until `dueAt`. */
export interface ArmedTimer {
  /** Unique in the case and stable across re-computation: `<step>/<timerId>/<occurrence>`. */
  key: string;
  timerId: string;
  step: StepId;
  /** A config timer's kind, or the engine's own: a required consent lapses (see `whenLost`). */
  kind: TimerDef['kind'] | 'consentLapse';
  title?: string;
  dueAt: string;
}

/** What fell out of a path between its first and its (now) second entry. */
/** See `machines/case-path.ts`. */
export interface PathDropped {
  /** Entries dropped. */
  count: number;
  /** Each move among the dropped entries, from `path[0]` into them and on to `path[1]`, once. */
  moves: Array<[StepId, StepId]>;
}

export interface CaseState {
  caseId: string;
  kommune: string;
  configVersion: number;
  referralSource: string;
  step: StepId;
  level: BtiLevel;
  status: CaseStatus;
  /** Final outcome reason from the final step, once closed. */
  outcomeReason?: string;
  holder: Holder | null;
  team: TeamMember[];
  data: Record<string, unknown>;
  consents: Record<ConsentTypeId, Consent>;
  actionPoints: ActionPoint[];
  timers: ArmedTimer[];
  /** Set by a timer's `markOverdue`; cleared when the case leaves the step. */
  overdue: boolean;
  /** Set by a timer's `escalate`; cleared when the case leaves the step. */
  escalatedTo: RoleId[];
  openedAt: string;
  stepEnteredAt: string;
  lastActivityAt: string;
  closedAt?: string;
  /**
   * Steps entered, in order, including the first; bounded (`machines/case-path.ts`): past its
   * cap the oldest entries after the first are dropped and summed up in `pathDropped`.
   */
  path: StepId[];
  /** Entries dropped from `path` after its first: their count and their moves, each once. */
  pathDropped?: PathDropped;
  /** Bumped by every accepted command or fired timer. */
  revision: number;
  /**
   * A handover waiting for the named person to have room under a capacity rule with
   * `whenFull: "wait"`; the previous holder keeps the case meanwhile. Set by the workflow.
   */
  capacityWait?: { holderId: string; role: RoleId; since: string };
  /** The case's team of each kind (team kind → team id in the config's `teams`), once assigned. */
  assignedTeams?: Record<string, string>;
  /**
   * Open tasks the engine gave the case (machines/case-tasks.ts), e.g. a family its messages
   * could not reach; set by the workflow, absent until the first. A completed task leaves.
   */
  tasks?: CaseTask[];
  /**
   * A family member asked to reopen the closed case (machines/reopen-request.ts): when, and their
   * role (never who). Open until the holder reopens the case (which clears it) or declines it.
   */
  reopenRequest?: ReopenRequest;
}

/** Something the engine asks the case's holder to do. */
export interface CaseTask {
  /** `task-<revision the task arrived at>`: unique within the case. */
  id: string;
  /** `unreachable`: a message could not be delivered after its retries. */
  kind: 'unreachable';
  /** In bokmål, e.g. «Familien kunne ikke nås». */
  title: string;
  /** The message that failed: its template id, notification kind and recipient role. */
  about: { template: string; notification: string; to: string };
  at: string;
}

export interface ReopenRequest {
  at: string;
  by: RoleId;
  /** Set when the holder (or another who may reopen) said no; the family may ask again. */
  declinedAt?: string;
}

export interface CaseEvent {
  type: EventId;
  payload?: unknown;
  actor: Actor;
}

/** Side effects for the workflow to run as activities; they never change the case state. */
export type SideEffect =
  | { type: 'notify'; role: RoleId | 'holder' | 'family'; template: string; reason: string }
  | { type: 'escalate'; role: RoleId; template: string; reason: string }
  | { type: 'sendFeedbackLink'; template: string; survey?: string }
  | { type: 'sendSurvey'; template: string; survey?: string };

export const RejectionCodes = [
  'EVENT_UNKNOWN',
  'EVENT_NOT_ALLOWED',
  'ROLE_NOT_ALLOWED',
  /** The role may send the event, but the event is for the case's holder (or its team). */
  'ACTOR_NOT_ALLOWED',
  'PAYLOAD_INVALID',
  'CONSENT_MISSING',
  'NO_GATE_MATCHED',
  'CASE_CLOSED',
  'REOPEN_NOT_ALLOWED',
  'REFERRAL_SOURCE_UNKNOWN',
  'MIGRATION_REFUSED',
  /** A payload field that names a person (a new holder, a team member) holds no person id. */
  'PERSON_ID_INVALID',
] as const;
export type RejectionCode = (typeof RejectionCodes)[number];

export interface Rejection {
  code: RejectionCode;
  /** English, for logs and developers. */
  message: string;
  /** The same in Norwegian bokmål, for the person who sent the event. */
  nb?: string;
  /**
   * Field-level reasons; `path` is a JSON pointer into the payload (e.g. `/outcome`), `message`
   * English, `nb` the same in bokmål.
   */
  details: Array<{ path: string; message: string; nb: string }>;
  /** For EVENT_NOT_ALLOWED / ROLE_NOT_ALLOWED / ACTOR_NOT_ALLOWED: what the actor may send now. */
  allowedEvents?: EventId[];
}

/** A transition as it happened, for the case history. */
export interface Transitioned {
  from: StepId | null;
  to: StepId;
  event: EventId;
}

export type StepResult =
  | { ok: true; state: CaseState; effects: SideEffect[]; transition: Transitioned }
  | { ok: false; rejection: Rejection };

/** An event an actor may send now, with the form to fill in. */
export interface AllowedEvent {
  type: EventId;
  title: string;
  description?: string;
  payloadSchema: Record<string, unknown>;
  /** Steps the event may lead to (gates in order). */
  targets: StepId[];
}
