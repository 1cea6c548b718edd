/**
 * Puts a whole text into the config page's JSON editor (CodeMirror) as a person pasting it
 * does: everything selected, then a paste event with the text. Typing a config key by key
 * (Playwright's `fill` on an editable element) takes tens of seconds per draft.
 */
import type { Page } from 'playwright-core';

export async function pasteIntoEditor(page: Page, selector: string, text: string): Promise<void> {
  await page.focus(selector);
  await page.keyboard.press('ControlOrMeta+A');
  // A string, as the tests' own code is type-checked without the DOM's types.
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', ${JSON.stringify(text)});
    document.querySelector(${JSON.stringify(selector)}).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  })()`);
}
