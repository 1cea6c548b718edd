/**
 * People named in payloads: a new holder and team members are user ids, never free text, and a
 * case's team stays small enough for its search attribute. And who may see a case, by the
 * config's word and membership, with no role name special.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { KommuneConfig } from '../../config/types';
import {
  MAX_TEAM_MEMBERS,
  applyEvent,
  compileKommune,
  decodePseudonymKey,
  isCaseMember,
  openCase,
  pseudonym,
  roleSight,
  type Actor,
  type CaseState,
} from '../../machines';
import { accepted, compileSeed, holfIntake, rejected } from './support';

const T0 = '2027-05-03T07:00:00.000Z';
const T1 = '2027-05-04T07:00:00.000Z';
const veiviser: Actor = { id: 'veiviser-1', role: 'veiviser' };

/** A kommune whose one step adds team members from a list. */
const teamKommune: KommuneConfig = {
  id: 'teamby',
  name: 'Teamby',
  roles: { koordinator: { title: 'Koordinator' } },
  referralSources: { skole: { title: 'Skole' } },
  intake: { step: 'team', roles: ['koordinator'] },
  steps: {
    team: {
      title: 'Team',
      level: 2,
      holderRole: 'koordinator',
      on: { leggTil: { effects: [{ type: 'addTeamMember', from: 'medlemmer' }] } },
    },
  },
  events: {
    leggTil: {
      title: 'Legg til i teamet',
      roles: ['koordinator'],
      payload: {
        type: 'object',
        properties: {
          medlemmer: {
            type: 'array',
            items: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          },
        },
      },
    },
  },
};

describe('people named in payloads', () => {
  it('when an intake names a 3,000-character family coordinator, then it is refused naming the field, and no case opens', () => {
    const r = rejected(
      openCase(compileSeed('nav-holf'), {
        caseId: 'h-1',
        referralSource: 'nav_sosialtjeneste',
        payload: holfIntake('x'.repeat(3000)),
        actor: { id: 'v-1', role: 'nav_veileder' },
        now: T0,
      }),
    );
    expect(r).toMatchObject({
      code: 'PERSON_ID_INVALID',
      details: [{ path: '/familiekoordinator' }],
    });
    expect(r.message).toMatch(/"familiekoordinator" must name a person/);
  });

  it.each([
    ['a name with a space', 'Kari Nordmann'],
    ['a right-to-left override', 'veiviser-2\u202e'],
    ['a line break', 'veiviser-2\nveiviser-3'],
    ['65 characters', 'v'.repeat(65)],
  ])('when a handover names %s, then it is refused naming the field', (_label, id) => {
    const k = compileSeed('lorenskog');
    const s = accepted(
      openCase(k, {
        caseId: 'l-1',
        referralSource: 'innbygger',
        payload: { henvendelsesgjelder: 'barn' },
        actor: veiviser,
        now: T0,
      }),
    ).state;
    const r = rejected(
      applyEvent(k, s, { type: 'byttVeiviser', actor: veiviser, payload: { ansvarlig: id } }, T1),
    );
    expect(r).toMatchObject({ code: 'PERSON_ID_INVALID', details: [{ path: '/ansvarlig' }] });
  });

  it('when a handover names a user id, then the case changes hands', () => {
    const k = compileSeed('lorenskog');
    const s = accepted(
      openCase(k, {
        caseId: 'l-1',
        referralSource: 'innbygger',
        payload: { henvendelsesgjelder: 'barn' },
        actor: veiviser,
        now: T0,
      }),
    ).state;
    expect(
      accepted(
        applyEvent(
          k,
          s,
          { type: 'byttVeiviser', actor: veiviser, payload: { ansvarlig: 'veiviser-2@lorenskog' } },
          T1,
        ),
      ).state.holder?.id,
    ).toBe('veiviser-2@lorenskog');
  });

  it('when a team member is not a user id, then the whole command is refused at that member', () => {
    const k = compileKommune(teamKommune, 1);
    const s = accepted(
      openCase(k, {
        caseId: 't-1',
        referralSource: 'skole',
        actor: { id: 'k-1', role: 'koordinator' },
        now: T0,
      }),
    ).state;
    const r = rejected(
      applyEvent(
        k,
        s,
        {
          type: 'leggTil',
          actor: { id: 'k-1', role: 'koordinator' },
          payload: { medlemmer: [{ id: 'nav-2' }, { id: 'Ola Nordmann' }] },
        },
        T1,
      ),
    );
    expect(r).toMatchObject({ code: 'PERSON_ID_INVALID', details: [{ path: '/medlemmer/1/id' }] });
  });

  it(`when a team would grow past ${MAX_TEAM_MEMBERS} people, then the command is refused; up to that it is taken`, () => {
    const k = compileKommune(teamKommune, 1);
    const koordinator: Actor = { id: 'k-1', role: 'koordinator' };
    const s = accepted(
      openCase(k, { caseId: 't-1', referralSource: 'skole', actor: koordinator, now: T0 }),
    ).state;
    const people = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({ id: `p-${from + i}` }));
    const full = accepted(
      applyEvent(
        k,
        s,
        { type: 'leggTil', actor: koordinator, payload: { medlemmer: people(MAX_TEAM_MEMBERS) } },
        T1,
      ),
    ).state;
    expect(full.team).toHaveLength(MAX_TEAM_MEMBERS);
    // The same people again are no new members.
    expect(
      accepted(
        applyEvent(
          k,
          full,
          { type: 'leggTil', actor: koordinator, payload: { medlemmer: people(3) } },
          T1,
        ),
      ).state.team,
    ).toHaveLength(MAX_TEAM_MEMBERS);
    const r = rejected(
      applyEvent(
        k,
        full,
        {
          type: 'leggTil',
          actor: koordinator,
          payload: { medlemmer: people(1, MAX_TEAM_MEMBERS) },
        },
        T1,
      ),
    );
    expect(r).toMatchObject({ code: 'PAYLOAD_INVALID', details: [{ path: '/medlemmer' }] });
  });
});

describe('who may see a case', () => {
  const config: KommuneConfig = {
    ...teamKommune,
    roles: {
      koordinator: { title: 'Koordinator' },
      tilsyn: { title: 'Tilsyn', sees: 'kommune' },
      ungdom: { title: 'Ungdom', family: true },
    },
  };

  it('when roles are read, then each sees what the config says, whatever its name, and an unknown role sees nothing', () => {
    expect(roleSight(config, 'koordinator')).toBe('own');
    expect(roleSight(config, 'tilsyn')).toBe('kommune');
    expect(roleSight(config, 'ungdom')).toBe('family');
    expect(roleSight(config, 'foresatt')).toBeNull();
    expect(roleSight(config, 'constructor')).toBeNull();
  });

  it('when a person holds the case or is on its team, then they are a member; anyone else is not', () => {
    const state = {
      holder: { id: 'k-1', role: 'koordinator', since: T0 },
      team: [{ id: 'ungdom-1', role: 'ungdom' }],
    } as Pick<CaseState, 'holder' | 'team'>;
    expect(isCaseMember(state, 'k-1')).toBe(true);
    expect(isCaseMember(state, 'ungdom-1')).toBe(true);
    expect(isCaseMember(state, 'ungdom-2')).toBe(false);
  });
});

describe('pseudonyms of user ids', () => {
  it("when the workflow decodes the key from its input, then it gets the bytes the API encoded, and the same pseudonym as Node's HMAC", () => {
    for (let n = 0; n <= 33; n++) {
      const key = randomBytes(n);
      expect(Buffer.from(decodePseudonymKey(key.toString('base64')))).toEqual(key);
    }
    const key = randomBytes(32);
    const expected = `p-${createHmac('sha256', key).update('fk-1').digest().subarray(0, 18).toString('base64url')}`;
    expect(pseudonym(decodePseudonymKey(key.toString('base64')), 'fk-1')).toBe(expected);
  });
});
