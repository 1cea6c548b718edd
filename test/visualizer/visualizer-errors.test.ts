/**
 * The visualizer's endpoints refuse bad requests the way the API does: JSON errors from the one
 * table (never an HTML page, a stack trace or a server path), the token checked before the body
 * is read, the body's size and the model's size before anything is laid out, the API's request
 * timeout, and no request body in any log line. Real dev server, API and worker threads.
 */
import pino from 'pino';
import { defaultApiOptions } from '../../server/api-router';
import { checkDiagramSize } from '../../server/visualizer/diagram-limits';
import { http, startApiStack, type ApiStack, type HttpResult } from '../server/api-stack';
import { generatedConfig } from './support/generated-config';

jest.setTimeout(180_000);

/** A string that must never reach a log line: every body below carries it. */
const CANARY = `kanari-${process.pid}-${Date.now()}`;
/** Room for a model slow enough to outlast the API's request timeout (`generatedConfig(999)`: a minute or more). */
const DIAGRAM = { ...defaultApiOptions.diagram, maxSteps: 1000, maxTransitions: 5000 };
const logLines: string[] = [];
const consoleLines: string[] = [];
let stack: ApiStack;
let token: string;

beforeAll(async () => {
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  stack = await startApiStack({
    noWorker: true,
    logger,
    // Neither time nor heap stops that model before the request timeout does.
    api: {
      cpu: { ...defaultApiOptions.cpu, layoutTimeoutMs: 60_000, maxHeapMb: 2048 },
      diagram: DIAGRAM,
    },
  });
  token = await stack.token('oygarden', 'leder');
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    const original = console[method].bind(console);
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleLines.push(args.map(String).join(' '));
      original(...args);
    });
  }
});

afterAll(async () => {
  jest.restoreAllMocks();
  await stack?.stop();
});

const diagram = (body: unknown, opts: { token?: string; headers?: Record<string, string> } = {}) =>
  http(stack.baseUrl, 'POST', '/visualizer/api/diagram', { token, body, ...opts });

/** A JSON error from the table with this status and code, and nothing of the server in it. */
function expectCleanError(res: HttpResult, status: number, code: string): void {
  expect([res.status, res.body?.error?.code]).toEqual([status, code]);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(['error']);
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(
    /\bat .+:\d+:\d+|\/(work|home|tmp|usr|srv)\/|node_modules|\.ts\b|java\.lang|<html/i,
  );
  expect(text).not.toContain(CANARY);
}

test('when someone without a valid token sends a diagram, then 401 comes before the body is read or anything is laid out', async () => {
  // Too large and not JSON: had the body been read, the answer would be 413 or 400.
  const huge = `{"config": "${CANARY}${'x'.repeat(2 * 1024 * 1024)}`;
  expectCleanError(await diagram(huge, { token: '' }), 401, 'TOKEN_MISSING');
  const forged = await diagram(huge, { token: 'not.a.token' });
  expectCleanError(forged, 401, 'TOKEN_INVALID');
  expect(forged.headers.get('www-authenticate')).toContain('invalid_token');
  // A model that takes minutes to lay out is refused as fast as an empty one.
  const started = Date.now();
  expectCleanError(
    await diagram({ config: generatedConfig(2000) }, { token: '' }),
    401,
    'TOKEN_MISSING',
  );
  expect(Date.now() - started).toBeLessThan(2000);
  expectCleanError(await http(stack.baseUrl, 'GET', '/visualizer/api/me'), 401, 'TOKEN_MISSING');
});

test('when the body is too large, not JSON, not UTF-8 JSON or shapeless, then 413, 400, 415 and 400 in JSON', async () => {
  expectCleanError(
    await diagram(`{"text": "${CANARY}${'x'.repeat(1024 * 1024)}"}`),
    413,
    'PAYLOAD_TOO_LARGE',
  );
  expectCleanError(await diagram(`{"text": "${CANARY}", oops}`), 400, 'MALFORMED_JSON');
  expectCleanError(
    await diagram('', { headers: { 'Content-Type': 'application/json' } }),
    400,
    'MALFORMED_JSON',
  );
  expectCleanError(await diagram(`{"text": "${CANARY}", "text": "x"}`), 400, 'DUPLICATE_KEY');
  expectCleanError(
    await diagram(`${CANARY}`, { headers: { 'Content-Type': 'text/plain' } }),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  );
  const utf16 = Buffer.from(JSON.stringify({ text: CANARY }), 'utf16le').toString('latin1');
  expectCleanError(
    await diagram(utf16, { headers: { 'Content-Type': 'application/json; charset=utf-16le' } }),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  );
  const shapeless = await diagram({ drawing: CANARY });
  expectCleanError(shapeless, 400, 'VALIDATION_FAILED');
  expect(shapeless.body.error.details).toEqual([
    { path: '/body', message: expect.any(String), nb: expect.any(String) },
  ]);
});

test('when the model has more steps than can be drawn, then 413 DIAGRAM_TOO_LARGE names the limit, before any layout', async () => {
  const started = Date.now();
  const res = await diagram({ text: JSON.stringify(generatedConfig(1000)) });
  expectCleanError(res, 413, 'DIAGRAM_TOO_LARGE');
  expect(Date.now() - started).toBeLessThan(2000);
  expect(res.body.error.details).toEqual([
    {
      path: '/body/text',
      message: '1001 steps; at most 1000 can be drawn',
      nb: '1001 steg; høyst 1000 kan tegnes.',
    },
  ]);
  // By default the bound is far lower: a few hundred steps already take tens of seconds to lay out.
  expect(() =>
    checkDiagramSize(generatedConfig(2000), defaultApiOptions.diagram, '/body/config'),
  ).toThrow(expect.objectContaining({ status: 413, code: 'DIAGRAM_TOO_LARGE' }));
  expect(() =>
    checkDiagramSize(generatedConfig(150), defaultApiOptions.diagram, '/body/config'),
  ).not.toThrow();
});

test('when a draft of another kommune is sent, then 403 KOMMUNE_NOT_ALLOWED before any layout', async () => {
  const res = await diagram({ config: { ...generatedConfig(10), id: 'lorenskog', name: CANARY } });
  expectCleanError(res, 403, 'KOMMUNE_NOT_ALLOWED');
  expect(res.body.error.details).toEqual([
    { path: '/body/config/id', message: expect.any(String), nb: 'En annen kommune.' },
  ]);
});

test("when the token is for a role the kommune does not have, or a header holds a control character, then the API's 403 and 400 before any layout", async () => {
  const stranger = await stack.token('oygarden', 'astronaut');
  expectCleanError(
    await http(stack.baseUrl, 'GET', '/visualizer/api/me', { token: stranger }),
    403,
    'ROLE_NOT_ALLOWED',
  );
  expectCleanError(
    await diagram({ config: generatedConfig(2000) }, { token: stranger }),
    403,
    'ROLE_NOT_ALLOWED',
  );
  const owner = await http(stack.baseUrl, 'GET', '/visualizer/api/me', {
    token: await stack.token('oygarden', 'prosesseier'),
  });
  expect([owner.status, owner.body?.role]).toEqual([200, 'prosesseier']);
  expectCleanError(
    await diagram({ config: generatedConfig(3) }, { headers: { 'X-Note': 'a\u0085b' } }),
    400,
    'VALIDATION_FAILED',
  );
});

test('when a visualizer path or case page does not exist, then 404 in JSON', async () => {
  expectCleanError(await http(stack.baseUrl, 'GET', '/visualizer/finnes-ikke'), 404, 'NOT_FOUND');
  expectCleanError(
    await http(stack.baseUrl, 'GET', '/visualizer/saker/..%2Fetc'),
    404,
    'NOT_FOUND',
  );
});

test('when a model is drawn, then the layout comes from the worker thread; when elkjs crashes on one, then it is still drawn', async () => {
  const drawn = await diagram({ config: { ...stack.configs.get('oygarden')!, name: CANARY } });
  expect(drawn.status).toBe(200);
  expect(drawn.body.diagram.nodes.map((n: { id: string }) => n.id)).toContain('familielos');
  // elkjs 0.12 throws an IndexOutOfBoundsException on this generated shape: a simpler layout draws it.
  const crashing = await diagram({ config: { ...generatedConfig(45), name: CANARY } });
  expect(crashing.status).toBe(200);
  expect(crashing.body.diagram.nodes).toHaveLength(47);
  expect(crashing.body.diagram.nodes.every((n: { width: number }) => n.width > 0)).toBe(true);
});

test('when a layout outlasts the request timeout of the API, then 503 REQUEST_TIMEOUT, and its thread is freed at once', async () => {
  const started = Date.now();
  const slow = await diagram({ config: { ...generatedConfig(999), name: CANARY } });
  expectCleanError(slow, 503, 'REQUEST_TIMEOUT');
  expect(slow.headers.get('retry-after')).not.toBeNull();
  expect(Date.now() - started).toBeGreaterThanOrEqual(defaultApiOptions.requestTimeoutMs);
  // One thread on two cores: had the layout kept it, this would wait out the 60 s layout limit.
  const next = await diagram({ config: stack.configs.get('oygarden') });
  expect(next.status).toBe(200);
});

test('when all of the above has happened, then no log line holds a request body, and each names its route pattern', () => {
  const all = [...logLines, ...consoleLines].join('\n');
  expect(all).not.toContain(CANARY);
  const http = logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'http');
  expect(http.length).toBeGreaterThan(10);
  expect(new Set(http.map((l) => l.route))).toEqual(
    new Set([
      '/visualizer/api/diagram',
      '/visualizer/api/me',
      '/visualizer/saker/:caseId',
      'unmatched',
    ]),
  );
  expect(http.filter((l) => l.route === 'unmatched').map((l) => l.status)).toEqual([404]);
  expect(consoleLines).toEqual([]);
});
