/**
 * The staff directory over HTTP: a leader sets, reads and removes how a staff member is reached;
 * a veiviser may not; an address that is not one is refused before it is stored.
 */
import { http, startApiStack, type ApiStack } from './api-stack';

jest.setTimeout(120_000);

let stack: ApiStack;
const path = '/api/v1/kommuner/lorenskog/staff-directory/koord-1';

beforeAll(async () => {
  stack = await startApiStack({ noWorker: true });
});
afterAll(async () => stack?.stop());

test('when a leader puts a staff member in the directory, then they read it back and can remove it, and a veiviser is refused', async () => {
  const leader = { token: await stack.token('lorenskog', 'leder', 'leder-1') };
  const body = {
    role: 'koordinator',
    displayName: 'Kari Koordinator',
    email: 'kari@lorenskog.example',
    preferredChannel: 'email',
  };
  const put = await http(stack.baseUrl, 'PUT', path, { ...leader, body });
  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({ personId: 'koord-1', ...body, setBy: 'leder-1' });
  const got = await http(stack.baseUrl, 'GET', path, leader);
  expect(got.body).toMatchObject(body);

  const veiviser = { token: await stack.token('lorenskog', 'veiviser', 'v-1') };
  const refused = await http(stack.baseUrl, 'GET', path, veiviser);
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe('ROLE_NOT_ALLOWED');

  const bad = await http(stack.baseUrl, 'PUT', path, {
    ...leader,
    body: { displayName: 'X', email: 'not an address' },
  });
  expect(bad.status).toBe(400);

  expect((await http(stack.baseUrl, 'DELETE', path, leader)).body).toEqual({ removed: true });
  const gone = await http(stack.baseUrl, 'GET', path, leader);
  expect(gone.status).toBe(404);
  expect(gone.body.error.code).toBe('STAFF_ENTRY_NOT_FOUND');
});
