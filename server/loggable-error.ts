/**
 * What of an unexpected error may be logged: its class and where it was thrown, never its
 * message, which may quote a request body, a URL with ids or a token.
 *
 * @module
 */
export function loggableError(err: unknown): { errorClass: string; frames?: string } {
  if (!(err instanceof Error)) return { errorClass: typeof err };
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
  return { errorClass: err.constructor?.name ?? err.name, frames };
}
