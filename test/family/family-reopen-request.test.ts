/**
 * The family's short way back (issue #13) against the real stack (Temporal dev server, worker,
 * API) and a real browser, with Lørenskog's seed: a parent on a closed case asks from their page
 * (with a confirm step), the page says who decides and keeps saying it after a reload; the
 * veiviser who held the case is told (outbox), sees it in the snapshot and in their case list,
 * declines, and reopens after the family asks again, which clears the request. Asking on an open
 * case is refused in bokmål and changes nothing; another family's member gets exactly what a
 * missing case gives. Outside the window: test/workflows and test/machines/family-view.test.ts.
 */
import { join } from 'node:path';
import { FileOutbox } from '../../activities';
import { eventually, http } from '../server/api-stack';
import type { CaseClient } from '../server/case-client';
import { useFamilyPageStack } from './family-page-stack';

jest.setTimeout(180_000);

const fx = useFamilyPageStack();

async function askToReopen(c: CaseClient, member: string, caseId = c.caseId) {
  const { revision } = (await c.get('veiviser', 'veiviser-1')).body;
  return http(
    fx.stack.baseUrl,
    'POST',
    `/api/v1/kommuner/lorenskog/cases/${caseId}/reopen-request`,
    {
      token: await fx.stack.token('lorenskog', 'foresatt', member),
      body: { expectedRevision: revision },
    },
  );
}

test('when a parent asks to reopen on the page, then the veiviser who held the case is told and sees it, and reopening clears it; an open case or another family is refused', async () => {
  const c = await fx.familyCase('foresatt-1');

  // Still open: refused in plain words, nothing changes.
  const early = await askToReopen(c, 'foresatt-1');
  expect([early.status, early.body.error.nb]).toEqual([
    422,
    'Saken er fortsatt åpen, så den trenger ikke åpnes igjen.',
  ]);
  expect((await c.get('veiviser', 'veiviser-1')).body.revision).toBe(c.revision);

  await c.send('veiviser', 'avsluttVeivisersak', { arsak: 'tjenester_koblet' }, 'veiviser-1');

  // Another family's member: exactly what a missing case gives.
  const notTheirs = await askToReopen(c, 'foresatt-2');
  const missing = await askToReopen(c, 'foresatt-2', `${c.caseId.slice(0, -2)}zz`);
  expect([notTheirs.status, notTheirs.body.error.code]).toEqual([404, 'CASE_NOT_FOUND']);
  expect([missing.status, missing.body.error.code]).toEqual([404, 'CASE_NOT_FOUND']);

  const page = await fx.openAs('foresatt-1', c.caseId);
  await page.getByRole('button', { name: 'Be om å åpne saken igjen' }).click();
  await page.getByRole('button', { name: 'Ja, be om å åpne saken' }).click();
  await page.locator('#melding', { hasText: 'Forespørselen er sendt.' }).waitFor();
  const sent = page.getByText(
    /^Dere ba om å åpne saken igjen .+\. Familieveiviser avgjør om den skal åpnes/,
  );
  await sent.waitFor();
  await page.reload();
  await sent.waitFor();
  expect(await page.getByRole('button', { name: 'Be om å åpne saken igjen' }).count()).toBe(0);

  // The veiviser who held it: in the snapshot, in their list, and told through the outbox.
  const snapshot = await c.get('veiviser', 'veiviser-1');
  expect(snapshot.body.reopenRequest).toEqual({ at: expect.any(String), by: 'foresatt' });
  const veiviserToken = await fx.stack.token('lorenskog', 'veiviser', 'veiviser-1');
  const listed = await eventually('the case listed as asked to reopen', async () => {
    const list = await http(
      fx.stack.baseUrl,
      'GET',
      '/api/v1/kommuner/lorenskog/cases?reopenRequested=true',
      { token: veiviserToken },
    );
    return list.body.cases.find((x: { caseId: string }) => x.caseId === c.caseId);
  });
  expect(listed).toMatchObject({ reopenRequested: true, heldByYou: true, status: 'closed' });
  const outbox = new FileOutbox(join(fx.stack.dataDir, 'outbox'), fx.stack.sealer);
  const told = await eventually('the holder told', async () =>
    (await outbox.list('lorenskog', c.caseId)).find((n) => n.template === 'reopenRequested'),
  );
  expect(told).toMatchObject({ kind: 'notify', to: 'holder', toId: 'veiviser-1' });

  // The holder declines: the page says so and the family may ask again.
  const declined = await http(fx.stack.baseUrl, 'POST', `${c.path}/reopen-request/decline`, {
    token: veiviserToken,
    body: { expectedRevision: snapshot.body.revision },
  });
  expect(declined.body.reopenRequest).toMatchObject({ declinedAt: expect.any(String) });
  await page.getByText(/kom til at saken ikke åpnes nå/).waitFor();
  expect((await askToReopen(c, 'foresatt-1')).status).toBe(200);

  // The holder reopens: the case is open and the request gone.
  const reopened = await http(fx.stack.baseUrl, 'POST', `${c.path}/reopen`, {
    token: veiviserToken,
    body: { expectedRevision: (await c.get('veiviser', 'veiviser-1')).body.revision },
  });
  expect(reopened.status).toBe(200);
  expect(reopened.body).toMatchObject({ status: 'open', reopenRequest: null });
  // The page follows the case live: open again, the way back is gone.
  await page.getByRole('heading', { name: 'Hva skjer videre' }).waitFor();
  expect(await page.getByText('Trenger dere hjelp igjen?').count()).toBe(0);
  await page.close();
});
