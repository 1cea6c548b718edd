/**
 * Every config error code is produced by some config (#11): for each code in
 * config/config-error-codes.ts, one minimal edit of a seed (or the minimal fixture) that yields
 * exactly that code at its JSON path. A code without a case fails the test, and so does a case
 * that stops producing its code. Pure validation: no servers, no files but one missing one.
 */
import { join } from 'node:path';
import { loadConfigFile, validateConfig, validateConfigText, type ConfigError } from '../../config';
import { ConfigErrorCodes, type ConfigErrorCode } from '../../config/config-error-codes';
import { compileErrors } from '../../machines';
import sharedRules from '../workflows/fixtures/shared-rules.json';
import { minimalConfig } from './helpers/fixtures';
import { seedConfig } from '../store/helpers';

// Configs are edited freely here into invalid shapes; a valid config's types would be in the way.
type Config = any;

type Base = 'minimal' | 'oygarden' | 'lorenskog' | 'shared-rules';

interface Case {
  /** The JSON path the error must have. */
  path: string;
  /** Which config to start from (default the minimal fixture). */
  base?: Base;
  /** The minimal edit that makes the config wrong. */
  edit?: (c: Config) => void;
  /** Or: the config's text, as pasted (syntax, duplicates, depth). */
  text?: (minimalText: string) => string;
  /** Or: read this file. */
  file?: string;
  /** Run the engine's compile (the last check before publishing) instead of the validator. */
  compile?: true;
  /** Other codes the same edit cannot help producing. */
  also?: ConfigErrorCode[];
}

const bases: Record<Base, () => Config> = {
  minimal: () => minimalConfig(),
  oygarden: () => seedConfig('oygarden'),
  lorenskog: () => seedConfig('lorenskog'),
  'shared-rules': () => structuredClone(sharedRules),
};

const CASES: Record<ConfigErrorCode, Case> = {
  JSON_SYNTAX: { path: '', text: () => '{\n  "id": "minimal",\n}' },
  JSON_TOO_DEEP: {
    path: `/steps${'/0'.repeat(255)}`,
    text: () => `{"id": "minimal", "steps": ${'['.repeat(400)}${']'.repeat(400)}}`,
  },
  DUPLICATE_KEY: { path: '/name', text: (t) => t.replace('"name":', '"name": "x",\n  "name":') },
  FILE_UNREADABLE: { path: '', file: join(__dirname, 'fixtures', 'no-such-kommune.json') },
  ID_MISMATCH: { path: '/id', text: (t) => t.replace('"id": "minimal"', '"id": "annen"') },

  SCHEMA_ADDITIONAL_PROPERTIES: { path: '/colour', edit: (c) => (c.colour = 'blue') },
  SCHEMA_REQUIRED: { path: '/steps/talk/title', edit: (c) => delete c.steps.talk.title },
  SCHEMA_TYPE: { path: '/roles/teacher/title', edit: (c) => (c.roles.teacher.title = 5) },
  SCHEMA_ENUM: { path: '/steps/talk/level', edit: (c) => (c.steps.talk.level = 4) },
  SCHEMA_FORMAT: {
    path: '/steps/team/timers/0/anchorDate',
    edit: (c) => (c.steps.team.timers[0].anchorDate = '2026-13-45'),
  },
  SCHEMA_MIN_LENGTH: { path: '/roles/teacher/title', edit: (c) => (c.roles.teacher.title = '') },
  SCHEMA_MIN_ITEMS: { path: '/steps/worry/on/ASSESS', edit: (c) => (c.steps.worry.on.ASSESS = []) },
  SCHEMA_MIN_PROPERTIES: { path: '/referralSources', edit: (c) => (c.referralSources = {}) },
  SCHEMA_UNIQUE_ITEMS: {
    path: '/events/ASSESS/roles',
    edit: (c) => (c.events.ASSESS.roles = ['teacher', 'teacher']),
  },
  SCHEMA_MINIMUM: {
    path: '/consentTypes/sharing/youthMinAge',
    edit: (c) => (c.consentTypes.sharing.youthMinAge = -1),
  },
  SCHEMA_MAXIMUM: {
    path: '/consentTypes/sharing/youthMinAge',
    edit: (c) => (c.consentTypes.sharing.youthMinAge = 30),
  },
  SCHEMA_MAX_ITEMS: {
    path: '/sharedEvents/trekkSamtykke/steps',
    base: 'shared-rules',
    edit: (c) =>
      (c.sharedEvents.trekkSamtykke.steps = Array.from({ length: 201 }, (_, i) => `s${i}`)),
  },
  SCHEMA_MAX_LENGTH: {
    path: '/familyTexts/opened',
    base: 'oygarden',
    edit: (c) => (c.familyTexts.opened = 'x'.repeat(3000)),
  },
  SCHEMA_MAX_PROPERTIES: {
    path: '/teams',
    base: 'oygarden',
    edit: (c) => {
      const team = Object.values(c.teams)[0];
      c.teams = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`t${i}`, team]));
    },
  },
  SCHEMA_INVALID: {
    path: '/sharedEvents/trekkSamtykke/levels',
    base: 'shared-rules',
    // `oneOf` (a list or a range), a keyword without a code of its own; each branch says why too.
    edit: (c) => (c.sharedEvents.trekkSamtykke.levels = 'x'),
    also: ['SCHEMA_TYPE'],
  },
  INVALID_ID: { path: '/steps/bad step', edit: (c) => (c.steps['bad step'] = c.steps.talk) },
  INVALID_KOMMUNE_ID: { path: '/id', edit: (c) => (c.id = 'Minimal Kommune') },
  INVALID_DURATION: {
    path: '/steps/worry/timers/0/after',
    edit: (c) => (c.steps.worry.timers[0].after = '14 dager'),
  },

  UNKNOWN_STEP: { path: '/reopen/step', edit: (c) => (c.reopen.step = 'tlak') },
  UNKNOWN_EVENT: {
    path: '/steps/talk/on/XYZZY',
    edit: (c) => (c.steps.talk.on.XYZZY = { target: 'closed' }),
  },
  UNKNOWN_ROLE: {
    path: '/events/ASSESS/roles/0',
    edit: (c) => (c.events.ASSESS.roles = ['rektor']),
  },
  UNKNOWN_CONSENT_TYPE: {
    path: '/events/REFER/requiresConsent/0',
    edit: (c) => (c.events.REFER.requiresConsent = ['sharng']),
  },
  UNKNOWN_TEMPLATE: {
    path: '/steps/worry/timers/0/onExpiry/1/template',
    edit: (c) => (c.steps.worry.timers[0].onExpiry[1].template = 'remindr'),
  },
  UNKNOWN_SURVEY: {
    path: '/steps/closed/onEnter/0/survey',
    edit: (c) => (c.steps.closed.onEnter[0].survey = 'feedbak'),
  },
  UNKNOWN_CASE_FIELD: {
    path: '/steps/worry/on/ASSESS/0/effects/0/field',
    edit: (c) => (c.steps.worry.on.ASSESS[0].effects[0].field = 'riskScor'),
  },
  UNKNOWN_FIELD_PROPERTY: {
    path: '/steps/worry/on/ASSESS/0/when/>=/0/var/0',
    edit: (c) =>
      (c.steps.worry.on.ASSESS[0].when = { '>=': [{ var: ['data.riskScore.x', 0] }, 4] }),
  },
  UNKNOWN_PAYLOAD_PROPERTY: {
    path: '/steps/worry/on/ASSESS/0/when/>=/0/var',
    edit: (c) => (c.steps.worry.on.ASSESS[0].when = { '>=': [{ var: 'payload.scor' }, 4] }),
  },
  NO_PAYLOAD_TO_READ: {
    path: '/steps/worry/timers/0/onExpiry/0/value/var',
    edit: (c) =>
      (c.steps.worry.timers[0].onExpiry[0] = {
        type: 'record',
        field: 'riskScore',
        value: { var: 'payload.score' },
      }),
  },
  RESERVED_ROLE_ID: { path: '/roles/system', edit: (c) => (c.roles.system = { title: 'System' }) },
  DUPLICATE_CAPACITY_RULE: {
    path: '/capacity/1/role',
    edit: (c) => c.capacity.push({ role: 'leader', maxOpenCases: 3, whenFull: 'wait' }),
  },
  SEND_OUTSIDE_TIMER: {
    path: '/steps/team/onEnter/1/type',
    edit: (c) => c.steps.team.onEnter.push({ type: 'send', event: 'MEETING' }),
  },
  UNKNOWN_RECIPIENT: {
    path: '/steps/worry/timers/1/onExpiry/0/role',
    edit: (c) => (c.steps.worry.timers[1].onExpiry[0].role = 'parents'),
  },
  TEMPLATE_UNKNOWN_VARIABLE: {
    path: '/templates/reminder/body',
    edit: (c) => (c.templates.reminder.body = 'Sak {{saksnummer}} har frist {{dueAt}}.'),
  },
  TEMPLATE_UNCLOSED_PLACEHOLDER: {
    path: '/templates/reminder/title',
    edit: (c) => (c.templates.reminder.title = 'Påminnelse {{frist'),
  },
  TEMPLATE_LINK_OUTSIDE_FEEDBACK: {
    path: '/templates/feedback/body',
    edit: (c) => (c.steps.worry.timers[1].onExpiry[0].template = 'feedback'),
  },
  FEEDBACK_TEMPLATE_WITHOUT_LINK: {
    path: '/steps/closed/onEnter/1/template',
    edit: (c) => (c.steps.closed.onEnter[1].template = 'reminder'),
  },

  RULE_NOT_ONE_OPERATOR: {
    path: '/steps/worry/on/ASSESS/0/when',
    edit: (c) => (c.steps.worry.on.ASSESS[0].when = { '==': [1, 1], '!=': [1, 2] }),
  },
  RULE_UNKNOWN_OPERATOR: {
    path: '/steps/worry/on/ASSESS/0/when/eval',
    edit: (c) => (c.steps.worry.on.ASSESS[0].when = { eval: ['1'] }),
  },
  RULE_MAYBE_MISSING_VALUE: {
    path: '/steps/worry/on/ASSESS/0/when/>=/0/var',
    edit: (c) => (c.steps.worry.on.ASSESS[0].when = { '>=': [{ var: 'data.riskScore' }, 4] }),
  },
  RULE_UNKNOWN_ROOT: {
    path: '/steps/worry/on/ASSESS/0/when/==/0/var',
    edit: (c) => (c.steps.worry.on.ASSESS[0].when = { '==': [{ var: 'foo.bar' }, 1] }),
  },
  RULE_UNKNOWN_ACTOR_FACT: {
    path: '/steps/worry/on/ASSESS/0/when/==/0/var',
    edit: (c) => (c.steps.worry.on.ASSESS[0].when = { '==': [{ var: 'actor.name' }, 'x'] }),
  },
  RULE_UNKNOWN_CASE_FACT: {
    path: '/steps/worry/on/ASSESS/0/when/==/0/var',
    edit: (c) => (c.steps.worry.on.ASSESS[0].when = { '==': [{ var: 'case.colour' }, 'x'] }),
  },

  DUPLICATE_TIMER_ID: {
    path: '/steps/talk/timers/1/id',
    edit: (c) => (c.steps.talk.timers[1].id = 'follow-up'),
  },
  UNKNOWN_TIMER: {
    path: '/steps/worry/timers/1/timer',
    edit: (c) => (c.steps.worry.timers[1].timer = 'decid'),
  },
  REMINDER_OF_REMINDER: {
    path: '/steps/worry/timers/2/timer',
    edit: (c) =>
      c.steps.worry.timers.push({
        id: 'soon-soon',
        kind: 'reminder',
        timer: 'decide-soon',
        before: 'P1D',
        onExpiry: [{ type: 'markOverdue' }],
      }),
  },
  TIMER_SENDS_UNHANDLED_EVENT: {
    path: '/steps/talk/timers/0/onExpiry/0/event',
    edit: (c) => (c.steps.talk.timers[0].onExpiry[0].event = 'MEETING'),
    // FOLLOW_UP_DUE, which only this timer sent, is now sent by nothing.
    also: ['EVENT_NEVER_SENT'],
  },
  EXTEND_UNKNOWN_TIMER: {
    path: '/steps/talk/on/FOLLOW_UP/effects/1/timer',
    edit: (c) =>
      c.steps.talk.on.FOLLOW_UP.effects.push({
        type: 'extendTimer',
        timer: 'stil',
        by: 'P7D',
        upTo: 'P30D',
      }),
  },
  EXTEND_LEAVES_STEP: {
    path: '/steps/worry/on/ASSESS/1/effects/0/type',
    edit: (c) =>
      (c.steps.worry.on.ASSESS[1].effects = [
        { type: 'extendTimer', timer: 'decide', by: 'P7D', upTo: 'P30D' },
      ]),
  },
  EXTEND_OUTSIDE_TRANSITION: {
    path: '/steps/team/onEnter/1/type',
    edit: (c) =>
      c.steps.team.onEnter.push({ type: 'extendTimer', timer: 'meeting', by: 'P7D', upTo: 'P30D' }),
  },
  ZERO_DURATION: {
    path: '/steps/worry/timers/0/after',
    edit: (c) => (c.steps.worry.timers[0].after = 'P0D'),
  },
  WORKING_DAYS_WITH_TIME: {
    path: '/steps/worry/timers/0/after',
    edit: (c) => (c.steps.worry.timers[0].after = 'PT2H'),
  },

  CLOSING_REASON_NOT_A_CHOICE: {
    path: '/steps/worry/on/ASSESS/1/target',
    edit: (c) => (c.steps.closed.final.reasonField = 'coordinator'),
  },
  SAME_STEP_TARGET_UNCLEAR: {
    path: '/steps/talk/on/FOLLOW_UP/target',
    edit: (c) => (c.steps.talk.on.FOLLOW_UP.target = 'talk'),
  },
  REENTER_ON_LEAVING_TRANSITION: {
    path: '/steps/talk/on/FOLLOW_UP_DUE/reenter',
    edit: (c) => (c.steps.talk.on.FOLLOW_UP_DUE.reenter = true),
  },
  FINAL_STEP_HANDLES_EVENTS: {
    path: '/steps/closed/on',
    edit: (c) => (c.steps.closed.on = { WITHDRAW: { target: 'withdrawn' } }),
  },
  FINAL_STEP_HAS_TIMERS: {
    path: '/steps/closed/timers',
    edit: (c) =>
      (c.steps.closed.timers = [
        { id: 'x', kind: 'inactivity', after: 'P1D', onExpiry: [{ type: 'markOverdue' }] },
      ]),
  },
  GATE_BRANCH_UNREACHABLE: {
    path: '/steps/worry/on/ASSESS/1',
    edit: (c) => c.steps.worry.on.ASSESS.unshift({ target: 'closed' }),
  },
  STEP_UNREACHABLE: {
    path: '/steps/orphan',
    edit: (c) =>
      (c.steps.orphan = {
        title: 'Foreldreløs',
        level: 0,
        holderRole: 'teacher',
        on: { WITHDRAW: { target: 'withdrawn' } },
      }),
  },
  STEP_NO_WAY_OUT: {
    path: '/steps/limbo',
    edit: (c) => {
      c.steps.limbo = { title: 'Limbo', level: 0, holderRole: 'teacher' };
      c.steps.worry.on.ASSESS[1].target = 'limbo';
    },
  },
  STEP_CANNOT_END: {
    path: '/steps/loop-a',
    edit: (c) => {
      c.steps['loop-a'] = {
        title: 'A',
        level: 0,
        holderRole: 'teacher',
        on: { WITHDRAW: { target: 'loop-b' } },
      };
      c.steps['loop-b'] = {
        title: 'B',
        level: 0,
        holderRole: 'teacher',
        on: { WITHDRAW: { target: 'loop-a' } },
      };
      c.steps.worry.on.ASSESS[1].target = 'loop-a';
    },
  },
  REOPEN_INTO_FINAL_STEP: { path: '/reopen/step', edit: (c) => (c.reopen.step = 'closed') },
  RETENTION_WHOLE_DAYS: {
    path: '/retention/closedCases',
    edit: (c) => (c.retention = { closedCases: 'P1YT12H' }),
  },
  RETENTION_SHORTER_THAN_REOPEN: {
    path: '/retention/byFinalStep/withdrawn',
    edit: (c) => (c.retention = { closedCases: 'P5Y', byFinalStep: { withdrawn: 'P3M' } }),
  },
  RETENTION_TOO_LONG: {
    path: '/retention/accessLog',
    edit: (c) => (c.retention = { closedCases: 'P5Y', accessLog: 'P999999999Y' }),
  },
  RETENTION_STEP_NOT_FINAL: {
    path: '/retention/byFinalStep/talk',
    edit: (c) => (c.retention = { closedCases: 'P5Y', byFinalStep: { talk: 'P1Y' } }),
  },
  EVENT_NEVER_SENT: {
    path: '/events/NOBODY/roles',
    edit: (c) => {
      c.events.NOBODY = { title: 'Ingen', roles: [] };
      c.steps.talk.on.NOBODY = { target: 'closed' };
    },
  },

  FORM_SCHEMA_INVALID: {
    path: '/events/ASSESS/payload',
    edit: (c) => (c.events.ASSESS.payload.properties.score.type = 'heltall'),
  },
  FORM_NOT_OBJECT: {
    path: '/events/WITHDRAW/payload/type',
    edit: (c) => (c.events.WITHDRAW.payload = { type: 'string' }),
  },
  FORM_REQUIRES_UNDECLARED: {
    path: '/events/ASSESS/payload/required/1',
    edit: (c) => c.events.ASSESS.payload.required.push('scroe'),
  },
  FORM_BOUND_TOO_HIGH: {
    path: '/events/REFER/payload/properties/coordinator/maxLength',
    edit: (c) => (c.events.REFER.payload.properties.coordinator.maxLength = 1_000_000),
  },
  PATTERN_NOT_SUPPORTED: {
    path: '/events/REFER/payload/properties/coordinator/pattern',
    edit: (c) => (c.events.REFER.payload.properties.coordinator.pattern = '(?=x)'),
  },

  FAMILY_ROLE_SEES_KOMMUNE: {
    path: '/roles/foresatt/sees',
    base: 'oygarden',
    edit: (c) => (c.roles.foresatt.sees = 'kommune'),
  },
  FAMILY_ROLE_AUDITS_ACCESS: {
    path: '/roles/foresatt/auditsAccess',
    base: 'oygarden',
    edit: (c) => (c.roles.foresatt.auditsAccess = true),
  },
  CONSENT_YOUTH_WITHOUT_AGE_FIELD: {
    path: '/consentTypes/sharing/givenBy',
    edit: (c) => delete c.consentTypes.sharing.ageField,
  },
  CONSENT_LOSS_UNHANDLED: {
    path: '/consentTypes/sharing',
    edit: (c) => delete c.consentTypes.sharing.whenLost,
    // CONSENT_LOST, which only the lost consent sent, is now sent by nothing.
    also: ['EVENT_NEVER_SENT'],
  },
  CONSENT_WHEN_LOST_NOT_HANDLED: {
    path: '/steps/team/on',
    edit: (c) => delete c.steps.team.on.CONSENT_LOST,
  },
  CONSENT_WHEN_LOST_STAYS: {
    path: '/steps/team/on/CONSENT_LOST/target',
    edit: (c) => (c.steps.team.on.CONSENT_LOST = { effects: [{ type: 'markOverdue' }] }),
  },
  CONSENT_WHEN_LOST_CONDITIONAL: {
    path: '/steps/team/on/CONSENT_LOST/when',
    edit: (c) =>
      (c.steps.team.on.CONSENT_LOST = {
        target: 'talk',
        when: { '==': [{ var: 'case.level' }, 2] },
      }),
  },
  CONSENT_GIVER_ROLE_NOT_FAMILY: {
    path: '/roles/teacher/consentsAs',
    edit: (c) => (c.roles.teacher.consentsAs = 'parent'),
  },
  CONSENT_FAMILY_ROLE_WITHOUT_KIND: {
    path: '/roles/parent',
    edit: (c) => {
      c.roles.parent = { title: 'Forelder', family: true };
      c.events.GIVE = { title: 'Gi samtykke', roles: ['parent'] };
      c.steps.talk.on.GIVE = { effects: [{ type: 'giveConsent', consent: 'sharing' }] };
    },
  },
  CONSENT_ROLE_NOT_A_GIVER: {
    path: '/events/GIVE/roles/0',
    edit: (c) => {
      c.roles.parent = { title: 'Forelder', family: true, consentsAs: 'parent' };
      c.consentTypes.sharing.givenBy = ['youth'];
      c.events.GIVE = { title: 'Gi samtykke', roles: ['parent'] };
      c.steps.talk.on.GIVE = { effects: [{ type: 'giveConsent', consent: 'sharing' }] };
    },
  },
  CONSENT_GIVER_FIELD_MISSING: {
    path: '/steps/talk/on/CONSENT/effects/0/givenByField',
    edit: (c) => delete c.steps.talk.on.CONSENT.effects[0].givenByField,
  },
  CONSENT_REQUIRES_ALL_ONE_GIVER: {
    path: '/consentTypes/sharing/requires',
    edit: (c) => {
      c.consentTypes.sharing.requires = 'all';
      c.consentTypes.sharing.givenBy = ['parent'];
    },
  },

  SHARED_EVENTS_UNKNOWN_STEP: {
    path: '/sharedEvents/trekkSamtykke/exceptSteps/0',
    base: 'shared-rules',
    edit: (c) => (c.sharedEvents.trekkSamtykke.exceptSteps = ['tverfaglig']),
  },
  SHARED_EVENTS_FINAL_STEP: {
    path: '/sharedEvents/trekkSamtykke/steps/0',
    base: 'shared-rules',
    edit: (c) => (c.sharedEvents.trekkSamtykke.steps = ['trukket']),
  },
  SHARED_EVENTS_STEP_HANDLES_ITSELF: {
    path: '/sharedEvents/trekkSamtykke/steps/0',
    base: 'shared-rules',
    edit: (c) => (c.sharedEvents.trekkSamtykke.steps = ['spesialist']),
  },
  SHARED_EVENTS_NO_STEPS: {
    path: '/sharedEvents/trekkSamtykke',
    base: 'shared-rules',
    edit: (c) => {
      c.sharedEvents.trekkSamtykke.levels = [0];
      c.sharedEvents.trekkSamtykke.exceptSteps = ['mottak'];
    },
    // "trukket" is reached only through the group.
    also: ['STEP_UNREACHABLE'],
  },
  SHARED_EVENTS_UNKNOWN_EVENT: {
    path: '/sharedEvents/trekkSamtykke/on/trekkSamtykk',
    base: 'shared-rules',
    edit: (c) => (c.sharedEvents.trekkSamtykke.on = { trekkSamtykk: { target: 'trukket' } }),
  },
  SHARED_EVENTS_BRANCH_NEVER_TAKEN: {
    path: '/sharedEvents/trekkSamtykke/on/trekkSamtykke/1',
    base: 'shared-rules',
    edit: (c) =>
      (c.sharedEvents.trekkSamtykke.on.trekkSamtykke = [
        { target: 'trukket' },
        { target: 'avsluttet' },
      ]),
  },
  SHARED_EVENTS_TWICE: {
    path: '/sharedEvents/igjen/on/trekkSamtykke',
    base: 'shared-rules',
    edit: (c) => (c.sharedEvents.igjen = structuredClone(c.sharedEvents.trekkSamtykke)),
  },
  COMPUTED_UNKNOWN: {
    path: '/computed/trengerTeam/>=/0/var',
    base: 'shared-rules',
    edit: (c) => (c.computed.trengerTeam = { '>=': [{ var: 'computed.sjekklisteskar' }, 5] }),
  },
  COMPUTED_CYCLE: {
    path: '/computed/sjekklisteskaar',
    base: 'shared-rules',
    edit: (c) => (c.computed.sjekklisteskaar = { '+': [{ var: 'computed.trengerTeam' }, 1] }),
  },
  COMPUTED_CHAIN_TOO_LONG: {
    path: '/computed/c9',
    base: 'shared-rules',
    edit: (c) => {
      c.computed.c0 = { '+': [1, 1] };
      for (let i = 1; i <= 9; i++)
        c.computed[`c${i}`] = { '+': [{ var: `computed.c${i - 1}` }, 1] };
    },
  },

  TEAM_MEETING_INTERVAL: {
    path: '/teams/ressursteam-nord/meetings/every',
    base: 'oygarden',
    edit: (c) => (c.teams['ressursteam-nord'].meetings.every = 'PT12H'),
  },
  TEAM_KIND_UNKNOWN: {
    path: '/steps/avklaringssamtale/on/registrerAvklaringssamtale/1/effects/1/kind',
    base: 'oygarden',
    edit: (c) =>
      (c.steps.avklaringssamtale.on.registrerAvklaringssamtale[1].effects[1].kind = 'familieteam'),
  },
  TEAM_FIELD_NOT_IN_FORM: {
    path: '/steps/avklaringssamtale/on/registrerAvklaringssamtale/1/effects/1/from',
    base: 'oygarden',
    edit: (c) =>
      (c.steps.avklaringssamtale.on.registrerAvklaringssamtale[1].effects[1].from = 'team'),
  },
  TEAM_FIELD_NOT_A_CHOICE: {
    path: '/events/registrerAvklaringssamtale/payload/properties/ressursteam',
    base: 'oygarden',
    edit: (c) => delete c.events.registrerAvklaringssamtale.payload.properties.ressursteam.enum,
  },
  TEAM_NOT_OF_KIND: {
    path: '/events/registrerAvklaringssamtale/payload/properties/ressursteam/enum/1',
    base: 'oygarden',
    edit: (c) =>
      (c.events.registrerAvklaringssamtale.payload.properties.ressursteam.enum[1] =
        'ressursteam-vest'),
  },
  TEAM_NEVER_ASSIGNED: {
    path: '/steps/ressursteam/timers/0/team',
    base: 'oygarden',
    edit: (c) => {
      for (const [step, event] of [
        ['avklaringssamtale', 'registrerAvklaringssamtale'],
        ['lavterskeltiltak', 'registrerOppfolgingssamtale'],
        ['ressursteam', 'byttRessursteam'],
      ])
        for (const t of [c.steps[step].on[event]].flat())
          t.effects = (t.effects ?? []).filter((e: { type: string }) => e.type !== 'assignTeam');
    },
  },

  FAMILY_TEXT_UNKNOWN_STEP: {
    path: '/familyTexts/steps/nosuch',
    base: 'oygarden',
    edit: (c) => (c.familyTexts.steps.nosuch = { title: 'x', text: 'y' }),
  },
  FAMILY_TEXT_UNKNOWN_EVENT: {
    path: '/familyTexts/events/nosuch',
    base: 'oygarden',
    edit: (c) => (c.familyTexts.events.nosuch = 'x'),
  },
  FAMILY_TEXT_UNKNOWN_TIMER: {
    path: '/familyTexts/timers/undring/nosuch',
    base: 'oygarden',
    edit: (c) => (c.familyTexts.timers.undring.nosuch = 'x'),
  },
  FAMILY_TEXT_UNKNOWN_CONSENT_TYPE: {
    path: '/familyTexts/consents/nosuch',
    base: 'oygarden',
    edit: (c) => (c.familyTexts.consents.nosuch = { title: 'x', text: 'y' }),
  },
  INVALID_PHONE: {
    path: '/familyTexts/contact/phone',
    base: 'oygarden',
    edit: (c) => (c.familyTexts.contact.phone = 'ring meg'),
  },
  LINK_NOT_HTTPS: {
    path: '/familyTexts/contact/url',
    base: 'oygarden',
    edit: (c) => (c.familyTexts.contact.url = 'http://www.oygarden.kommune.no'),
  },
  SCREENING_DUPLICATE_ID: {
    path: '/screening/ageBands/1/id',
    base: 'oygarden',
    edit: (c) => (c.screening.ageBands[1].id = c.screening.ageBands[0].id),
  },
  SCREENING_AGE_RANGE_EMPTY: {
    path: '/screening/ageBands/2/maxAge',
    base: 'oygarden',
    edit: (c) => (c.screening.ageBands[2].maxAge = 12),
  },
  SCREENING_AGE_BANDS_OVERLAP: {
    path: '/screening/ageBands/1/minAge',
    base: 'oygarden',
    edit: (c) => (c.screening.ageBands[1].minAge = 5),
  },
  SCREENING_SCORE_RANGE_EMPTY: {
    path: '/screening/ageBands/0/results/1/maxScore',
    base: 'oygarden',
    edit: (c) => {
      const r = c.screening.ageBands[0].results[1];
      r.maxScore = r.minScore - 1;
    },
    // The scores that band held now belong to no result.
    also: ['SCREENING_RESULTS_GAP'],
  },
  SCREENING_RESULTS_GAP: {
    path: '/screening/ageBands/0/results/1/minScore',
    base: 'oygarden',
    edit: (c) => (c.screening.ageBands[0].results[1].minScore += 1),
  },
  SCREENING_RESULTS_OVERLAP: {
    path: '/screening/ageBands/0/results/1/minScore',
    base: 'oygarden',
    edit: (c) => (c.screening.ageBands[0].results[1].minScore -= 1),
  },

  SURVEY_DUPLICATE_ID: {
    path: '/surveys/veivisersak/questions/1/id',
    base: 'lorenskog',
    edit: (c) => (c.surveys.veivisersak.questions[1].id = c.surveys.veivisersak.questions[0].id),
  },
  SURVEY_PARTNER_WITHOUT_INVITATION: {
    path: '/surveys/samarbeidspartnere',
    base: 'lorenskog',
    edit: (c) => delete c.surveys.samarbeidspartnere.invitation,
  },
  SURVEY_INVITATION_FOR_FAMILY: {
    path: '/surveys/veivisersak/invitation',
    base: 'lorenskog',
    edit: (c) => (c.surveys.veivisersak.invitation = 'samarbeidspartnerUndersokelse'),
  },
  TEMPLATE_CASE_VARIABLE_WITHOUT_CASE: {
    path: '/templates/samarbeidspartnerUndersokelse/body',
    base: 'lorenskog',
    edit: (c) => (c.templates.samarbeidspartnerUndersokelse.body += ' Sak {{saksnummer}}.'),
  },
  SURVEY_NOT_FOR_FAMILY: {
    path: '/steps/avsluttet_veivisersak/onEnter/0/survey',
    base: 'lorenskog',
    edit: (c) => (c.steps.avsluttet_veivisersak.onEnter[0].survey = 'samarbeidspartnere'),
  },

  SELF_REFERRAL_UNKNOWN_SOURCE: {
    path: '/selfReferral/referralSource',
    base: 'lorenskog',
    edit: (c) => (c.selfReferral.referralSource = 'selvhenvist'),
  },
  SELF_REFERRAL_FINAL_STEP: {
    path: '/selfReferral/step',
    base: 'lorenskog',
    edit: (c) => (c.selfReferral.step = 'avsluttet_veivisersak'),
  },
  SELF_REFERRAL_NO_PARENT_ROLE: {
    path: '/selfReferral',
    base: 'lorenskog',
    edit: (c) => (c.roles.foresatt.consentsAs = 'youth'),
  },
  SELF_REFERRAL_NOTIFY_HOLDER: {
    path: '/selfReferral/effects/0/role',
    base: 'lorenskog',
    edit: (c) => (c.selfReferral.effects[0].role = 'holder'),
  },

  ENGINE_COMPILE_FAILED: {
    path: '/events/ASSESS/payload',
    compile: true,
    edit: (c) => (c.events.ASSESS.payload.properties.score = { type: 'string', pattern: '(?=x)' }),
  },
};

const MINIMAL_TEXT = JSON.stringify(minimalConfig(), null, 2);

function errorsOf(c: Case): ConfigError[] {
  if (c.file) {
    const r = loadConfigFile(c.file);
    return r.ok ? [] : r.errors;
  }
  if (c.text) {
    const r = validateConfigText(c.text(MINIMAL_TEXT), {
      id: 'minimal',
      mismatch: 'this kommune',
      hint: () => 'set "id": "minimal"',
      nb: () => '«id» må være «minimal».',
    });
    return r.ok ? [] : r.errors;
  }
  const config = bases[c.base ?? 'minimal']();
  c.edit?.(config);
  if (c.compile) return compileErrors(config);
  const r = validateConfig(config);
  return r.ok ? [] : r.errors;
}

describe('every config error code has a config that produces it', () => {
  it('every code in the table of codes has a case here, and every case a code in the table', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(ConfigErrorCodes).sort());
  });

  it.each(Object.entries(CASES) as Array<[ConfigErrorCode, Case]>)(
    '%s: its minimal edit produces exactly that code at its path',
    (code, c) => {
      const errors = errorsOf(c);
      const found = errors.map((e) => ({ code: e.code, path: e.path }));
      expect(found).toContainEqual({ code, path: c.path });
      const allowed = new Set<string>([code, ...(c.also ?? [])]);
      expect(found.filter((e) => !allowed.has(e.code))).toEqual([]);
    },
  );
});
