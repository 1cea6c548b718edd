/**
 * The token verifier remembers a token that verified (issue #12: the signature check was the
 * API's largest cost per request after Temporal's) — and what it must never do because of that:
 * accept a token changed in any byte, one past its expiry, or one whose key left the issuer's set
 * more than a minute ago.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { ApiError } from '../../server/api-error';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../../server/auth-settings';
import { createTokenVerifier, VERIFIED_TOKEN_TTL_MS } from '../../server/authenticate';
import { loadDevIssuer, type DevIssuer } from '../../server/dev-issuer';

const settings = { kind: 'dev', issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE } as const;

let issuer: DevIssuer;
let clock: number;
/** How often the verifier looked a key up, that is, checked a signature. */
let lookups: number;
/** Whether the issuer's set still has its key. */
let keyInSet: boolean;

beforeAll(async () => {
  issuer = await loadDevIssuer(mkdtempSync(join(tmpdir(), 'sluse-tokens-')));
});

function verifier() {
  clock = Date.now();
  lookups = 0;
  keyInSet = true;
  const local = createLocalJWKSet(issuer.jwks);
  const keys: JWTVerifyGetKey = async (header, token) => {
    lookups++;
    if (!keyInSet) throw new errors.JWKSNoMatchingKey();
    return local(header, token);
  };
  return createTokenVerifier(settings, issuer, { now: () => clock, keys });
}

const sign = (ttlSeconds?: number) =>
  issuer.sign({
    sub: 'v-1',
    kommune: 'lorenskog',
    role: 'veiviser',
    audience: DEFAULT_AUDIENCE,
    ttlSeconds,
  });

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  }
  throw new Error('the token was accepted');
}

test('when a coordinator sends the same token with request after request, then its signature is checked once a minute, not on every request', async () => {
  const verify = verifier();
  const token = await sign();
  const first = await verify(token);
  for (let i = 0; i < 5; i++) {
    clock += 10_000;
    expect(await verify(token)).toEqual(first);
  }
  expect(lookups).toBe(1);
  clock += VERIFIED_TOKEN_TTL_MS;
  expect(await verify(token)).toEqual(first);
  expect(lookups).toBe(2);
  expect(first).toMatchObject({ sub: 'v-1', kommune: 'lorenskog', role: 'veiviser' });
});

test('when a remembered token has one byte of its signature or its claims changed, then the changed token is refused', async () => {
  const verify = verifier();
  const token = await sign();
  await verify(token);
  const [header, claims, signature] = token.split('.');
  const flip = (s: string) => `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;
  expect(await refusal(verify(`${header}.${claims}.${flip(signature)}`))).toBe('TOKEN_INVALID');
  expect(await refusal(verify(`${header}.${flip(claims)}.${signature}`))).toBe('TOKEN_INVALID');
  // The original is still good.
  await verify(token);
});

test('when a remembered token expires, then it is refused as expired, though it was accepted a moment before', async () => {
  const verify = verifier();
  const token = await sign(20);
  await verify(token);
  clock += 10_000;
  await verify(token);
  // Past its exp and the 30 s the verifier allows for clocks that differ, within the minute a
  // token is remembered.
  clock += 45_000;
  expect(await refusal(verify(token))).toBe('TOKEN_EXPIRED');
});

test("when the token's key leaves the issuer's set, then the token is refused within a minute", async () => {
  const verify = verifier();
  const token = await sign();
  await verify(token);
  keyInSet = false;
  clock += VERIFIED_TOKEN_TTL_MS;
  expect(await refusal(verify(token))).toBe('TOKEN_INVALID');
});

test('when a token is refused, then it is not remembered: the same token is checked again each time', async () => {
  const verify = verifier();
  keyInSet = false;
  const token = await sign();
  expect(await refusal(verify(token))).toBe('TOKEN_INVALID');
  keyInSet = true;
  expect(await verify(token)).toMatchObject({ sub: 'v-1' });
  expect(lookups).toBe(2);
});
