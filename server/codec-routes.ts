/**
 * The codec endpoint for Temporal's Web UI (its "remote codec server" protocol): the UI shows
 * ciphertext for every payload, and an operator who may read a stuck case's payloads points the
 * UI at `<this service>/codec` to see them decoded in their own browser.
 *
 * Off unless `CODEC_UI_ORIGIN` names the UI's origin. Then `POST /codec/decode` answers only
 * requests from that origin (CORS), signed in with a token of the operator role (`drift`); each
 * use is written to the kommune's audit trail before anything is answered. A payload is shown
 * only when it names the operator's kommune (`"kommune": …` at its top); every other one goes
 * back as it came, still encrypted. There is no `/encode`: the UI cannot send commands through us.
 *
 * @module
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { AuditActions, type AuditEntryInput } from '../store/config-store';
import { ApiError } from './api-error';
import { errorHandler } from './error-handler';
import { jsonBody } from './json-body';
import type { Logger } from '../runtime/logger';

export const OPERATOR_ROLE = 'drift';
/** The UI sends the payloads of one workflow page; a history page is far below this. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_PAYLOADS = 1000;

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const WirePayload = z.object({
  metadata: z.record(z.string().max(256), Base64).optional(),
  data: Base64.optional(),
});
const DecodeBody = z.object({ payloads: z.array(WirePayload).max(MAX_PAYLOADS) });
type WirePayload = z.infer<typeof WirePayload>;

export interface CodecDeps {
  /** The Temporal Web UI's origin, e.g. `https://temporal-ui.kommune.no`. */
  origin: string;
  codec: PayloadCodec;
  signedIn: RequestHandler[];
  audit(entry: AuditEntryInput): Promise<void>;
  logger: Logger;
}

const fromWire = (p: WirePayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toWire = (p: Payload): WirePayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/** The kommune a decoded JSON payload names at its top, if any. */
function kommuneOf(p: Payload): string | undefined {
  if (Buffer.from(p.metadata?.encoding ?? []).toString() !== 'json/plain') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(p.data ?? []).toString('utf8'));
    const kommune = (value as { kommune?: unknown } | null)?.kommune;
    return typeof kommune === 'string' ? kommune : undefined;
  } catch {
    return undefined;
  }
}

export function createCodecRouter(deps: CodecDeps): express.Router {
  const router = express.Router();
  const fromUi: RequestHandler = (req, res, next) => {
    if (req.get('origin') !== deps.origin) {
      next(
        new ApiError(
          'ORIGIN_NOT_ALLOWED',
          'the codec answers the configured Temporal Web UI only (CODEC_UI_ORIGIN)',
          'Dekodingen svarer bare Temporal-grensesnittet som er satt opp (CODEC_UI_ORIGIN).',
        ),
      );
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', deps.origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
    next();
  };
  // The browser's preflight carries no token; it learns only what it may send.
  router.options('/codec/decode', fromUi, (_req, res) => {
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });
  router.post(
    '/codec/decode',
    fromUi,
    ...deps.signedIn,
    jsonBody(MAX_BODY_BYTES),
    async (req, res, next) => {
      try {
        const principal = req.principal!;
        if (principal.role !== OPERATOR_ROLE)
          throw new ApiError(
            'ROLE_NOT_ALLOWED',
            `only the ${OPERATOR_ROLE} role may decode payloads; the token's role is "${principal.role}"`,
            `Bare driftsrollen kan lese innholdet i Temporal; du er logget inn som «${principal.role}».`,
          );
        const body = DecodeBody.safeParse(req.body);
        if (!body.success)
          throw new ApiError(
            'VALIDATION_FAILED',
            `expected {payloads: [{metadata, data}]} in base64, at most ${MAX_PAYLOADS}`,
            `Forventet {payloads: [{metadata, data}]} i base64, høyst ${MAX_PAYLOADS}.`,
          );
        const sent = body.data.payloads.map(fromWire);
        const decoded = await Promise.all(
          sent.map(async (p) => (await deps.codec.decode([p]).catch(() => [p]))[0]),
        );
        const shown = decoded.map((p, i) => (kommuneOf(p) === principal.kommune ? p : sent[i]));
        const count = shown.filter((p, i) => p !== sent[i]).length;
        // Written before the answer: a read that cannot be recorded is not answered.
        await deps.audit({
          kommune: principal.kommune,
          actor: principal.sub,
          action: AuditActions.payloadsDecoded,
          details: {
            payloads: sent.length,
            shown: count,
            namespace: (req.get('x-namespace') ?? '').slice(0, 100),
          },
        });
        res.setHeader('Cache-Control', 'no-store');
        res.json({ payloads: shown.map(toWire) });
      } catch (err) {
        next(err);
      }
    },
  );
  router.use('/codec', errorHandler(deps.logger));
  return router;
}
