/**
 * The embedded development identity provider for families (`oidc-provider`), run as a child
 * process: `node --import tsx runtime/family-dev-idp.ts [port]`. It plays ID-porten for
 * `npm start` and the tests, offline and with no settings: authorization code + PKCE, an ID
 * token with `pid` (a made-up fødselsnummer) and `birthdate`, and a login page where you pick one
 * of a few test people. Never meant for production; `npm start` runs it only while no
 * FAMILY_OIDC_ISSUER is set. Prints `{"issuer": "..."}` on its first stdout line once it listens.
 *
 * ESM-only (oidc-provider 9), hence a process of its own: Jest and the API need not load it.
 *
 * @module
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import {
  DEV_IDP_CLIENT_ID,
  DEV_IDP_CLIENT_SECRET,
  FAMILY_CALLBACK_PATH,
  devTestPeople,
} from '../server/family/dev-people';

const port = Number(process.argv[2] ?? 0);
const host = '127.0.0.1';

async function main(): Promise<void> {
  const people = devTestPeople(new Date());
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const issuer = `http://${host}:${address.port}`;

  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEV_IDP_CLIENT_ID,
        client_secret: DEV_IDP_CLIENT_SECRET,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        // Checked below: any loopback address with the callback path (the API's port varies).
        redirect_uris: [`http://localhost${FAMILY_CALLBACK_PATH}`],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: {
      keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'dev', use: 'sig', alg: 'ES256' }],
    },
    cookies: { keys: [randomBytes(32).toString('base64')] },
    // Like ID-porten: the person's number and birth date in the ID token itself.
    claims: { openid: ['sub', 'pid', 'birthdate'], profile: ['name'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // A first-party client: no consent screen, the grant is implied by the sign-in.
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId || !ctx.oidc.client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
      grant.addOIDCScope('openid profile');
      grant.addOIDCClaims(['pid', 'birthdate', 'name']);
      await grant.save();
      return grant;
    },
    findAccount: (_ctx, id) => {
      const person = people.find((p) => p.id === id);
      if (!person) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          pid: person.pid,
          birthdate: person.birthdate,
          name: person.name,
        }),
      };
    },
  });
  const loopback = ['localhost', '127.0.0.1', '[::1]'];
  provider.Client.prototype.redirectUriAllowed = (uri: string) => {
    try {
      const url = new URL(uri);
      return loopback.includes(url.hostname) && url.pathname === FAMILY_CALLBACK_PATH;
    } catch {
      return false;
    }
  };

  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(req.url ?? '');
    if (!match) return void callback(req, res);
    interaction(req, res, match[2] !== undefined).catch((err: unknown) => {
      res.statusCode = 400;
      res.end(`Innloggingen feilet: ${err instanceof Error ? err.message : String(err)}`);
    });
  });

  async function interaction(req: IncomingMessage, res: ServerResponse, login: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (!login || req.method !== 'POST') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(loginPage(details.uid));
      return;
    }
    let body = '';
    for await (const chunk of req) {
      body += String(chunk);
      if (body.length > 1000) throw new Error('too long');
    }
    const id = new URLSearchParams(body).get('person') ?? '';
    if (!people.some((p) => p.id === id)) throw new Error('ukjent testperson');
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: id } },
      { mergeWithLastSubmission: false },
    );
  }

  function loginPage(uid: string): string {
    const buttons = people
      .map(
        (p) =>
          `<li><button name="person" value="${p.id}">${p.name}</button> – ${p.description}</li>`,
      )
      .join('\n');
    return `<!doctype html><html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Testinnlogging (kun utvikling)</title></head><body>
<main><h1>Testinnlogging – kun for utvikling</h1>
<p><strong>Dette er ikke ID-porten.</strong> Velg en testperson. Personene og fødselsnumrene er oppdiktet.</p>
<form method="post" action="/interaction/${uid}/login"><ul>${buttons}</ul></form></main></body></html>`;
  }

  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent's end: stdin closes when it dies, so no orphan is left behind.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`family-dev-idp: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
