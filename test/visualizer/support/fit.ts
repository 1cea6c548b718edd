/**
 * What a page must hold to at a laptop's and a phone's size: nothing of its own content wider
 * than the window, every button within reach (and nothing serious for axe: support/axe.ts).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeFindings } from './axe';
import { SCREENSHOTS } from './browser';

export const LAPTOP = { width: 1366, height: 768 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/**
 * Elements of `main` that reach past the window's right edge, named (tag and classes) so a
 * failure says where; a diagram scrolls in its own box and is left out. Empty when it fits.
 */
export async function wider(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const out = [...document.querySelectorAll('main *')]
      .filter((e) => !e.closest('.diagram-scroll') && e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((e) => e.tagName.toLowerCase() + [...e.classList].map((c) => '.' + c).join('') + (e.id ? '#' + e.id : ''))
      .slice(0, 6);
    if (document.documentElement.scrollWidth > window.innerWidth) out.push('(the page scrolls sideways)');
    return out;
  })()`);
}

/**
 * Buttons of `main` whose box is not wholly within the window's width (scrolled to, they can be
 * pressed). A skip button stands off-screen until the keyboard reaches it, so it is left out.
 */
export async function buttonsOutOfReach(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('main button:not(.skip-diagram)')]
    .filter((b) => b.getClientRects().length > 0 && !b.closest('.diagram-scroll'))
    .filter((b) => { const r = b.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth + 0.5; })
    .map((b) => (b.id ? '#' + b.id + ' ' : '') + b.textContent.trim())`);
}

/**
 * At a laptop's and then a phone's size: nothing wider than the window, every button in reach,
 * nothing serious for axe, and a screenshot `<name>-<width>.png` at each.
 */
export async function expectFitsBothSizes(page: Page, name: string): Promise<void> {
  for (const size of [LAPTOP, PHONE]) {
    await page.setViewportSize(size);
    expect({ size, wider: await wider(page) }).toEqual({ size, wider: [] });
    expect({ size, out: await buttonsOutOfReach(page) }).toEqual({ size, out: [] });
    expect({ size, axe: await axeFindings(page) }).toEqual({ size, axe: [] });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size.width}.png`), fullPage: true });
  }
}
