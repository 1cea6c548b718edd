/**
 * Server-sent events read through fetch rather than EventSource, because EventSource cannot
 * send an Authorization header and the token must never go in the URL. Reconnects with backoff,
 * until the case is gone: the server says so on the stream, or answers a reconnect with 404 or
 * 403 (the case was handed on while the connection was down). Retrying then would never end.
 */
import { session, toSignIn } from './session';

export type LiveStatus = 'connecting' | 'live' | 'retrying' | 'ended';

export interface LiveStream {
  close(): void;
}

export function openLiveStream(
  path: string,
  handlers: {
    onMessage: (event: string, data: unknown) => void;
    onStatus: (s: LiveStatus) => void;
    /** The case no longer exists or is no longer visible to this user; the stream has ended. */
    onGone: () => void;
  },
): LiveStream {
  let closed = false;
  let controller: AbortController | undefined;
  let delay = 500;

  async function connect(): Promise<void> {
    while (!closed) {
      controller = new AbortController();
      handlers.onStatus('connecting');
      try {
        const res = await fetch(path, {
          headers: { Authorization: `Bearer ${session.token()}`, Accept: 'text/event-stream' },
          cache: 'no-store',
          signal: controller.signal,
        });
        if (res.status === 401) toSignIn('Innloggingen er utløpt. Logg inn på nytt.');
        if (res.status === 404 || res.status === 403) return gone();
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        handlers.onStatus('live');
        delay = 500;
        await readEvents(res.body, (event, data) =>
          event === 'gone' ? gone() : handlers.onMessage(event, data),
        );
      } catch {
        if (closed) return;
      }
      if (closed) return;
      handlers.onStatus('retrying');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }

  function gone(): void {
    if (closed) return;
    closed = true;
    controller?.abort();
    handlers.onStatus('ended');
    handlers.onGone();
  }

  void connect();
  return {
    close() {
      closed = true;
      controller?.abort();
    },
  };
}

/** Parses the text/event-stream format: blank-line separated blocks of `event:`/`data:` lines. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onMessage: (event: string, data: unknown) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length === 0) continue;
      try {
        onMessage(event, JSON.parse(data.join('\n')));
      } catch {
        onMessage(event, data.join('\n'));
      }
    }
  }
}
