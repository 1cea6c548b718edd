/** Who a message goes to: the people who hold the addressed role on the case, resolved from it. */
import { openCase, type CaseState } from '../../machines';
import { recipientsFor } from '../../machines/recipients';
import { accepted, compileSeed } from './support';

const k = compileSeed('lorenskog');
const opened = accepted(
  openCase(k, {
    caseId: 'r-1',
    referralSource: 'innbygger',
    payload: { henvendelsesgjelder: 'familie' },
    actor: { id: 'veiviser-1', role: 'veiviser' },
    now: '2027-03-01T08:00:00.000Z',
  }),
).state;
const state: CaseState = {
  ...opened,
  team: [
    { id: 'forelder-1', role: 'foresatt', contact: { email: 'a@example.no' } },
    { id: 'ungdom-1', role: 'ungdom' },
    { id: 'veiviser-2', role: 'veiviser' },
  ],
};

test('when a message is for the holder, the family or a role, then it goes to the people on the case who hold it, family members with their contact details', () => {
  expect(recipientsFor(state, k.config, 'holder')).toEqual([
    { kind: 'staff', id: 'veiviser-1', role: 'veiviser' },
  ]);
  expect(recipientsFor(state, k.config, 'family')).toEqual([
    { kind: 'family', id: 'forelder-1', role: 'foresatt', contact: { email: 'a@example.no' } },
    { kind: 'family', id: 'ungdom-1', role: 'ungdom' },
  ]);
  expect(recipientsFor(state, k.config, 'veiviser').map((r) => r.id)).toEqual([
    'veiviser-1',
    'veiviser-2',
  ]);
  // No one on the case is a leader: delivery looks the role up in the staff directory.
  expect(recipientsFor(state, k.config, 'leder')).toEqual([]);
});
