/**
 * The embedded development token issuer: one ES256 key pair, generated once into the
 * (git-ignored) data folder, so tokens printed by `npm run token` stay valid across restarts.
 * Its public key is served at `/dev-issuer/.well-known/jwks.json`, and only when no external
 * issuer is configured. Never meant for production: anyone with the data folder can mint tokens.
 *
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type KeyLike } from 'jose';
import { DEV_ISSUER } from './auth-settings';

const ALG = 'ES256';

export interface DevIssuer {
  /** The public key set, as served at `/dev-issuer/.well-known/jwks.json`. */
  jwks: { keys: JWK[] };
  sign(claims: DevTokenClaims): Promise<string>;
}

export interface DevTokenClaims {
  sub: string;
  kommune: string;
  role: string;
  audience: string;
  /** Seconds until expiry; default 8 hours (a working day). */
  ttlSeconds?: number;
}

/** Loads the key pair from `<dataDir>/dev-issuer/`, creating it on first use. */
export async function loadDevIssuer(dataDir: string): Promise<DevIssuer> {
  const dir = join(dataDir, 'dev-issuer');
  const file = join(dir, 'signing-key.jwk.json');
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const fresh: JWK = {
      ...(await exportJWK(privateKey)),
      alg: ALG,
      use: 'sig',
      kid: `dev-${Date.now().toString(36)}`,
    };
    mkdirSync(dir, { recursive: true });
    try {
      // 'wx': when two processes race on a fresh folder, the first key wins and both use it.
      writeFileSync(file, JSON.stringify(fresh), { flag: 'wx', mode: 0o600 });
      privateJwk = fresh;
    } catch {
      privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    }
  }
  const { d: _private, ...publicJwk } = privateJwk;
  const key = (await importJWK(privateJwk, ALG)) as KeyLike;
  return {
    jwks: { keys: [publicJwk] },
    sign: (claims) =>
      new SignJWT({ kommune: claims.kommune, role: claims.role })
        .setProtectedHeader({ alg: ALG, kid: privateJwk.kid, typ: 'JWT' })
        .setIssuer(DEV_ISSUER)
        .setAudience(claims.audience)
        .setSubject(claims.sub)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.ttlSeconds ?? 8 * 3600))
        .sign(key),
  };
}
