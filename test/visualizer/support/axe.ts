/**
 * axe-core's findings on a page, one line each naming the rule, where and why, so a failing
 * `toEqual([])` says what to fix. Only violations are collected: the passes and incomplete lists,
 * which no test reads, cost about a third of each analysis.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface AxeScope {
  /** Analyse only this part of the page (a CSS selector), e.g. the page's own `main`. */
  include?: string;
  /** Every violation, not only the serious and critical ones. */
  everyImpact?: boolean;
}

export async function axeFindings(page: Page, scope: AxeScope = {}): Promise<string[]> {
  // Legacy mode runs axe in the page itself. The default opens a blank page per analysis to merge
  // the results of cross-origin frames, about 2.5 s each on two cores; our pages have no frames.
  const builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).setLegacyMode();
  if (scope.include) builder.include(scope.include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => scope.everyImpact || v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary})`).join(', ')}`,
    );
}
