/**
 * Teams of a kind: refused at the JSON path a process owner edits, with a stable code and a
 * Norwegian message; the two-team fixture itself is valid.
 */
import resourceTeams from '../workflows/fixtures/resource-teams.json';
import { expectOneRefusal, refusalsAfterEdit } from './helpers/refusals';

type Editable = {
  teams: Record<string, { kind: string; meetings: { anchorDate: string; every: string } }>;
  steps: Record<
    string,
    { on?: Record<string, { effects?: Array<Record<string, unknown>> }>; timers?: object[] }
  >;
  events: Record<string, { payload: { properties: Record<string, Record<string, unknown>> } }>;
};

const errorsOf = (edit: (c: Editable) => void) => refusalsAfterEdit(resourceTeams, edit);

const sendEffect = (c: Editable) => c.steps.kartlegging!.on!.sendTilRessursteam!.effects![0]!;
const moteTimer = (c: Editable) => c.steps.ressursteam!.timers![0] as Record<string, unknown>;

test('when two teams of one kind each have their own meetings, and a form chooses among them, then the config is valid', () => {
  expect(errorsOf(() => {})).toEqual([]);
});

test('when an effect names a team kind no team has, then it is refused at its "kind" with a suggestion', () => {
  expect(errorsOf((c) => (sendEffect(c).kind = 'ressurstem'))).toEqual([
    {
      code: 'TEAM_KIND_UNKNOWN',
      path: '/steps/kartlegging/on/sendTilRessursteam/effects/0/kind',
      message: 'no team in "teams" is of kind "ressurstem"',
      nb: 'Ingen team under «teams» er av typen «ressurstem». Mente du «ressursteam»?',
      hint: 'did you mean "ressursteam"?',
    },
  ]);
});

test('when a meeting timer follows a team kind no team has, then it is refused at the timer’s "team"', () => {
  expectOneRefusal(
    errorsOf((c) => (moteTimer(c).team = 'familieteam')),
    {
      code: 'TEAM_KIND_UNKNOWN',
      path: '/steps/ressursteam/timers/0/team',
    },
  );
});

test('when the form offers a value that is not a team of the kind, then it is refused at that enum value', () => {
  const errors = errorsOf(
    (c) =>
      (c.events.sendTilRessursteam!.payload.properties.ressursteam!.enum = [
        'ressursteam-nord',
        'ressursteam-vest',
      ]),
  );
  expect(errors).toEqual([
    {
      code: 'TEAM_NOT_OF_KIND',
      path: '/events/sendTilRessursteam/payload/properties/ressursteam/enum/1',
      message: '"ressursteam-vest" is not a team of kind "ressursteam"',
      nb: '«ressursteam-vest» er ikke et team av typen «ressursteam». Teamene er: ressursteam-nord, ressursteam-sor.',
      hint: 'teams of kind "ressursteam": ressursteam-nord, ressursteam-sor',
    },
  ]);
});

test('when the team is chosen in free text, then the form field is refused: it must list the teams', () => {
  const errors = errorsOf(
    (c) => delete c.events.sendTilRessursteam!.payload.properties.ressursteam!.enum,
  );
  expectOneRefusal(errors, {
    code: 'TEAM_FIELD_NOT_A_CHOICE',
    path: '/events/sendTilRessursteam/payload/properties/ressursteam',
    hint: '"enum": ["ressursteam-nord","ressursteam-sor"]',
  });
});

test('when the team is read from a field the form does not have, then it is refused at "from"', () => {
  expectOneRefusal(
    errorsOf((c) => (sendEffect(c).from = 'team')),
    {
      code: 'TEAM_FIELD_NOT_IN_FORM',
      path: '/steps/kartlegging/on/sendTilRessursteam/effects/0/from',
    },
  );
});

test('when a team’s anchor date is not a date, then it is refused at "anchorDate"', () => {
  const errors = errorsOf((c) => (c.teams['ressursteam-nord']!.meetings.anchorDate = '2027-02-30'));
  expect(errors.map((e) => e.path)).toEqual(['/teams/ressursteam-nord/meetings/anchorDate']);
});

test('when a team meets every 12 hours, then it is refused at "every": meetings are whole days apart', () => {
  expectOneRefusal(
    errorsOf((c) => (c.teams['ressursteam-sor']!.meetings.every = 'PT12H')),
    {
      code: 'TEAM_MEETING_INTERVAL',
      path: '/teams/ressursteam-sor/meetings/every',
    },
  );
});

test('when a meeting timer follows a team kind but nothing puts a case on such a team, then it is refused at the timer’s "team"', () => {
  const errors = errorsOf((c) => {
    delete c.steps.kartlegging!.on!.sendTilRessursteam!.effects;
    delete c.steps.ressursteam!.on!.byttRessursteam!.effects;
  });
  expectOneRefusal(errors, {
    code: 'TEAM_NEVER_ASSIGNED',
    path: '/steps/ressursteam/timers/0/team',
  });
});

test('when a rule reads the case’s team of a kind no team has, then it is refused at the rule, with the kinds there are', () => {
  const gate = (kind: string) => (c: Editable) => {
    (c.steps.ressursteam!.on as Record<string, unknown>).avslutt = [
      { when: { '==': [{ var: `case.teams.${kind}` }, 'ressursteam-nord'] }, target: 'avsluttet' },
    ];
  };
  expect(errorsOf(gate('ressursteam'))).toEqual([]);
  expectOneRefusal(errorsOf(gate('ressurstem')), {
    code: 'TEAM_KIND_UNKNOWN',
    path: expect.stringMatching(/^\/steps\/ressursteam\/on\/avslutt\/0\/when\//),
    nb: '«case.teams.ressurstem» må være case.teams.<type> for en teamtype under «teams» (ressursteam). Mente du «case.teams.ressursteam»?',
  });
});
