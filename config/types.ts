/**
 * The kommune sluice config: what a process owner writes in `config/kommuner/<id>.json`.
 * `config/schema/kommune-config.schema.json` is the JSON Schema twin of these types; the two
 * must change together. Everything here is plain data: rules are JSON Logic, never code.
 *
 * @module
 */

/** A JSON Schema (2020-12) object written inside the config, e.g. an event's payload form. */
export type JsonSchema = { [key: string]: unknown };

/**
 * A rule written as data (JSON Logic, https://jsonlogic.com). Evaluated against
 * `{ data, payload, consents, case }` where `data` is the case's recorded fields, `payload` the
 * event's payload, `consents` maps consent type → true when valid now, `case` has
 * `{ level, step, referralSource, openedAt }`. Example: `{ ">=": [{ "var": "data.riskScore" }, 4] }`.
 */
export type Rule = { [operator: string]: unknown } | boolean;

/**
 * ISO 8601 duration, subset: `P<n>Y`, `P<n>M`, `P<n>W`, `P<n>D`, `PT<n>H`, `PT<n>M` and
 * combinations such as `P1Y6M`. Working-day counting applies to whole days only.
 */
export type Duration = string;

/** Calendar days, or Norwegian working days (weekends and public holidays skipped). */
export const DayCounts = ['calendar', 'working'] as const;
export type DayCount = (typeof DayCounts)[number];

export const BtiLevels = [0, 1, 2, 3] as const;
export type BtiLevel = (typeof BtiLevels)[number];

/** How a case ends when it enters a final step. */
export const FinalOutcomes = ['closed', 'handed_over', 'withdrawn'] as const;
export type FinalOutcome = (typeof FinalOutcomes)[number];

export type RoleId = string;
export type StepId = string;
export type EventId = string;
export type ConsentTypeId = string;
export type TemplateId = string;

/** What a BTI level is called in one kommune. */
export interface LevelDef {
  title: string;
  description?: string;
}

export interface KommuneConfig {
  $schema?: string;
  /** Lower-case kebab id, also the file name: `oygarden`. */
  id: string;
  name: string;
  description?: string;
  /** Roles that may act on cases; the token's role must be one of these. */
  roles: Record<RoleId, RoleDef>;
  /** Who may report a case; recorded on every case for statistics. */
  referralSources: Record<string, { title: string }>;
  consentTypes?: Record<ConsentTypeId, ConsentTypeDef>;
  /** The case's recorded fields (JSON Schema per field). Rules and timers may only refer to these. */
  fields?: Record<string, JsonSchema>;
  /** Message templates for notifications; `{{field}}` placeholders refer to non-personal case facts. */
  templates?: Record<TemplateId, { title: string; body: string }>;
  intake: IntakeDef;
  /** How a family's own request for contact (from the families' door) opens a case. */
  selfReferral?: SelfReferralDef;
  /** The kommune's own names for its BTI levels (the diagram's bands); unnamed: "Nivå N". */
  levels?: Partial<Record<BtiLevel, LevelDef>>;
  steps: Record<StepId, StepDef>;
  events: Record<EventId, EventDef>;
  capacity?: CapacityRule[];
  reopen?: ReopenDef;
  /** How long closed cases' records are kept; left out, nothing is deleted. */
  retention?: RetentionDef;
  /**
   * Events handled in many steps, said once: each group picks steps by level and/or id and
   * handles its events there as if written in each step's `on`. A step's own handler wins.
   */
  sharedEvents?: Record<string, SharedEventsDef>;
  /**
   * Named values computed from the case's facts, defined once: rules read them as
   * `computed.<name>` (gates, recorded values). A computed value may use others, never in a cycle.
   */
  computed?: Record<string, Rule>;
  /**
   * Named teams, keyed by team id: several of one `kind` (e.g. two resource teams), each with
   * its own meeting schedule. A case is put on one team of a kind by `assignTeam`.
   */
  teams?: Record<TeamId, TeamDef>;
  /**
   * What the family reads on their own page, in plain bokmål: per step where the case is and what
   * happens next, a sentence per event they should see in the log, labels for the deadlines and
   * meetings that concern them, and how to reach the kommune. Staff titles are never shown there.
   */
  familyTexts?: FamilyTexts;
  /**
   * The public online self-assessment at `/familie/<kommune>/` (Øygarden's *vurdering online*):
   * questions per age band, and what a score means, in plain bokmål for families.
   */
  screening?: ScreeningDef;
  /**
   * Feedback forms and surveys served at `/tilbakemelding/{token}` from a single-use link that
   * `sendFeedbackLink` / `sendSurvey` effects send. Answers are kept without any link to the case.
   */
  surveys?: Record<SurveyId, SurveyDef>;
}

export type SurveyId = string;

/** One feedback form or survey (see `KommuneConfig.surveys`). */
export interface SurveyDef {
  /** The form's heading, e.g. "Hva synes du om hjelpen fra Familieveiviseren?". */
  title: string;
  /** Shown above the questions: why we ask, and that the answer is anonymous. */
  intro: string;
  /** Who answers: the wording of the pages, and which effects may send it (family only). */
  audience: 'family' | 'partner';
  /**
   * A partner survey's message: the template its link is sent with when a leader sends it to
   * people in the staff directory. Must carry `{{lenke}}`; no case variable (it has no case).
   */
  invitation?: TemplateId;
  /** How long a sent link can be answered, e.g. `P30D`. */
  expiresAfter: Duration;
  questions: SurveyQuestion[];
}

export type SurveyQuestion =
  | (SurveyQuestionBase & {
      type: 'scale';
      /** The five steps' labels, from 1 (lowest) to 5 (highest). */
      labels: [string, string, string, string, string];
    })
  | (SurveyQuestionBase & { type: 'choice'; options: Array<{ id: string; label: string }> })
  | (SurveyQuestionBase & {
      type: 'text';
      /** Longest answer in characters (default 1000). */
      maxLength?: number;
    });

interface SurveyQuestionBase {
  /** Unique in the survey; names the question in the statistics. */
  id: string;
  text: string;
  /** An answer is needed before the form is accepted (default false). */
  required?: boolean;
}

/** The family's page in words (see `KommuneConfig.familyTexts`); every key names a config id. */
export interface FamilyTexts {
  /** Name the staff who read the case (from the staff directory) beside their role; default: roles only. */
  showReaderNames?: boolean;
  /** How the family reaches the service while the system has no staff directory. */
  contact?: FamilyContact;
  /** Per step: a title and a text saying where the case is and what happens next. */
  steps?: Record<StepId, { title: string; text: string }>;
  /** The log line the family reads when this event happened; events without one stay hidden. */
  events?: Record<EventId, string>;
  /** The log line for the case being opened. */
  opened?: string;
  /** Per step, per timer id: the label of a deadline or meeting that concerns the family. */
  timers?: Record<StepId, Record<string, string>>;
  /** Per consent type: what the family agrees to (which services may share what), in plain words. */
  consents?: Record<ConsentTypeId, { title: string; text: string }>;
}

export interface FamilyContact {
  /** Who to ask for, e.g. "Familieveiviseren i Lørenskog kommune". */
  name: string;
  /** How and when to reach them, in a sentence or two. */
  text?: string;
  phone?: string;
  email?: string;
  url?: string;
}

/**
 * A self-assessment parents (or youth) fill in without signing in. Each age band has its own
 * questions and its own result bands, since a score's meaning depends on the questions asked.
 * Nothing about the person is kept: only how many finished it per month, age band and result.
 */
export interface ScreeningDef {
  /** The page's heading, e.g. "Hvordan har barnet ditt det?". */
  title: string;
  /** What the assessment is and that nothing about them is stored, before they start. */
  intro: string;
  /** Shown in age order; the ages of two bands never overlap. */
  ageBands: ScreeningAgeBand[];
}

export interface ScreeningAgeBand {
  id: string;
  /** How the family picks the band, e.g. "Barn 0–5 år". */
  title: string;
  /** The child's age in whole years, both ends included. */
  minAge: number;
  maxAge: number;
  questions: ScreeningQuestion[];
  /** Bands of score, together covering every score the questions can give, without overlap. */
  results: ScreeningResult[];
}

export interface ScreeningQuestion {
  id: string;
  text: string;
  /** A plain explanation under the question. */
  help?: string;
  options: ScreeningOption[];
}

export interface ScreeningOption {
  id: string;
  label: string;
  /** Points the answer adds to the score (whole points; 0 for "no worry"). */
  weight: number;
}

export interface ScreeningResult {
  id: string;
  /** Inclusive score range of this band. */
  minScore: number;
  maxScore: number;
  title: string;
  /** What the result means, in plain words. */
  meaning: string;
  /** What the family can do now. */
  whatYouCanDo: string;
  /** Local low-threshold offers for this result. */
  offers?: ScreeningOffer[];
  /** The result recommends a talk: the page offers "Be om en samtale". */
  recommendTalk: boolean;
}

export interface ScreeningOffer {
  name: string;
  text: string;
  /** How to reach it, e.g. "Ring 56 00 00 00 (hverdager 8–15)". */
  contact?: string;
  /** An https address with more about the offer. */
  link?: string;
}

/** Steps picked by a shared-events group: on one of `levels`, or named in `steps`; less `exceptSteps`. */
export interface SharedEventsDef {
  description?: string;
  /** BTI levels, as a list `[1, 2, 3]` or an inclusive range `{ "from": 1, "to": 3 }`. */
  levels?: BtiLevel[] | { from?: BtiLevel; to?: BtiLevel };
  steps?: StepId[];
  exceptSteps?: StepId[];
  /** The events handled in the picked steps, written as in a step's `on`. */
  on: Record<EventId, Transition | Transition[]>;
}

export type TeamId = string;

export interface TeamDef {
  /** What sort of team this is (e.g. `ressursteam`); a case has at most one team of each kind. */
  kind: string;
  title: string;
  description?: string;
  /** The team's fixed meeting dates: `anchorDate + k·every`. */
  meetings: { anchorDate: string; every: Duration };
}

export interface RoleDef {
  title: string;
  description?: string;
  /**
   * Which cases people in this role may see: `own` (the default) the cases they hold or are on
   * the team of; `kommune` every case of the kommune (a leader, the coordinating unit).
   */
  sees?: RoleSees;
  /** The role stands for the family (parents, youth): its own family's cases only, never `kommune`. */
  family?: boolean;
  /**
   * Keeps watch over privacy (a personvernombud): reads the access log and the deletion records
   * of the kommune, as leaders do, without seeing any case by that alone.
   */
  auditsAccess?: boolean;
  /**
   * A family role only: the kind of consent giver its people are. A consent they give is
   * recorded as given by this kind, from their token's role; a form field cannot say otherwise.
   */
  consentsAs?: ConsentGiver;
}

/** Who gives a consent: a parent, or the young person themselves. */
export const ConsentGivers = ['parent', 'youth'] as const;
export type ConsentGiver = (typeof ConsentGivers)[number];

export const RoleSeesValues = ['own', 'kommune'] as const;
export type RoleSees = (typeof RoleSeesValues)[number];

export interface ConsentTypeDef {
  title: string;
  /** Who may give it: a parent, or the young person themselves from `youthMinAge` (default 15). */
  givenBy: ConsentGiver[];
  /**
   * `any` (the default): one giver's consent is enough. `all`: every giver in `givenBy` must
   * consent; it holds only while each one's consent does (none withdrawn, none lapsed).
   */
  requires?: ConsentRequires;
  youthMinAge?: number;
  /** The case field with the child's age in years, read when the young person consents. */
  ageField?: string;
  /** Consent lapses after this long; a lapsed consent counts as absent. */
  validFor?: Duration;
  /**
   * The event the engine sends when this consent is withdrawn or lapses while the case is in a
   * step that requires it; each such step handles it with a way out (e.g. to a closing step).
   */
  whenLost?: EventId;
}

export const ConsentRequiresValues = ['any', 'all'] as const;
export type ConsentRequires = (typeof ConsentRequiresValues)[number];

export interface IntakeDef {
  /** The step a new case starts in. */
  step: StepId;
  /** Roles that may open a case. */
  roles: RoleId[];
  /** Form for the initial payload; its properties are recorded as case fields. */
  payload?: JsonSchema;
  effects?: Effect[];
}

/**
 * A family asks for contact themselves: a signed-in parent (a family role with `consentsAs`
 * `parent`), or a youth from `youthMinAge` (a family role with `consentsAs` `youth`), opens a case
 * in `step` with `referralSource`, their answers as its payload, and themselves on its team.
 */
export interface SelfReferralDef {
  step: StepId;
  /** A key of `referralSources`, e.g. `innbygger` ("the family itself"). */
  referralSource: string;
  /** The age from which a young person may sign in and ask for themselves; default 15. */
  youthMinAge?: number;
  /**
   * Messages sent when a family's request opens a case: it starts with no holder, so someone
   * (e.g. the leader) must hear that it waits. Only `notify` and `escalate`.
   */
  effects?: Extract<Effect, { type: 'notify' | 'escalate' }>[];
}

/** The default of `selfReferral.youthMinAge`. */
export const DEFAULT_SELF_REFERRAL_YOUTH_AGE = 15;

/** An exit step: how the case ends and why. */
export interface FinalDef {
  outcome: FinalOutcome;
  /** Why, in Norwegian. */
  reason: string;
  /** A payload property (an enum in the entering event's form) whose value is the reason instead. */
  reasonField?: string;
  /** The closed case keeps the level it had, instead of this step's. */
  keepLevel?: boolean;
}

export interface StepDef {
  title: string;
  description?: string;
  level: BtiLevel;
  /** The role of the stafettholder while the case is in this step. */
  holderRole: RoleId;
  /** Present on exit steps: the case ends here. */
  final?: FinalDef;
  /** Consent types the case must hold to enter this step. */
  requiresConsent?: ConsentTypeId[];
  /** Who among an event's roles may send events here; an event's own `actedBy` wins. */
  actedBy?: ActedBy;
  /** Effects run every time the case enters this step. */
  onEnter?: Effect[];
  /**
   * Events handled in this step. A list is a gate: the first transition whose `when` holds is
   * taken; a transition without `when` always holds. No `target` = stay in the step.
   */
  on?: Record<EventId, Transition | Transition[]>;
  timers?: TimerDef[];
}

export interface Transition {
  target?: StepId;
  /**
   * For a transition that stays in its step: true starts the step over (its timers restart,
   * its entry effects run); false or left out keeps the step as it is.
   */
  reenter?: boolean;
  when?: Rule;
  /** Shown to the coordinator when this gate's rule does not hold. */
  description?: string;
  effects?: Effect[];
}

export interface EventDef {
  title: string;
  description?: string;
  /** Roles that may send it. An empty list: only the engine sends it (from a timer). */
  roles: RoleId[];
  /** Payload form, JSON Schema 2020-12. Defaults to an empty object with no extra properties. */
  payload?: JsonSchema;
  /** Consent types the case must hold for this event to be accepted. */
  requiresConsent?: ConsentTypeId[];
  /** Who among `roles` may send it; left out: as the step says, else anyone with the role. */
  actedBy?: ActedBy;
}

/**
 * Who among the allowed roles may act on a case: its holder (the stafettholder), its team (the
 * holder counts) or anyone with the role. A case with no holder yet is open to the role, so
 * someone can take it.
 */
export const ActedByValues = ['holder', 'team', 'role'] as const;
export type ActedBy = (typeof ActedByValues)[number];

/** Anchors a timer's start. */
export const TimerAnchors = ['stepEntered', 'caseOpened'] as const;
export type TimerAnchor = (typeof TimerAnchors)[number];

export type TimerDef =
  | DeadlineTimer
  | ReminderTimer
  | RecurringTimer
  | InactivityTimer
  | MaxDurationTimer
  | DueDateTimer;

interface TimerBase {
  /** Unique within the step. */
  id: string;
  title?: string;
  days?: DayCount;
  onExpiry: Effect[];
}

/** Due `after` the anchor (default: entering the step). */
export interface DeadlineTimer extends TimerBase {
  kind: 'deadline';
  after: Duration;
  from?: TimerAnchor;
}

/** Due `before` another timer of the same step is due. */
export interface ReminderTimer extends TimerBase {
  kind: 'reminder';
  timer: string;
  before: Duration;
}

/** Due every `every` from `anchorDate` (fixed meeting dates) or from entering the step. */
export interface RecurringTimer extends TimerBase {
  kind: 'recurring';
  every: Duration;
  /** A case field holding a duration that overrides `every` (e.g. meeting frequency set by need). */
  everyField?: string;
  /** ISO date; occurrences are anchorDate + k·every. */
  anchorDate?: string;
  /**
   * A team kind: occurrences follow the meeting schedule of the case's team of this kind. A case
   * not yet on such a team uses `every`/`anchorDate`/`everyField` here; changing its team moves
   * the next occurrence.
   */
  team?: string;
}

/** Due `after` the last accepted event in the step: the case is standing still. */
export interface InactivityTimer extends TimerBase {
  kind: 'inactivity';
  after: Duration;
}

/** Like a deadline but meant as a hard limit (e.g. familielos phased out after 12 months). */
export interface MaxDurationTimer extends TimerBase {
  kind: 'maxDuration';
  after: Duration;
  from?: TimerAnchor;
}

/** Due on a date a coordinator chose in an event, recorded in case field `field`. */
export interface DueDateTimer extends TimerBase {
  kind: 'dueDate';
  field: string;
}

/**
 * What a transition, a step entry or a timer expiry does. State effects change the case;
 * side effects come back to the workflow as data and run as activities.
 */
export type Effect =
  /** Record a case field from a rule (`{ "var": "payload.x" }` copies a payload value). */
  | { type: 'record'; field: string; value: Rule }
  /** Set the BTI level without changing step (until the next step entry). */
  | { type: 'setLevel'; level: BtiLevel }
  /** Hand the case from the current holder to the person id in `holderField` of the payload. */
  | { type: 'handover'; holderField: string; role?: RoleId }
  /** Add a team member `{ id, role?, title? }` from the payload field. */
  | { type: 'addTeamMember'; from: string }
  /** Add action points from a payload array of `{ title, responsible, due? }`. */
  | { type: 'addActionPoints'; from: string }
  /** Mark the action points whose ids are in the payload field done. */
  | { type: 'completeActionPoints'; from: string }
  /**
   * Record a consent. Sent by a family role with `consentsAs`, the giver is that role's kind;
   * recorded by staff, who gave it (`parent`/`youth`) is read from the payload field.
   */
  | { type: 'giveConsent'; consent: ConsentTypeId; givenByField?: string }
  | { type: 'withdrawConsent'; consent: ConsentTypeId }
  /**
   * Notify the people holding `role` on the case, the holder (`holder`) or the case's family
   * (`family`).
   */
  | { type: 'notify'; role: RoleId | 'holder' | 'family'; template: TemplateId }
  /** Notify `role` and mark the case escalated. */
  | { type: 'escalate'; role: RoleId; template: TemplateId }
  | { type: 'markOverdue' }
  /** Send an engine event into the machine (timers only). */
  | { type: 'send'; event: EventId }
  /** Send the family a single-use link to the anonymous feedback form `survey` (in `surveys`). */
  | { type: 'sendFeedbackLink'; template: TemplateId; survey: SurveyId }
  /** Send the family a single-use link to the survey `survey` (in `surveys`), e.g. yearly. */
  | { type: 'sendSurvey'; template: TemplateId; survey: SurveyId }
  /** Move a deadline or maximum duration of this step later for this case, `upTo` in all. */
  | { type: 'extendTimer'; timer: string; by: Duration; upTo: Duration }
  /** Put the case on the team (of `kind`) whose id is in the payload field; replaces the last. */
  | { type: 'assignTeam'; kind: string; from: string };

export interface CapacityRule {
  /** Holders of this role hold at most `maxOpenCases` open cases at once. */
  role: RoleId;
  maxOpenCases: number;
  /** Reject the handover, or let the case wait in its step until the holder has room. */
  whenFull: 'reject' | 'wait';
}

/** The "short way back": a closed case may reopen within `within` straight into `step`. */
export interface ReopenDef {
  within: Duration;
  step: StepId;
  roles: RoleId[];
  payload?: JsonSchema;
}

/**
 * How long a closed case's records are kept, in Oslo calendar days from the day it closed
 * (machines/retention.ts); the statistics' facts are kept after that.
 */
export interface RetentionDef {
  /** Cases closed in an exit step without a rule of its own. */
  closedCases: Duration;
  /** By the exit step the case closed in. */
  byFinalStep?: Record<StepId, Duration>;
  /** The log of who read which case, from each read; left out, kept. */
  accessLog?: Duration;
}
