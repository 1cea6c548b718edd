/**
 * The route table is the one truth of what the API serves: each method and path, and each
 * operationId, is declared once, and the OpenAPI document lists every declared route. `GET
 * …/config` in particular is one operation, whether configs come from the store or from files.
 */
import type { RoutesDeps } from '../../server/api-routes';
import { routeTable } from '../../server/api-router';
import type { ConfigAdminService } from '../../server/config-admin-service';
import { openApiDocument } from '../../server/openapi';
import { assertUniqueRoutes, type RouteDef } from '../../server/route-definition';
import type { Principal } from '../../server/authenticate';

type Operations = Record<string, Record<string, { operationId: string }>>;

const principal: Principal = { sub: 'u-1', kommune: 'oygarden', role: 'leder', key: 'k' };
// Building the table only closes over its dependencies; no route runs here unless called.
const routesDeps = {} as Omit<RoutesDeps, 'publishedConfig'>;
const published = {
  kommune: 'oygarden',
  version: 3,
  config: { id: 'oygarden' },
  author: 'p-1',
  comment: 'ny frist',
  publishedAt: '2027-01-04T09:00:00.000Z',
  basedOn: 2,
  restoredFrom: null,
};
const admin = { published: jest.fn(async () => published) } as unknown as ConfigAdminService;

function operations(routes: RouteDef[]): Array<{ key: string; operationId: string }> {
  const doc = openApiDocument(routes, [], { version: 't' }) as { paths: Operations };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      key: `${method} ${path}`,
      operationId: op.operationId,
    })),
  );
}

test.each([
  ['with the config store', admin],
  ['with configs from files', undefined],
])(
  'every declared route appears in the OpenAPI document, each operationId once (%s)',
  (_name, withAdmin) => {
    const routes = routeTable(routesDeps, withAdmin);
    const ops = operations(routes);
    expect(ops).toHaveLength(routes.length);
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    for (const def of routes) {
      expect(ops).toContainEqual({
        key: `${def.method} /api/v1${def.path.replace(/:([A-Za-z]+)/g, '{$1}')}`,
        operationId: def.operationId,
      });
    }
    expect(ops.filter((o) => o.key === 'get /api/v1/kommuner/{kommune}/config')).toEqual([
      { key: 'get /api/v1/kommuner/{kommune}/config', operationId: 'getConfig' },
    ]);
    if (withAdmin) expect(routes.map((r) => r.operationId)).toContain('publishConfig');
  },
);

test('with the config store, GET …/config answers with who published the version, when and why', async () => {
  const getConfig = routeTable(routesDeps, admin).find((r) => r.operationId === 'getConfig')!;
  const answer = await getConfig.handler({
    params: { kommune: 'oygarden' },
    query: { version: 3 },
    principal,
  } as never);
  expect(answer).toEqual(published);
  expect(admin.published).toHaveBeenCalledWith(principal, 'oygarden', 3);
});

test('a second route at the same method and path, or with an operationId already used, is refused when the table is built', () => {
  const routes = routeTable(routesDeps, admin);
  const getConfig = routes.find((r) => r.operationId === 'getConfig')!;
  expect(() =>
    assertUniqueRoutes([...routes, { ...getConfig, operationId: 'getConfigAgain' }]),
  ).toThrow('two routes declare GET /kommuner/:kommune/config: getConfig and getConfigAgain');
  expect(() =>
    assertUniqueRoutes([...routes, { ...getConfig, path: '/kommuner/:kommune/config2' }]),
  ).toThrow('two routes declare operationId getConfig');
});

// Schemathesis reads `prefixItems` as the draft-4 tuple `items: [...]` and refuses the operation.
test('when the OpenAPI document is read by the fuzzer, then no schema is a tuple', () => {
  const doc = openApiDocument(routeTable(routesDeps, admin), [], { version: 't' });
  const tuples: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${at}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'prefixItems' || (key === 'items' && Array.isArray(value))) tuples.push(at);
        walk(value, `${at}/${key}`);
      }
    }
  };
  walk(doc, '');
  expect(tuples).toEqual([]);
});
