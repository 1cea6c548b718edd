/**
 * The family's copy of its case (#19): a parent on the case and staff who may read it download
 * everything held about it, as JSON and as a printable bokmål document; the copy's log is the
 * case's history entry for entry, in the config's words, with staff as roles and never by id;
 * each copy is one "export" in the access log, and a refused one is none.
 */
import { http, startApiStack, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';

jest.setTimeout(120_000);

let stack: ApiStack;
let kase: CaseClient;
let base: string;

beforeAll(async () => {
  stack = await startApiStack();
  kase = new CaseClient(stack, 'lorenskog');
  await kase.open(
    'veiviser',
    'innbygger',
    { henvendelsesgjelder: 'ungdom', barnetsAlder: 16 },
    'veiviser-1',
  );
  await kase.send('veiviser', 'avklarSakstype', { sakstype: 'koble_tjenester' }, 'veiviser-1');
  await kase.send(
    'veiviser',
    'leggTilFamilie',
    { familiemedlem: { id: 'foresatt-1', role: 'foresatt' } },
    'veiviser-1',
  );
  await kase.send('foresatt', 'giSamtykke', {}, 'foresatt-1');
  base = `/api/v1/kommuner/lorenskog/cases/${kase.caseId}`;
});
afterAll(async () => stack?.stop());

const exportsLogged = async () => {
  const leader = await stack.token('lorenskog', 'leder', 'leder-1');
  const log = await http(stack.baseUrl, 'GET', `${base}/access-log`, { token: leader });
  expect(log.status).toBe(200);
  return (log.body.entries as { what: string; role: string }[]).filter((e) => e.what === 'export');
};

test('when a parent on the case downloads a copy, then it holds the whole log in plain words, the consent they gave and the recorded case type, names staff by role only, and is logged once', async () => {
  const staffToken = await stack.token('lorenskog', 'veiviser', 'veiviser-1');
  const history = await http(stack.baseUrl, 'GET', `${base}/history`, { token: staffToken });
  expect(history.status).toBe(200);
  const before = await exportsLogged();

  const parent = await stack.token('lorenskog', 'foresatt', 'foresatt-1');
  const res = await http(stack.baseUrl, 'GET', `${base}/export`, { token: parent });
  expect(res.status).toBe(200);
  const doc = res.body;
  expect(doc).toMatchObject({
    format: 'sluse-case-export/1',
    kommune: { id: 'lorenskog', name: stack.configs.get('lorenskog')!.name },
    caseId: kase.caseId,
    exported: { byRole: stack.configs.get('lorenskog')!.roles.foresatt.title },
  });
  // The log is the case's history, entry for entry.
  const entries = history.body.entries as { seq: number; kind: string; at: string }[];
  expect(doc.log.map((e: any) => [e.seq, e.kind, e.at.at])).toEqual(
    entries.map((e) => [e.seq, e.kind, e.at]),
  );
  const config = stack.configs.get('lorenskog')!;
  const texts: string[] = doc.log.map((e: any) => e.text);
  expect(texts).toContain(
    `${config.events.avklarSakstype.title} (videre til «${config.steps.veivisersak.title}»)`,
  );
  expect(texts).toContain(config.events.giSamtykke.title);
  expect(texts).toContain(`Stafetten gitt fra ingen til ${config.roles.veiviser.title}`);
  expect(texts.some((t) => t.startsWith('Saken ble åpnet i «'))).toBe(true);
  expect(doc.consents).toEqual([
    expect.objectContaining({
      type: 'tverrfaglig_samarbeid',
      given: expect.objectContaining({ text: expect.any(String) }),
    }),
  ]);
  expect(doc.recorded).toContainEqual(
    expect.objectContaining({ field: 'sakstype', value: 'koble_tjenester' }),
  );
  // Staff by role title, never their user id.
  expect(JSON.stringify(doc)).not.toContain('veiviser-1');
  expect(doc.log.map((e: any) => e.byRole)).toContain(config.roles.veiviser.title);

  const after = await exportsLogged();
  expect(after.length - before.length).toBe(1);
  expect(after[0].role).toBe('foresatt');
});

test('when staff download the printable copy for the family, then it is a bokmål document with the log and the consent, and that copy is logged too', async () => {
  const staffToken = await stack.token('lorenskog', 'veiviser', 'veiviser-1');
  const before = await exportsLogged();
  const res = await fetch(`${stack.baseUrl}${base}/export.html`, {
    headers: { Authorization: `Bearer ${staffToken}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('content-disposition')).toBe(
    `attachment; filename="sak-${kase.caseId}.html"`,
  );
  const html = await res.text();
  const config = stack.configs.get('lorenskog')!;
  expect(html).toContain('<html lang="nb">');
  expect(html).toContain('Stafettloggen');
  expect(html).toContain(config.events.giSamtykke.title);
  expect(html).toContain('Samtykker');
  expect(html).not.toContain('<script');
  expect(html).not.toContain('veiviser-1');
  const after = await exportsLogged();
  expect(after.length - before.length).toBe(1);
  expect(after[0].role).toBe('veiviser');
});

test('when someone not on the case or in another kommune asks for a copy, then the case reads as missing and nothing is logged', async () => {
  const before = await exportsLogged();
  for (const token of [
    await stack.token('lorenskog', 'foresatt', 'foresatt-2'),
    await stack.token('lorenskog', 'veiviser', 'veiviser-9'),
    await stack.token('oygarden', 'leder', 'leder-1'),
  ]) {
    for (const path of [`${base}/export`, `${base}/export.html`]) {
      const res = await http(stack.baseUrl, 'GET', path, { token });
      expect([403, 404]).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain('koble_tjenester');
    }
  }
  expect(await exportsLogged()).toHaveLength(before.length);
});
