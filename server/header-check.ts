/**
 * Refuses a request whose headers carry control characters. Node's HTTP parser already refuses
 * C0 controls and DEL with a bare 400; C1 controls (U+0080–U+009F, NEL among them) get
 * through and are refused here. Header values arrive as Latin-1, so a UTF-8 bidirectional
 * override (U+202A–U+202E, U+2066–U+2069: bytes E2 80 xx / E2 81 xx) shows up as a C1
 * character and is refused too; such characters could disguise one id as another on a screen.
 *
 * @module
 */
import type { RequestHandler } from 'express';
import { escapePointerSegment } from '../config/json-pointer';
import { ApiError } from './api-error';

// Tab is the one control character HTTP allows in a header value.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function refuseUnsafeHeaders(): RequestHandler {
  return (req, _res, next) => {
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (UNSAFE.test(raw[i + 1])) {
        const name = escapePointerSegment(raw[i].toLowerCase());
        return next(
          new ApiError(
            'VALIDATION_FAILED',
            'a request header holds a control character',
            'En header i forespørselen inneholder et kontrolltegn.',
            [
              {
                path: `/headers/${name}`,
                message: 'control characters and bidirectional overrides are not allowed',
                nb: 'Kontrolltegn og tegn som snur skriveretningen er ikke tillatt.',
              },
            ],
          ),
        );
      }
    }
    next();
  };
}
