/**
 * Moving through a page with the keyboard only, the way someone without a mouse does.
 */
import type { Locator, Page } from 'playwright-core';

/** Presses Tab until the focused element matches `selector`; fails if it is never reached. */
export async function tabTo(page: Page, selector: string, maxPresses = 200): Promise<number> {
  for (let presses = 1; presses <= maxPresses; presses++) {
    await page.keyboard.press('Tab');
    if ((await page.locator(`${selector}:focus`).count()) > 0) return presses;
  }
  throw new Error(`${maxPresses} presses of Tab never reached ${selector}`);
}

/** The `id` of the field a visible label names inside `scope`, for use in a selector. */
export async function fieldId(scope: Locator, label: string): Promise<string> {
  const id = await scope.getByLabel(label, { exact: true }).getAttribute('id');
  if (!id) throw new Error(`the field labelled "${label}" has no id`);
  return id;
}
