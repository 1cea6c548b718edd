/**
 * The families' door: sign-in with OpenID Connect (authorization code + PKCE, `openid-client`)
 * at the kommune's identity provider (ID-porten in production, the embedded development
 * provider otherwise), sign-out, and "ask for contact", which opens a case.
 *
 * - `GET  /familie/{kommune}/logg-inn` → the provider; back at `GET /familie/innlogging/tilbake`.
 *   The national identity number is read there and turned into a keyed hash at once; only the
 *   hash, the kommune, the family role and the age go into the session.
 * - `POST /familie/{kommune}/kontakt` (form: `_csrf`, `answers` = JSON of question id → option
 *   id, `ageBand`): signed in and with the session's token, opens the case and shows the
 *   receipt. Otherwise (the screening's result page has no token, it sets no cookie) the request
 *   waits in the sealed session cookie (15 minutes), the family signs in if need be, and a
 *   confirm page posts it again with the token.
 * - `POST /familie/{kommune}/logg-ut` (form: `_csrf`) ends the session.
 *
 * Pages here are small and plain; the screening and the family's case page are their own.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { Logger } from '../../runtime/logger';
import type { Principal } from '../authenticate';
import type { CaseService } from '../case-service';
import type { ConfigSource } from '../config-source';
import { ApiError } from '../api-error';
import { FAMILY_CALLBACK_PATH } from './dev-people';
import { ageOn, birthDateOf, familyRoleFor, familyUserId } from './family-identity';
import { PENDING_TTL_MS, type FamilySessions, type PendingContact } from './family-session';

export interface FamilyProvider {
  issuer: URL;
  clientId: string;
  clientSecret: string;
}

export interface FamilyRouterDeps {
  provider: FamilyProvider;
  sessions: FamilySessions;
  configs: ConfigSource;
  cases: CaseService;
  pseudonymKey: Uint8Array;
  logger: Logger;
}

const KommuneParam = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
  .max(64);
const Id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/);
const ContactForm = z.object({
  answers: z
    .string()
    .max(8000)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'answers is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.record(Id, Id).refine((a) => Object.keys(a).length <= 100, 'at most 100 answers')),
  ageBand: Id.optional(),
});

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title></head><body><main>
<h1>${escape(title)}</h1>
${body}
</main></body></html>`;
}

export function createFamilyRouter(deps: FamilyRouterDeps): express.Router {
  const { sessions, provider } = deps;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(
        provider.issuer,
        provider.clientId,
        provider.clientSecret,
        undefined,
        provider.issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  };

  const send = (res: Response, status: number, title: string, body: string) => {
    // Nothing but this origin's forms: no scripts, styles or frames from anywhere.
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(page(title, body));
  };
  const named =
    (route: string): express.RequestHandler =>
    (_req, res, next) => {
      res.locals.route = route;
      next();
    };
  const callbackUrl = (req: Request) =>
    `${req.protocol}://${req.get('host')}${FAMILY_CALLBACK_PATH}`;

  async function kommuneOf(req: Request, res: Response) {
    const parsed = KommuneParam.safeParse(req.params.kommune);
    const current = parsed.success ? await deps.configs.current(parsed.data) : undefined;
    if (!current) {
      send(res, 404, 'Finner ikke kommunen', '<p>Denne adressen finnes ikke.</p>');
      return undefined;
    }
    return current;
  }

  /** The form's CSRF token must be this session's; else 403 and nothing is done. */
  function csrfOk(req: Request, res: Response): boolean {
    const token = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (sessions.csrfMatches(req.familySession, token)) return true;
    res.locals.errorCode = 'CSRF_INVALID';
    send(
      res,
      403,
      'Skjemaet kunne ikke sendes',
      '<p>Skjemaet er utløpt eller kom ikke fra denne siden. Gå tilbake, last siden på nytt og prøv igjen.</p>',
    );
    return false;
  }

  const signOutForm = (kommune: string, csrf: string) =>
    `<form method="post" action="/familie/${kommune}/logg-ut"><input type="hidden" name="_csrf" value="${escape(csrf)}"><button>Logg ut</button></form>`;

  router.get(
    '/familie/:kommune/logg-inn',
    named('/familie/:kommune/logg-inn'),
    async (req, res, next) => {
      try {
        const current = await kommuneOf(req, res);
        if (!current) return;
        const config = await configuration();
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        await sessions.saveLogin(req, res, {
          state,
          nonce,
          verifier,
          kommune: current.config.id,
          next: req.query.neste === 'kontakt' ? 'kontakt' : 'forside',
        });
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: callbackUrl(req),
          scope: 'openid',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        res.redirect(303, url.href);
      } catch (err) {
        next(err);
      }
    },
  );

  router.get(FAMILY_CALLBACK_PATH, named(FAMILY_CALLBACK_PATH), async (req, res, next) => {
    try {
      const login = await sessions.takeLogin(req, res);
      if (!login) {
        send(
          res,
          400,
          'Innloggingen er utløpt',
          '<p>Innloggingen tok for lang tid eller ble avbrutt. Prøv igjen.</p>',
        );
        return;
      }
      const current = await deps.configs.current(login.kommune);
      if (!current) {
        send(res, 404, 'Finner ikke kommunen', '<p>Denne adressen finnes ikke.</p>');
        return;
      }
      let claims: Record<string, unknown> | undefined;
      try {
        const tokens = await oidc.authorizationCodeGrant(
          await configuration(),
          new URL(req.originalUrl, callbackUrl(req)),
          {
            pkceCodeVerifier: login.verifier,
            expectedState: login.state,
            expectedNonce: login.nonce,
          },
        );
        claims = tokens.claims();
      } catch (err) {
        // The library's message, never the claims: they may hold the person's number.
        deps.logger.warn(
          { err: err instanceof Error ? err.name : 'error' },
          'family sign-in failed',
        );
        send(res, 400, 'Innloggingen feilet', '<p>Innloggingen ble ikke godtatt. Prøv igjen.</p>');
        return;
      }
      const pid = claims?.pid;
      const birthDate = claims ? birthDateOf(claims) : null;
      if (typeof pid !== 'string' || pid.length < 6 || pid.length > 64 || !birthDate) {
        send(
          res,
          400,
          'Innloggingen feilet',
          '<p>Innloggingen mangler fødselsnummer eller fødselsdato.</p>',
        );
        return;
      }
      // From here on only the keyed hash and the age: the number itself is dropped.
      const id = familyUserId(pid, deps.pseudonymKey);
      const age = ageOn(birthDate, new Date());
      const role = familyRoleFor(current.config, age);
      const session = await sessions.ensure(req, res);
      if (!role.ok) {
        await sessions.save(req, res, { sid: session.sid, csrf: session.csrf });
        res.locals.errorCode = 'FAMILY_SIGN_IN_REFUSED';
        send(res, 403, 'Du kan ikke logge inn her', `<p>${escape(role.nb)}</p>`);
        return;
      }
      const pending =
        session.pending &&
        session.pending.kommune === login.kommune &&
        Date.now() - session.pending.at < PENDING_TTL_MS
          ? session.pending
          : undefined;
      await sessions.save(req, res, {
        // A new session id and CSRF token at sign-in: nothing set before it carries over.
        sid: oidc.randomState(),
        csrf: oidc.randomState(),
        user: { id, kommune: login.kommune, role: role.role, age },
        ...(pending ? { pending } : {}),
      });
      const kommune = login.kommune;
      res.redirect(
        303,
        login.next === 'kontakt' && pending
          ? `/familie/${kommune}/kontakt/bekreft`
          : `/familie/${kommune}/`,
      );
    } catch (err) {
      next(err);
    }
  });

  router.post(
    '/familie/:kommune/logg-ut',
    named('/familie/:kommune/logg-ut'),
    form,
    async (req, res, next) => {
      try {
        const current = await kommuneOf(req, res);
        if (!current || !csrfOk(req, res)) return;
        await sessions.end(req, res);
        send(
          res,
          200,
          'Du er logget ut',
          `<p>Du er logget ut.</p><p><a href="/familie/${current.config.id}/">Til forsiden</a></p>`,
        );
      } catch (err) {
        next(err);
      }
    },
  );

  router.post(
    '/familie/:kommune/kontakt',
    named('/familie/:kommune/kontakt'),
    form,
    async (req, res, next) => {
      try {
        const current = await kommuneOf(req, res);
        if (!current) return;
        // The screening's result page posts here without a token: it sets no cookie while the
        // family only looks. Such a post (or one with a stale token) opens nothing; it is kept
        // for the confirm page, which carries the token, after sign-in if need be.
        const confirmed = sessions.csrfMatches(
          req.familySession,
          (req.body as Record<string, unknown> | undefined)?._csrf,
        );
        const kommune = current.config.id;
        const parsed = ContactForm.safeParse(req.body);
        if (!parsed.success) {
          send(
            res,
            400,
            'Henvendelsen kunne ikke sendes',
            '<p>Svarene har feil form. Gå tilbake og prøv igjen.</p>',
          );
          return;
        }
        const { answers, ageBand } = parsed.data;
        const session = await sessions.ensure(req, res);
        const user = session.user?.kommune === kommune ? session.user : undefined;
        if (!user || !confirmed) {
          // Kept only in the sealed cookie until the family has signed in.
          const pending: PendingContact = {
            kommune,
            answers,
            ...(ageBand ? { ageBand } : {}),
            at: Date.now(),
          };
          await sessions.save(req, res, { ...session, pending });
          if (user) {
            res.redirect(303, `/familie/${kommune}/kontakt/bekreft`);
            return;
          }
          // A page of our own, not a redirect: the form that posted here may only lead to this
          // origin (form-action 'self'), and sign-in is at the identity provider's.
          send(
            res,
            200,
            'Logg inn for å sende',
            `<p>For at ${escape(current.config.name)} skal vite hvem som ber om en samtale, må du logge inn. Svarene dine venter her i 15 minutter.</p>
<p><a href="/familie/${kommune}/logg-inn?neste=kontakt">Logg inn</a></p>`,
          );
          return;
        }
        const principal: Principal = {
          sub: user.id,
          kommune,
          role: user.role,
          key: createHash('sha256').update(`family\n${user.id}`).digest('base64url').slice(0, 22),
        };
        // The same request from the same session opens one case, however often it is sent.
        const idempotencyKey = `familie-${createHash('sha256')
          .update(`${session.sid}\n${JSON.stringify([answers, ageBand ?? null])}`)
          .digest('base64url')}`;
        let caseId: string;
        try {
          // A young person asks for themselves: their age from sign-in is the case's age.
          const youth = current.config.roles[user.role]?.consentsAs === 'youth';
          const snapshot = await deps.cases.openSelfReferral(
            principal,
            kommune,
            { answers, ...(ageBand ? { ageBand } : {}), ...(youth ? { age: user.age } : {}) },
            idempotencyKey,
          );
          caseId = snapshot.caseId;
        } catch (err) {
          if (!(err instanceof ApiError) || err.status >= 500) throw err;
          res.locals.errorCode = err.code;
          send(res, err.status, 'Henvendelsen kunne ikke sendes', `<p>${escape(err.nb)}</p>`);
          return;
        }
        const { pending: _sent, ...rest } = session;
        await sessions.save(req, res, rest);
        res.redirect(303, `/familie/${kommune}/kontakt/mottatt/${caseId}`);
      } catch (err) {
        next(err);
      }
    },
  );

  // Asking for contact without a screening first: the same form, with no answers.
  router.get(
    '/familie/:kommune/kontakt',
    named('/familie/:kommune/kontakt'),
    async (req, res, next) => {
      try {
        const current = await kommuneOf(req, res);
        if (!current) return;
        const kommune = current.config.id;
        const session = await sessions.ensure(req, res);
        send(
          res,
          200,
          'Be om kontakt',
          `<p>Du kan be ${escape(current.config.name)} om en samtale. Du logger inn først, så vi vet hvem vi skal kontakte.</p>
<form method="post" action="/familie/${kommune}/kontakt">
<input type="hidden" name="_csrf" value="${escape(session.csrf)}">
<input type="hidden" name="answers" value="{}">
<button>Be om kontakt</button></form>`,
        );
      } catch (err) {
        next(err);
      }
    },
  );

  router.get(
    '/familie/:kommune/kontakt/bekreft',
    named('/familie/:kommune/kontakt/bekreft'),
    async (req, res, next) => {
      try {
        const current = await kommuneOf(req, res);
        if (!current) return;
        const kommune = current.config.id;
        const session = req.familySession;
        const pending = session?.pending;
        if (
          !session?.user ||
          session.user.kommune !== kommune ||
          !pending ||
          pending.kommune !== kommune
        ) {
          res.redirect(303, `/familie/${kommune}/`);
          return;
        }
        send(
          res,
          200,
          'Be om kontakt',
          `<p>Du er logget inn. Vil du at ${escape(current.config.name)} tar kontakt med deg?</p>
<form method="post" action="/familie/${kommune}/kontakt">
<input type="hidden" name="_csrf" value="${escape(session.csrf)}">
<input type="hidden" name="answers" value="${escape(JSON.stringify(pending.answers))}">
${pending.ageBand ? `<input type="hidden" name="ageBand" value="${escape(pending.ageBand)}">` : ''}
<button>Send henvendelsen</button></form>
${signOutForm(kommune, session.csrf)}`,
        );
      } catch (err) {
        next(err);
      }
    },
  );

  router.get(
    '/familie/:kommune/kontakt/mottatt/:caseId',
    named('/familie/:kommune/kontakt/mottatt/:caseId'),
    async (req, res, next) => {
      try {
        const current = await kommuneOf(req, res);
        if (!current) return;
        const kommune = current.config.id;
        const session = req.familySession;
        const raw = String(req.params.caseId);
        const caseId = /^[A-Za-z0-9_-]{1,64}$/.test(raw) ? raw : '';
        if (!session?.user || session.user.kommune !== kommune || !caseId) {
          res.redirect(303, `/familie/${kommune}/`);
          return;
        }
        send(
          res,
          200,
          'Vi har fått henvendelsen din',
          `<p>${escape(current.config.name)} tar kontakt med deg.</p>
<p><a href="/familie/${kommune}/sak/${caseId}">Se saken din</a></p>
${signOutForm(kommune, session.csrf)}`,
        );
      } catch (err) {
        next(err);
      }
    },
  );

  // Never the error itself on the page; its name only in the log (it may quote a claim).
  router.use(
    '/familie',
    (err: unknown, _req: Request, res: Response, _next: express.NextFunction): void => {
      deps.logger.warn({ err: err instanceof Error ? err.name : 'error' }, 'family door failed');
      send(
        res,
        503,
        'Noe gikk galt',
        '<p>Tjenesten svarer ikke akkurat nå. Prøv igjen om litt.</p>',
      );
    },
  );

  return router;
}
