/**
 * The family's session: a sealed cookie (jose `EncryptJWT`, A256GCM, key derived from the key
 * ring's pseudonym key), httpOnly, SameSite=Lax, Secure over https, with an expiry. It holds
 * only the pseudonymous user id, kommune, family role and age, a CSRF token (synchronizer
 * token: every state-changing form and cookie-signed API call must carry it), and briefly a
 * request for contact made before signing in. Nothing about the person is stored server-side.
 *
 * Sign-out clears the cookie and records the session as ended in the store until the session
 * would have expired (store/ended-sessions.ts), so a copy of the cookie stops working in every
 * API process at once, also in one started later.
 *
 * @module
 */
import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { EndedSessions } from '../../store/ended-sessions';
import { ApiError } from '../api-error';
import { ErrorNb } from '../error-codes';

export const SESSION_COOKIE = 'sluse_familie';
export const LOGIN_COOKIE = 'sluse_familie_innlogging';
/** A signed-in session lasts this long from sign-in (ID-porten's own session is shorter than a day). */
export const SESSION_TTL_S = 60 * 60;
const LOGIN_TTL_S = 10 * 60;
/** A request for contact waits this long for its sign-in. */
export const PENDING_TTL_MS = 15 * 60 * 1000;

export interface FamilyUser {
  /** `fam-…`: keyed hash of the national identity number. */
  id: string;
  kommune: string;
  role: string;
  age: number;
}

export interface PendingContact {
  kommune: string;
  answers: Record<string, string>;
  ageBand?: string;
  /** ms since epoch, when it was asked. */
  at: number;
}

export interface FamilySession {
  sid: string;
  csrf: string;
  user?: FamilyUser;
  pending?: PendingContact;
}

/** What the sign-in needs between leaving for the provider and coming back. */
export interface LoginTransaction {
  state: string;
  nonce: string;
  verifier: string;
  kommune: string;
  /** Back to the confirm page of a pending request, or the kommune's front page. */
  next: 'kontakt' | 'forside';
}

declare module 'express-serve-static-core' {
  interface Request {
    familySession?: FamilySession;
  }
}

export interface SessionSealer {
  seal(value: object, ttlSeconds: number): Promise<string>;
  open<T>(token: string): Promise<T | null>;
}

export function createSessionSealer(pseudonymKey: Uint8Array): SessionSealer {
  const key = new Uint8Array(
    hkdfSync('sha256', pseudonymKey, new Uint8Array(0), 'sluse-family-session', 32),
  );
  return {
    seal: (value, ttlSeconds) =>
      new EncryptJWT({ v: value })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .encrypt(key),
    async open<T>(token: string) {
      try {
        const { payload } = await jwtDecrypt(token, key, { clockTolerance: 5 });
        return (payload.v as T | undefined) ?? null;
      } catch {
        return null;
      }
    },
  };
}

function cookieOptions(req: Request, maxAgeS: number, path = '/'): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: req.secure, path, maxAge: maxAgeS * 1000 };
}

const random = () => randomBytes(24).toString('base64url');

export interface FamilySessions {
  /** Reads the session cookie onto `req.familySession` (none, expired or ended: undefined). */
  read: RequestHandler;
  /** The request's session, started (anonymous) when there is none. */
  ensure(req: Request, res: Response): Promise<FamilySession>;
  save(req: Request, res: Response, session: FamilySession): Promise<void>;
  /** Signs out: the session is refused everywhere from when this resolves. */
  end(req: Request, res: Response): Promise<void>;
  /** True when `token` is this session's CSRF token. */
  csrfMatches(session: FamilySession | undefined, token: unknown): boolean;
  saveLogin(req: Request, res: Response, login: LoginTransaction): Promise<void>;
  /** The login transaction, read once: the cookie is cleared. */
  takeLogin(req: Request, res: Response): Promise<LoginTransaction | null>;
  /**
   * For the API and the visualizer: a signed-in family session becomes `req.principal`, the
   * same principal a bearer token gives, when the request has no Authorization header. A
   * state-changing request signed in this way must carry the session's CSRF token in
   * `X-CSRF-Token` (or, for a form parsed before this runs, in its `_csrf` field).
   */
  principal: RequestHandler;
}

export function createFamilySessions(
  sealer: SessionSealer,
  ended: Pick<EndedSessions, 'end' | 'isEnded'>,
): FamilySessions {
  const sessions: FamilySessions = {
    read: (req, _res, next) => {
      const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
      if (typeof token !== 'string' || token.length > 8000) return next();
      sealer.open<FamilySession>(token).then(
        async (session) => {
          if (!session) return next();
          // The store failing is an error, not "signed out": ensure() would then start an
          // anonymous session over the family's cookie.
          try {
            if (!(await ended.isEnded(session.sid))) req.familySession = session;
          } catch (err) {
            return next(err);
          }
          next();
        },
        () => next(),
      );
    },
    async ensure(req, res) {
      if (req.familySession) return req.familySession;
      const session: FamilySession = { sid: random(), csrf: random() };
      await sessions.save(req, res, session);
      return session;
    },
    async save(req, res, session) {
      req.familySession = session;
      res.cookie(
        SESSION_COOKIE,
        await sealer.seal(session, SESSION_TTL_S),
        cookieOptions(req, SESSION_TTL_S),
      );
    },
    async end(req, res) {
      // Until the latest the cookie could expire: every save() seals it for SESSION_TTL_S more.
      if (req.familySession)
        await ended.end(req.familySession.sid, new Date(Date.now() + SESSION_TTL_S * 1000));
      req.familySession = undefined;
      res.clearCookie(SESSION_COOKIE, { ...cookieOptions(req, 0), maxAge: undefined });
    },
    csrfMatches(session, token) {
      if (!session || typeof token !== 'string') return false;
      const a = Buffer.from(token);
      const b = Buffer.from(session.csrf);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    async saveLogin(req, res, login) {
      res.cookie(
        LOGIN_COOKIE,
        await sealer.seal(login, LOGIN_TTL_S),
        cookieOptions(req, LOGIN_TTL_S, '/familie/innlogging'),
      );
    },
    async takeLogin(req, res) {
      const token = (req.cookies as Record<string, string> | undefined)?.[LOGIN_COOKIE];
      res.clearCookie(LOGIN_COOKIE, {
        ...cookieOptions(req, 0, '/familie/innlogging'),
        maxAge: undefined,
      });
      if (typeof token !== 'string' || token.length > 4000) return null;
      return sealer.open<LoginTransaction>(token);
    },
    principal: (req, _res, next) => {
      const user = req.familySession?.user;
      if (!user || req.headers.authorization !== undefined) return next();
      const safe = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
      // A form parsed before this middleware carries the token as `_csrf` instead.
      const token =
        req.headers['x-csrf-token'] ?? (req.body as Record<string, unknown> | undefined)?._csrf;
      if (!safe && !sessions.csrfMatches(req.familySession, token)) {
        return next(
          new ApiError(
            'CSRF_INVALID',
            'a request signed in with the family session must carry its CSRF token in X-CSRF-Token',
            ErrorNb.CSRF_INVALID,
          ),
        );
      }
      req.principal = {
        sub: user.id,
        kommune: user.kommune,
        role: user.role,
        key: createHash('sha256').update(`family\n${user.id}`).digest('base64url').slice(0, 22),
      };
      next();
    },
  };
  return sessions;
}
