/**
 * The config view in a real browser: the published model, a broken draft with its errors, and a
 * generated 45-step model that must lay out with no two steps overlapping. The browser's time to
 * draw it is printed, not asserted (it depends on the machine).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startApiStack, type ApiStack } from '../server/api-stack';
import { generatedConfig } from './support/generated-config';
import {
  launchBrowser,
  screenshot,
  SCREENSHOTS,
  signIn,
  type TestBrowser,
} from './support/browser';
import { axeFindings } from './support/axe';
import { buttonsOutOfReach, LAPTOP, PHONE, wider } from './support/fit';
import { tabTo } from './support/keyboard';
import { pasteIntoEditor } from './support/editor';

let stack: ApiStack;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  stack = await startApiStack({ noWorker: true });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await signIn(page, stack.baseUrl, await stack.token('oygarden', 'leder', 'l-1'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function pasteDraft(text: string): Promise<void> {
  await page.click('details.draft-box > summary');
  await pasteIntoEditor(page, '#draft', text);
  await page.click('form.draft button[type=submit]');
}

test('when the config view opens, then the published model is drawn with its BTI levels as bands, named by the kommune and across the whole pane', async () => {
  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  await page.waitForSelector('svg.diagram g.node[data-step="familielos"]');
  const bands = await page.locator('svg.diagram .band-title').allTextContents();
  expect(bands).toEqual(['Nivå 0', 'Nivå 1', 'Nivå 2', 'Nivå 3']);
  const names = await page
    .locator('svg.diagram .band-sub')
    .evaluateAll((els) => els.map((el) => [...el.children].map((t) => t.textContent).join(' ')));
  const levels = stack.configs.get('oygarden')!.levels!;
  expect(names).toEqual([0, 1, 2, 3].map((l) => levels[l as 0 | 1 | 2 | 3]!.title));
  // Each band as wide as the pane it is drawn in (at least), not only as the steps.
  const widths = (await page.evaluate(`({
    pane: document.querySelector('.diagram-scroll').getBoundingClientRect().width,
    bands: [...document.querySelectorAll('svg.diagram .band rect')].map(
      (r) => r.getBoundingClientRect().width,
    ),
  })`)) as { pane: number; bands: number[] };
  for (const w of widths.bands) expect(w).toBeGreaterThanOrEqual(widths.pane - 8);
  await page.waitForSelector('#render-time:has-text("ms")');
  await screenshot(page, 'konfig');
});

test('when a keyboard user meets the diagram, then one key press skips all its steps, each step is named by what it shows, and axe finds nothing serious', async () => {
  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  await page.waitForSelector('svg.diagram g.node[data-step="familielos"]');
  const steps = await page
    .locator('svg.diagram g.node')
    .evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-step'), e.getAttribute('aria-label')]),
    );
  const config = stack.configs.get('oygarden')!;
  for (const [id, name] of steps) {
    if (id === '__start__') continue;
    expect([id, name]).toEqual([id, expect.stringContaining(config.steps[id!].title)]);
  }

  const presses = await tabTo(page, '.skip-diagram');
  expect(await page.locator('.skip-diagram').textContent()).toBe(
    `Hopp over diagrammet (${Object.keys(config.steps).length} steg)`,
  );
  expect(await page.locator('.skip-diagram').isVisible()).toBe(true);
  await page.keyboard.press('Enter');
  expect(await page.evaluate('document.activeElement.textContent')).toBe('Etter diagrammet');
  // Without it, Tab would have walked every step first.
  await tabTo(page, '.skip-diagram');
  const walked = await tabTo(page, 'svg.diagram g.node:last-of-type');
  expect(walked).toBeGreaterThan(steps.length - 1);
  expect(presses).toBeLessThan(10);

  expect(await axeFindings(page, { include: 'main' })).toEqual([]);
});

test('when a broken draft is pasted, then its errors are listed in bokmål and the broken step is marked in words', async () => {
  const draft = JSON.parse(JSON.stringify(stack.configs.get('oygarden')));
  draft.steps.undring.on.avsluttSak = { target: 'finnesIkke' };
  await pasteDraft(JSON.stringify(draft));
  const errors = page.locator('.config-errors li');
  await errors.first().waitFor();
  expect(await errors.allTextContents()).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /\/steps\/undring\/on\/avsluttSak\/target.*Det finnes ikke noe steg «finnesIkke»/,
      ),
    ]),
  );
  // The English, with the stable code, for a developer on hover.
  expect(await errors.first().getAttribute('title')).toMatch(/^[A-Z_]+: /);
  expect(await page.textContent('g.node[data-step="undring"] .node-badge')).toMatch(/⚠ \d+ feil/);
});

test('when a draft has a refused value and a wrong reference, then both errors come at once with their lines, the editor numbers its lines and marks them, and choosing an error puts the cursor on its line', async () => {
  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  const draft = JSON.parse(JSON.stringify(stack.configs.get('oygarden')));
  draft.steps.undring.level = 7;
  draft.steps.undring.on.avsluttSak = { target: 'finnesIkke' };
  const text = JSON.stringify(draft, null, 2);
  const lines = text.split('\n');
  const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
  await pasteDraft(text);
  const errors = page.locator('.config-errors li');
  await errors.first().waitFor();
  const listed = await errors.allTextContents();
  expect(listed).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^\/steps\/undring\/level \(linje \d+, kolonne \d+\)/),
      expect.stringMatching(/^\/steps\/undring\/on\/avsluttSak\/target \(linje \d+/),
    ]),
  );
  // The editor numbers its lines (those in view are drawn).
  expect(
    await page.locator('.json-editor .cm-lineNumbers .cm-gutterElement').count(),
  ).toBeGreaterThan(20);

  const target = lineOf('"finnesIkke"');
  const jump = errors
    .filter({ hasText: '/steps/undring/on/avsluttSak/target' })
    .getByRole('button', { name: new RegExp(`^linje ${target},`) });
  await jump.click();
  expect(await page.evaluate('document.activeElement.id')).toBe('draft');
  await page.locator('.json-editor .cm-activeLine').waitFor();
  expect((await page.locator('.json-editor .cm-activeLine').innerText()).trim()).toBe(
    lines[target - 1].trim(),
  );
  // The line with the problem is marked in the gutter, now that it is in view.
  expect(await page.locator('.json-editor .cm-lint-marker-error').count()).toBeGreaterThan(0);
  // Tab leaves the editor: a keyboard user is not trapped in it.
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement.id')).not.toBe('draft');
  expect(await axeFindings(page)).toEqual([]);
  await screenshot(page, 'config-editor-errors');
});

test("when the config page is served, then only it lets styles in with a nonce new for each response (the editor's), and every other page allows the origin's style sheets alone", async () => {
  const get = (path: string) => fetch(`${stack.baseUrl}${path}`);
  const [a, b, list] = await Promise.all([
    get('/visualizer/konfig'),
    get('/visualizer/konfig'),
    get('/visualizer/saker'),
  ]);
  const nonceOf = async (res: Response) => {
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]{24})'(;|$)/.exec(csp)?.[1];
    expect((await res.text()).includes(`data-style-nonce="${nonce}"`)).toBe(true);
    return nonce;
  };
  const [first, second] = [await nonceOf(a), await nonceOf(b)];
  expect(first).not.toBe(second);
  expect(list.headers.get('content-security-policy')).toContain("style-src 'self';");
  expect(list.headers.get('content-security-policy')).not.toContain('nonce');
});

test('when a draft of another kommune is pasted, then it is refused', async () => {
  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  const lorenskog = stack.configs.get('lorenskog')!;
  await pasteDraft(JSON.stringify(lorenskog));
  const refusal = page.locator('[role=alert]');
  await refusal.first().waitFor();
  expect(await refusal.allTextContents()).toEqual([expect.stringContaining('lorenskog')]);
  // Nothing of the other kommune's model is drawn.
  const drawn = await page.$$eval('svg.diagram g.node', (nodes) =>
    nodes.map((n) => n.getAttribute('data-step')),
  );
  const ownSteps = Object.keys(stack.configs.get('oygarden')!.steps);
  expect(drawn.filter((step) => !ownSteps.includes(step!))).toEqual([]);
});

test('when a 45-step model is drawn, then no two steps overlap, and the render time is printed', async () => {
  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  await page.waitForSelector('svg.diagram g.node');
  await pasteDraft(JSON.stringify(generatedConfig(44)));
  await page.waitForSelector('h2:has-text("Generert modell")');
  // Strings run in the page: the tests' type check has no DOM (the browser code has its own tsconfig).
  await page.waitForFunction(
    "document.body.dataset.renderMs !== undefined && document.querySelectorAll('svg.diagram g.node').length > 40",
  );
  const boxes = await page.$$eval('svg.diagram g.node > rect.node-box', (rects) =>
    rects.map((r) => {
      const b = (
        r as unknown as { getBBox(): { x: number; y: number; width: number; height: number } }
      ).getBBox();
      const m = /translate\(([\d.-]+) ([\d.-]+)\)/.exec(
        r.parentElement!.getAttribute('transform')!,
      )!;
      return {
        id: r.parentElement!.getAttribute('data-step')!,
        x: Number(m[1]) + b.x,
        y: Number(m[2]) + b.y,
        w: b.width,
        h: b.height,
      };
    }),
  );
  expect(boxes.length).toBe(46);
  const overlaps: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
        overlaps.push(`${a.id}×${b.id}`);
    }
  }
  expect(overlaps).toEqual([]);
  const ms = Number(await page.getAttribute('body', 'data-render-ms'));
  const total = Number(await page.getAttribute('body', 'data-total-ms'));
  process.stdout.write(
    `45-step model (${boxes.length} nodes incl. start): drawn in the browser in ${Math.round(ms)} ms; ${Math.round(total)} ms from request to painted, server-side elkjs layout included\n`,
  );
});

test('when the config view is read on a 390×844 phone, then the model and a broken draft’s errors fit without sideways scrolling, every button is in reach, and axe finds nothing serious at either size', async () => {
  await page.goto(`${stack.baseUrl}/visualizer/konfig`);
  await page.waitForSelector('svg.diagram g.node[data-step="familielos"]');
  const draft = JSON.parse(JSON.stringify(stack.configs.get('oygarden')));
  draft.steps.undring.on.avsluttSak = { target: 'finnesIkke' };
  for (const [name, prepare] of [
    ['konfig', async () => {}],
    [
      'konfig-utkast-feil',
      async () => {
        await pasteDraft(JSON.stringify(draft));
        await page.locator('.config-errors li').first().waitFor();
      },
    ],
  ] as const) {
    await page.setViewportSize(PHONE);
    await prepare();
    await page.waitForSelector('svg.diagram g.node[data-step="familielos"]');
    for (const size of [LAPTOP, PHONE]) {
      await page.setViewportSize(size);
      expect({ name, size, wider: await wider(page) }).toEqual({ name, size, wider: [] });
      expect({ name, size, out: await buttonsOutOfReach(page) }).toEqual({ name, size, out: [] });
      expect({ name, size, axe: await axeFindings(page) }).toEqual({ name, size, axe: [] });
      await page.screenshot({
        path: join(SCREENSHOTS, `${name}-${size.width}.png`),
        fullPage: true,
      });
    }
  }
  // The diagram keeps most of the phone's width and scrolls inside its own box.
  await page.setViewportSize(PHONE);
  expect((await page.locator('.diagram-scroll').boundingBox())!.width).toBeGreaterThan(300);
  await page.setViewportSize(LAPTOP);
});

test('when a process owner signs in, then they land on the model page, and a veiviser on the case list', async () => {
  for (const [role, landing, heading] of [
    ['prosesseier', '/visualizer/konfig', /Slusemodell/],
    ['veiviser', '/visualizer/saker', /Saker/],
  ] as const) {
    const tab = await browser.context.newPage();
    await tab.goto(`${stack.baseUrl}/visualizer/`);
    await tab.fill('#token', await stack.token('lorenskog', role, `${role}-1`));
    await tab.click('form.sign-in button[type=submit]');
    await tab.waitForURL(`**${landing}`);
    await tab.waitForSelector('main h1');
    expect(await tab.locator('main h1').innerText()).toMatch(heading);
    await tab.close();
  }
});

test('when the sign-in page is read at 1366×768 and on a 390×844 phone, then it fits without sideways scrolling, its button is in reach, an empty token is refused in bokmål, and axe finds nothing serious', async () => {
  // A new tab has no session: the sign-in page.
  const tab = await browser.context.newPage();
  await tab.goto(`${stack.baseUrl}/visualizer/`);
  await tab.waitForSelector('form.sign-in');
  await tab.click('form.sign-in button[type=submit]');
  expect(await tab.locator('[role=alert]').innerText()).toContain('Lim inn et token først.');
  for (const size of [LAPTOP, PHONE]) {
    await tab.setViewportSize(size);
    expect({ size, wider: await wider(tab) }).toEqual({ size, wider: [] });
    expect({ size, out: await buttonsOutOfReach(tab) }).toEqual({ size, out: [] });
    expect({ size, axe: await axeFindings(tab) }).toEqual({ size, axe: [] });
    await tab.screenshot({ path: join(SCREENSHOTS, `logg-inn-${size.width}.png`), fullPage: true });
  }
  await tab.close();
});
