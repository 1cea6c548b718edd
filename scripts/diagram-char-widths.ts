/**
 * Prints the advance widths (in em) of the characters diagram text uses, measured in Chromium
 * with the visualizer's own font stack, regular and bold: the table in
 * `server/visualizer/text-metrics.ts`. On Debian the stack resolves to DejaVu Sans, wider than
 * the other system fonts it names, so text sized by it fits wherever it is drawn. Run again
 * (`npx tsx scripts/diagram-char-widths.ts`) only when the CSS font stack changes.
 */
import { chromium } from 'playwright-core';

const CHARS =
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' +
  'ÆØÅæøåÄÖÜäöüÉéÈèÊêÓóÒòÔôÁáÀàÍíÚúÑñ–—…«»‘’“”·•◷↻▶§€°×';
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage();
  // A string, not a function: tsx's helpers do not exist in the page.
  const widths: unknown = await page.evaluate(`(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    const measure = (weight) => {
      ctx.font = weight + ' 100px ' + ${JSON.stringify(FONT)};
      return Object.fromEntries(
        [...${JSON.stringify(CHARS)}].map((c) => [c, Math.round(ctx.measureText(c).width) / 100]),
      );
    };
    return { regular: measure('400'), bold: measure('600') };
  })()`);
  await browser.close();
  process.stdout.write(JSON.stringify(widths) + '\n');
}

void main();
