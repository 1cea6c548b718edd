/**
 * Builds the browser code in memory with esbuild when the server starts, so `npm start` and
 * `npm test` need no separate build step and no built files are checked in.
 */
import { basename, join } from 'node:path';
import { build } from 'esbuild';

export interface ClientBundle {
  js: string;
  /** The source map, served beside the script: a browser fetches it only with its dev tools open. */
  map: string;
  /**
   * Code only some pages import (`import()`), by file name (`chunk-<hash>.js` and its `.map`):
   * Chart.js is most of the statistics page's script and no other page needs it.
   */
  chunks: ReadonlyMap<string, string>;
}

/** The name of a split-off chunk or its map; anything else under /assets is a 404. */
export const CHUNK_FILE = /^chunk-[A-Z0-9]{8}\.js(\.map)?$/;

export async function buildClientBundle(): Promise<ClientBundle> {
  const result = await build({
    entryPoints: { app: join(__dirname, 'client', 'main.ts') },
    // Served from one folder (/visualizer/assets/), so chunks import each other by file name.
    outdir: 'assets',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    splitting: true,
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    charset: 'utf8',
    // Linked, not inline: inline it was two thirds of what every page load downloaded.
    sourcemap: 'linked',
    logLevel: 'silent',
  });
  const files = new Map(result.outputFiles.map((f) => [basename(f.path), f.text]));
  const chunks = new Map([...files].filter(([name]) => CHUNK_FILE.test(name)));
  if (chunks.size + 2 !== files.size)
    throw new Error(`unexpected bundle files: ${[...files.keys()]}`);
  return { js: files.get('app.js')!, map: files.get('app.js.map')!, chunks };
}
