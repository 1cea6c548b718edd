/** What a reader of a case sees, and what a reader who is not on the case sees: nothing. */
import { openCase, type CaseState } from '../../machines';
import { caseView, visibleCaseView } from '../../machines/case-view';
import { accepted, compileSeed } from './support';

const k = compileSeed('lorenskog');
const state: CaseState = accepted(
  openCase(k, {
    caseId: 'v-1',
    referralSource: 'innbygger',
    payload: { henvendelsesgjelder: 'familie' },
    actor: { id: 'veiviser-1', role: 'veiviser' },
    now: '2027-03-01T08:00:00.000Z',
  }),
).state;

describe('the view of a case', () => {
  it("when the holder's role reads the case, then it sees the events it may send now; with no role, none", () => {
    expect(caseView(k, state, { role: 'veiviser' }).allowedEvents.map((e) => e.type)).toContain(
      'avklarSakstype',
    );
    expect(caseView(k, state).allowedEvents).toEqual([]);
  });

  it('when a command ran with a request hash, then the answer echoes it, and only then', () => {
    expect(caseView(k, state, { role: 'veiviser' }, 'h-1').requestHash).toBe('h-1');
    expect('requestHash' in caseView(k, state, { role: 'veiviser' })).toBe(false);
  });

  it('when someone who is not on the case asks as a member, then they get nothing, as for a case not opened yet', () => {
    expect(visibleCaseView(k, state, { role: 'veiviser' }, 'someone-else')).toBeNull();
    expect(visibleCaseView(k, null, { role: 'veiviser' })).toBeNull();
    expect(visibleCaseView(k, state, { role: 'veiviser' }, 'veiviser-1')?.state.caseId).toBe('v-1');
    expect(visibleCaseView(k, state, { role: 'veiviser' })?.state.caseId).toBe('v-1');
  });
});
