/**
 * Bearer tokens: verified with `jose` against the configured issuer's key set (or the embedded
 * development issuer's), then read into a `Principal`. The claims the API needs are `sub`
 * (pseudonymous user id), `kommune` and `role`; a token without them is invalid.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { z } from 'zod';
import { ApiError } from './api-error';
import { ErrorNb } from './error-codes';
import { zodIssueNb } from './zod-nb';
import { KommuneId, PersonId } from './api-schemas';
import type { AuthSettings } from './auth-settings';
import type { DevIssuer } from './dev-issuer';

export interface Principal {
  /** Pseudonymous user id; becomes the case actor's id. */
  sub: string;
  kommune: string;
  role: string;
  /** Stable per issuer and subject, for rate limits; a hash, so logs never see the sub. */
  key: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

// The sub becomes a case actor's (and holder's) id, so it has the engine's person-id format.
const claimsSchema = z.object({
  sub: PersonId,
  kommune: KommuneId,
  role: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a role id of the kommune config'),
});

/** Algorithms an OIDC provider may sign with; `none` and HMAC are never accepted. */
const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256', 'EdDSA'];

export type VerifyToken = (token: string) => Promise<Principal>;

/**
 * A verified token is remembered this long at most, and never past its `exp`: a key taken out of
 * the issuer's set stops being accepted within a minute.
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
/** Tokens remembered at once (the oldest go first); longer tokens are verified every time. */
const VERIFIED_TOKENS_MAX = 2000;
const VERIFIED_TOKEN_MAX_LENGTH = 4096;

export interface TokenVerifierOptions {
  /** The clock tokens are checked against (tests move it). */
  now?: () => number;
  /** The key set, instead of the one `settings` names (tests count and change it). */
  keys?: JWTVerifyGetKey;
}

/**
 * Verifies bearer tokens and reads their principal. A signature check is the API's largest cost
 * per request after Temporal's (about 0.4 ms of CPU for ES256; issue #12), and a coordinator's
 * browser sends the same token with every request; so a token that verified is remembered, keyed
 * by the whole token (one byte changed anywhere, signature included, is another key), until
 * `VERIFIED_TOKEN_TTL_MS` or its `exp`, whichever is first. A token that failed is never
 * remembered.
 */
export function createTokenVerifier(
  settings: AuthSettings,
  devIssuer?: DevIssuer,
  options: TokenVerifierOptions = {},
): VerifyToken {
  const now = options.now ?? Date.now;
  let keys: JWTVerifyGetKey;
  if (options.keys) {
    keys = options.keys;
  } else if (settings.kind === 'oidc') {
    keys = createRemoteJWKSet(settings.jwksUrl, {
      timeoutDuration: 3000,
      cooldownDuration: 30_000,
    });
  } else {
    if (!devIssuer)
      throw new Error(
        'createTokenVerifier: the development issuer needs its key pair (loadDevIssuer)',
      );
    keys = createLocalJWKSet(devIssuer.jwks);
  }
  const verified = new Map<string, { principal: Principal; until: number }>();
  const verify = async (token: string): Promise<Principal> => {
    const at = now();
    const known = verified.get(token);
    if (known && at < known.until) return known.principal;
    if (known) verified.delete(token);
    const { principal, exp } = await verifyAt(token, at);
    if (token.length <= VERIFIED_TOKEN_MAX_LENGTH) {
      if (verified.size >= VERIFIED_TOKENS_MAX) verified.delete(verified.keys().next().value!);
      verified.set(token, { principal, until: Math.min(at + VERIFIED_TOKEN_TTL_MS, exp * 1000) });
    }
    return principal;
  };
  const verifyAt = async (token: string, at: number) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 30,
        currentDate: new Date(at),
      }));
    } catch (err) {
      throw tokenError(err);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new ApiError(
        'TOKEN_INVALID',
        'the token lacks the claims sub, kommune and role, or one is not in its format',
        'Innloggingen mangler bruker, kommune eller rolle, eller en av dem har feil form.',
        claims.error.issues.map((i) => ({
          path: `/token/${i.path.join('/')}`,
          message: i.message,
          nb: zodIssueNb(i),
        })),
      );
    }
    const { sub, kommune, role } = claims.data;
    const key = createHash('sha256')
      .update(`${settings.issuer}\n${sub}`)
      .digest('base64url')
      .slice(0, 22);
    // `exp` is required and checked above, so it is a number here.
    return { principal: Object.freeze({ sub, kommune, role, key }), exp: payload.exp as number };
  };
  return verify;
}

function tokenError(err: unknown): ApiError {
  if (err instanceof errors.JWTExpired)
    return new ApiError('TOKEN_EXPIRED', 'the token has expired', ErrorNb.TOKEN_EXPIRED);
  if (
    err instanceof errors.JWKSTimeout ||
    (err instanceof Error && !(err instanceof errors.JOSEError))
  ) {
    // The key set could not be fetched: the identity provider is down, not the token wrong.
    return new ApiError(
      'AUTH_UNAVAILABLE',
      'the identity provider did not answer; try again',
      ErrorNb.AUTH_UNAVAILABLE,
    );
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    return new ApiError(
      'TOKEN_INVALID',
      `the token is not valid here: ${err.message}`,
      'Innloggingen gjelder ikke her. Logg inn på nytt.',
      [
        {
          path: `/token/${err.claim}`,
          message: err.reason,
          nb: `Feltet «${err.claim}» i innloggingen er ikke godtatt.`,
        },
      ],
    );
  }
  return new ApiError(
    'TOKEN_INVALID',
    'the token is not valid: bad signature, unknown key or malformed',
    ErrorNb.TOKEN_INVALID,
  );
}

/**
 * Requires `Authorization: Bearer <jwt>` and puts the verified principal on the request; a
 * request without the header passes when the family session already put its principal there.
 */
export function authenticate(verify: VerifyToken): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    // Signed in with the family's session cookie (server/family/family-session.ts).
    if (!header && req.principal) return next();
    if (!header)
      return next(
        new ApiError(
          'TOKEN_MISSING',
          'send a bearer token: Authorization: Bearer <token>',
          'Du er ikke logget inn. Send en innlogging (Authorization: Bearer <token>).',
        ),
      );
    const match = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i.exec(header.trim());
    if (!match)
      return next(
        new ApiError(
          'TOKEN_INVALID',
          'the Authorization header must be "Bearer <token>"',
          'Innloggingen må sendes som «Authorization: Bearer <token>».',
        ),
      );
    verify(match[1]).then(
      (principal) => {
        req.principal = principal;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
