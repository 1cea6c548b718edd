/**
 * Lørenskog's digital consent through the API, with a family role's own token: a parent the
 * veiviser has added to the case sees it and consents signed in; the consent is recorded as
 * given by a parent, digitally by the family, whatever a form might say; a 12-year-old signed
 * in as the young person cannot consent themselves. The families' sign-in itself is another
 * issue (#13): tokens here come from the development issuer.
 */
import { startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';

jest.setTimeout(180_000);

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => stack?.stop());

test('when a parent added to the case consents with their own token, then the snapshot says a parent gave it digitally, and a form claiming otherwise or a 12-year-old is refused', async () => {
  const c = new CaseClient(stack, 'lorenskog');
  await c.open(
    'veiviser',
    'innbygger',
    { henvendelsesgjelder: 'ungdom', barnetsAlder: 12 },
    'veiviser-1',
  );
  await c.send('veiviser', 'avklarSakstype', { sakstype: 'koble_tjenester' }, 'veiviser-1');
  // Not on the case yet: the family's token sees nothing of it.
  expect((await c.get('foresatt', 'foresatt-1')).status).toBe(404);
  for (const [id, role] of [
    ['foresatt-1', 'foresatt'],
    ['ungdom-1', 'ungdom'],
  ])
    await c.send('veiviser', 'leggTilFamilie', { familiemedlem: { id, role } }, 'veiviser-1');

  const seen = await c.get('foresatt', 'foresatt-1');
  expect(seen.status).toBe(200);
  expect(seen.body.allowedEvents.map((e) => e.type).sort()).toEqual([
    'giSamtykke',
    'trekkSamtykke',
  ]);

  const claimed = await c.trySend('foresatt', 'giSamtykke', { gittAv: 'youth' }, 'foresatt-1');
  expect(claimed.status).toBe(422);
  const young = await c.trySend('ungdom', 'giSamtykke', {}, 'ungdom-1');
  expect(young.status).toBe(422);
  expect((young.body as any).error.details).toEqual([
    expect.objectContaining({
      message: 'the young person may consent from age 15; the case records age 12',
    }),
  ]);

  const given = await c.send('foresatt', 'giSamtykke', {}, 'foresatt-1');
  expect(given.consents).toEqual({
    tverrfaglig_samarbeid: { givenBy: 'parent', givenAt: expect.any(String), via: 'family' },
  });
  const asVeiviser = await c.send('veiviser', 'kobleTjenester', { tjeneste: 'nav' }, 'veiviser-1');
  expect(asVeiviser.consents).toEqual(given.consents);
});
