/**
 * The SSE answer of `GET …/cases/{caseId}/stream`: checks access and reads the case first (so a
 * missing case is an ordinary JSON 404), then holds the connection open on the shared poller.
 *
 * @module
 */
import type { Request, Response } from 'express';
import type { Principal } from './authenticate';
import type { CaseService } from './case-service';
import type { CaseStreamHub } from './case-stream';

export interface StreamDeps {
  hub: CaseStreamHub;
  heartbeatMs: number;
}

export async function serveCaseStream(
  deps: StreamDeps,
  cases: CaseService,
  principal: Principal,
  params: { kommune: string; caseId: string },
  req: Request,
  res: Response,
): Promise<void> {
  const access = await cases.caseAccess(principal, params.kommune, params.caseId);
  const first = await cases.readSnapshot(access, params.caseId);
  // Recorded once per stream opened, not per update it carries (#19).
  await cases.recordRead(access, params.caseId, 'stream');
  const lastEventId = Number(req.headers['last-event-id']);

  res.locals.streaming = true;
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  const send = (snapshot: typeof first) =>
    res.write(`id: ${snapshot.revision}\nevent: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
  if (!(Number.isInteger(lastEventId) && lastEventId >= first.revision)) send(first);

  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), deps.heartbeatMs);
  heartbeat.unref();
  const unsubscribe = deps.hub.subscribe(params.caseId, {
    access,
    revision: first.revision,
    send,
    end: () => {
      res.write('event: gone\ndata: {}\n\n');
      res.end();
    },
  });
  await new Promise<void>((resolve) => res.once('close', resolve));
  clearInterval(heartbeat);
  unsubscribe();
}
