/**
 * What the family-page browser tests share: one API stack and one browser per file, a Lørenskog
 * case the veiviser has added a parent to, and the family's page opened as that parent (signed
 * in with a development bearer token). Each test ends with no error thrown on any page.
 */
import type { Page } from 'playwright-core';
import { startApiStack, type ApiStack } from '../server/api-stack';
import { CaseClient } from '../server/case-client';
import { launchBrowser, type TestBrowser } from '../visualizer/support/browser';

export interface FamilyPageStack {
  /** Set in beforeAll: read them inside hooks and tests. */
  stack: ApiStack;
  browser: TestBrowser;
  /** Errors the pages threw during the current test. */
  pageErrors: string[];
  /** A case opened and taken by `veiviser-1`, with `member` on its team as a parent. */
  familyCase(member: string): Promise<CaseClient>;
  /** A new page on `member`'s family page for the case. */
  openAs(member: string, caseId: string): Promise<Page>;
}

/** Registers the file's beforeAll, afterAll and afterEach; call it at the top of a test file. */
export function useFamilyPageStack(): FamilyPageStack {
  const fx: FamilyPageStack = {
    stack: undefined as unknown as ApiStack,
    browser: undefined as unknown as TestBrowser,
    pageErrors: [],
    async familyCase(member) {
      const c = new CaseClient(fx.stack, 'lorenskog');
      await c.open(
        'veiviser',
        'innbygger',
        { henvendelsesgjelder: 'barn', barnetsAlder: 9 },
        'veiviser-1',
      );
      await c.send('veiviser', 'avklarSakstype', { sakstype: 'koble_tjenester' }, 'veiviser-1');
      await c.send(
        'veiviser',
        'leggTilFamilie',
        { familiemedlem: { id: member, role: 'foresatt' } },
        'veiviser-1',
      );
      return c;
    },
    async openAs(member, caseId) {
      const page = await fx.browser.context.newPage();
      page.on('pageerror', (e) => fx.pageErrors.push(e.message));
      const token = await fx.stack.token('lorenskog', 'foresatt', member);
      await page.setExtraHTTPHeaders({ Authorization: `Bearer ${token}` });
      await page.goto(`${fx.stack.baseUrl}/familie/lorenskog/sak/${caseId}`);
      return page;
    },
  };
  beforeAll(async () => {
    fx.stack = await startApiStack();
    fx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await fx.browser?.close();
    await fx.stack?.stop();
  });
  afterEach(() => expect(fx.pageErrors).toEqual([]));
  return fx;
}
