/**
 * The visualizer does its heavy work once: a config version's diagram is laid out the first
 * time it is asked for and answered from memory after that, and the page's script and CSS are
 * compressed once and sent compressed to browsers that accept it. Real API stack and threads.
 */
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { LayoutCache } from '../../server/visualizer/layout-cache';
import { http, startApiStack, type ApiStack } from '../server/api-stack';

jest.setTimeout(120_000);

let stack: ApiStack;
let token: string;

beforeAll(async () => {
  stack = await startApiStack({ noWorker: true });
  token = await stack.token('oygarden', 'leder');
});

afterAll(async () => {
  jest.restoreAllMocks();
  await stack?.stop();
});

const diagram = (config: unknown) =>
  http(stack.baseUrl, 'POST', '/visualizer/api/diagram', { token, body: { config } });

/** The bytes as they cross the wire (fetch would decompress them). */
function raw(
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${stack.baseUrl}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

test('when the same config version is drawn again, then it is answered without laying it out again', async () => {
  const layouts = jest.spyOn(stack.app.api!.cpu, 'diagram');
  const config = stack.configs.get('oygarden')!;
  const first = await diagram(config);
  const second = await diagram(config);
  expect([first.status, second.status]).toEqual([200, 200]);
  expect(second.body).toEqual(first.body);
  expect(layouts).toHaveBeenCalledTimes(1);
  // Another config (a draft, another version) is laid out for itself, never answered from another's.
  const renamed = await diagram({ ...config, name: 'Øygarden kommune – utkast' });
  expect(renamed.body.kommune.name).toBe('Øygarden kommune – utkast');
  expect(layouts).toHaveBeenCalledTimes(2);
  // A refusal is not kept: the same bad request is checked again, and refused again.
  const foreign = { ...config, id: 'lorenskog' };
  expect((await diagram(foreign)).status).toBe(403);
  expect((await diagram(foreign)).status).toBe(403);
  expect(layouts).toHaveBeenCalledTimes(4);
});

test('when more diagrams are kept than the bound, then the least recently drawn is dropped first', () => {
  const cache = new LayoutCache({ entries: 2, chars: 1000 });
  cache.set('a', '{"a":1}');
  cache.set('b', '{"b":1}');
  cache.get('a');
  cache.set('c', '{"c":1}');
  expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([
    '{"a":1}',
    undefined,
    '{"c":1}',
  ]);
  // And by size: one answer larger than the whole bound is not kept at all.
  cache.set('huge', 'x'.repeat(1001));
  expect([cache.get('huge'), cache.size]).toEqual([undefined, 2]);
  cache.set('d', 'x'.repeat(995));
  expect([cache.get('a'), cache.get('c'), cache.size]).toEqual([undefined, undefined, 1]);
});

test('when a browser that accepts brotli or gzip loads the page script and CSS, then they arrive compressed and smaller; others get them as they are', async () => {
  const plain = await raw('/visualizer/assets/app.js');
  expect(plain.status).toBe(200);
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body.toString('utf8')).toMatch(/\S/);

  const br = await raw('/visualizer/assets/app.js', { 'Accept-Encoding': 'gzip, deflate, br' });
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.headers.vary).toMatch(/Accept-Encoding/);
  expect(br.body.length).toBeLessThan(plain.body.length / 2);
  expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

  const gz = await raw('/visualizer/assets/app.js', { 'Accept-Encoding': 'gzip' });
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
  console.log(
    `app.js: ${plain.body.length} bytes as it is, ${gz.body.length} gzip, ${br.body.length} brotli`,
  );

  const css = await raw('/visualizer/assets/visualizer.css', { 'Accept-Encoding': 'br' });
  expect([css.headers['content-encoding'], css.headers['content-type']]).toEqual([
    'br',
    expect.stringMatching(/^text\/css/),
  ]);

  // Its source map beside it, for the dev tools only: not inside the script every page loads.
  expect(plain.body.toString('utf8')).toMatch(/\/\/# sourceMappingURL=app\.js\.map\s*$/);
  const map = await raw('/visualizer/assets/app.js.map');
  expect([map.status, JSON.parse(map.body.toString('utf8')).sources]).toEqual([
    200,
    expect.arrayContaining([expect.stringMatching(/client\/main\.ts$/)]),
  ]);

  // A browser that has it already revalidates and downloads nothing.
  const again = await raw('/visualizer/assets/app.js', {
    'Accept-Encoding': 'br',
    'If-None-Match': String(br.headers.etag),
  });
  expect([again.status, again.body.length]).toEqual([304, 0]);
});
