/**
 * Builds the browser code in memory with esbuild when the server starts, so `npm start` and
 * `npm test` need no separate build step and no built files are checked in.
 */
import { join } from 'node:path';
import { build } from 'esbuild';

export interface ClientBundle {
  js: string;
}

export async function buildClientBundle(): Promise<ClientBundle> {
  const result = await build({
    entryPoints: [join(__dirname, 'client', 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    charset: 'utf8',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return { js: result.outputFiles[0].text };
}
