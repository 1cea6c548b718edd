/**
 * Reads one route's JSON body strictly, in time linear in its size, before any work is done
 * with it: `application/json` in UTF-8 only (415 otherwise, UTF-16 and UTF-32 included), no
 * compression, at most `limitBytes` (413, checked while reading), valid UTF-8 (400), nested at
 * most `MAX_BODY_DEPTH` levels (400) and no key twice in one object (400, at the key's path).
 * `JSON.parse` alone would keep the last of two keys silently and overflow the stack on deep
 * nesting.
 *
 * @module
 */
import express, { type RequestHandler } from 'express';
import { parseJsonText } from '../config/parse-json-text';
import { ApiError } from './api-error';
import { ErrorNb } from './error-codes';

/** Objects and arrays inside one another, the body itself counted; the seed configs reach 13. */
export const MAX_BODY_DEPTH = 32;
/** Duplicate keys named in one answer; the rest are the same mistake. */
const MAX_DUPLICATES_REPORTED = 10;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function jsonBody(limitBytes: number): RequestHandler {
  const read = jsonBytes(limitBytes);
  return (req, res, next) =>
    read(req, res, (err?: unknown) => {
      if (err) return next(err);
      try {
        req.body = parseJsonBody(req.body as Buffer);
        next();
      } catch (error) {
        next(error);
      }
    });
}

/**
 * The first half of `jsonBody`: the type, charset and size checks, leaving the body's bytes
 * unparsed in `req.body`, for a route that parses them elsewhere (a worker thread) with
 * `parseJsonBody`.
 */
export function jsonBytes(limitBytes: number): RequestHandler {
  // inflate: false answers a compressed body 415 rather than unpacking it past the limit.
  const readRaw = express.raw({ type: () => true, limit: limitBytes, inflate: false });
  return (req, res, next) => {
    if (!req.is('application/json'))
      return next(
        new ApiError(
          'UNSUPPORTED_MEDIA_TYPE',
          'send the body as application/json',
          ErrorNb.UNSUPPORTED_MEDIA_TYPE,
        ),
      );
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      return next(
        new ApiError(
          'UNSUPPORTED_MEDIA_TYPE',
          'send the body as UTF-8 JSON',
          ErrorNb.UNSUPPORTED_MEDIA_TYPE,
          [
            {
              path: '/headers/content-type',
              message: 'charset must be utf-8',
              nb: 'Tegnsettet må være utf-8.',
            },
          ],
        ),
      );
    }
    readRaw(req, res, next);
  };
}

/** The second half of `jsonBody`: the bytes as UTF-8 JSON, strictly; refusals are `ApiError`s. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  // UTF-16 and UTF-32 start with a byte order mark or have a zero byte in the first two
  // (RFC 4627 §3); UTF-8 JSON never holds a zero byte.
  const bom = (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe);
  if (bom || (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0))) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'send the body as UTF-8 JSON, not UTF-16 or UTF-32',
      'Send forespørselen som JSON i UTF-8, ikke UTF-16 eller UTF-32.',
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ApiError('INVALID_UTF8', 'the body is not valid UTF-8', ErrorNb.INVALID_UTF8, [
      { path: '/body', message: 'invalid UTF-8 byte sequence', nb: 'Ugyldige UTF-8-tegn.' },
    ]);
  }
  const parsed = parseJsonText(text, { maxDepth: MAX_BODY_DEPTH, positions: false });
  if (!parsed.ok) {
    const { message, line, column, reason } = parsed.error;
    const where = `${message} (line ${line}, column ${column})`;
    const whereNb = `Linje ${line}, kolonne ${column}.`;
    if (reason === 'depth') {
      throw new ApiError(
        'NESTING_TOO_DEEP',
        `the body is nested more than ${MAX_BODY_DEPTH} levels deep`,
        `Forespørselen har mer enn ${MAX_BODY_DEPTH} nivåer inni hverandre.`,
        [{ path: '/body', message: where, nb: whereNb }],
      );
    }
    throw new ApiError('MALFORMED_JSON', 'the body is not valid JSON', ErrorNb.MALFORMED_JSON, [
      { path: '/body', message: where, nb: `Ikke gyldig JSON: ${whereNb}` },
    ]);
  }
  if (parsed.duplicates.length > 0) {
    throw new ApiError(
      'DUPLICATE_KEY',
      'an object in the body names the same key twice; say each once',
      'Forespørselen har samme felt to ganger i ett objekt; oppgi hvert felt én gang.',
      parsed.duplicates.slice(0, MAX_DUPLICATES_REPORTED).map((d) => ({
        path: `/body${d.path}`,
        message: `already given at line ${d.first.line}, column ${d.first.column}`,
        nb: `Allerede oppgitt på linje ${d.first.line}, kolonne ${d.first.column}.`,
      })),
    );
  }
  return parsed.value;
}
