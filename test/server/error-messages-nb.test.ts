/**
 * Every refusal the API can give has its bokmål message: each code of the one table, each
 * engine rejection code (also from a worker older than the engine's own bokmål), and the
 * OpenAPI document requires `nb` on the error body and on each detail.
 */
import { RejectionCodes, type Rejection } from '../../machines/types';
import { ErrorCodes, ErrorNb } from '../../server/error-codes';
import { openApiDocument } from '../../server/openapi';
import { rejectionToApiError } from '../../server/temporal-errors';

test('when any error code is answered, then it has a bokmål message of its own', () => {
  for (const code of ErrorCodes) {
    expect([code, ErrorNb[code]]).toEqual([code, expect.stringMatching(/^[A-ZÆØÅ].*\.$/)]);
  }
  // No English left behind as a default.
  expect(Object.values(ErrorNb).filter((m) => /\b(the|must|not found)\b/i.test(m))).toEqual([]);
});

test('when a case rejection arrives without bokmål (a worker from before it), then the code’s default answers', () => {
  for (const code of RejectionCodes) {
    // What an older worker sends: no bokmål anywhere (the type now requires it on details).
    const details = [{ path: '/x', message: 'e' }] as Rejection['details'];
    const old: Rejection = { code, message: 'english', details };
    const body = rejectionToApiError(old).toBody().error;
    expect(body.nb).toBe(ErrorNb[body.code]);
    expect(body.details[0]!.nb).toMatch(/\S/);
  }
  const given = rejectionToApiError({
    code: 'EVENT_NOT_ALLOWED',
    message: 'english',
    nb: 'Hendelsen «A» kan ikke sendes i steget «B».',
    details: [],
    allowedEvents: ['a'],
  }).toBody();
  expect(given).toEqual({
    error: {
      code: 'EVENT_NOT_ALLOWED',
      message: 'english',
      nb: 'Hendelsen «A» kan ikke sendes i steget «B».',
      details: [],
      allowedEvents: ['a'],
    },
  });
});

interface ErrorSchema {
  required: string[];
  properties: { details: { items: { required: string[] } } };
}

test('when the OpenAPI document describes an error, then nb is required on it and on each detail', () => {
  const doc = openApiDocument([], [], { version: 't' }) as {
    components: { schemas: { Error: { properties: { error: ErrorSchema } } } };
  };
  const error = doc.components.schemas.Error.properties.error;
  expect(error.required).toEqual(expect.arrayContaining(['code', 'message', 'nb', 'details']));
  expect(error.properties.details.items.required).toEqual(
    expect.arrayContaining(['path', 'message', 'nb']),
  );
});
