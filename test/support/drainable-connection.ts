/**
 * A client connection that closes only once no call is in flight. Closing a Temporal
 * connection under a call that is waiting to retry makes the retry throw from a timer, which
 * jest then blames on whichever test file runs next in that worker.
 */
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

export interface DrainableConnection {
  connection: Connection;
  /** Resolves when no call is in flight (or after `timeoutMs`). */
  drained(timeoutMs?: number): Promise<void>;
  /** Waits for calls in flight, then closes. */
  close(): Promise<void>;
}

export async function connectDrainable(address: string): Promise<DrainableConnection> {
  let inFlight = 0;
  // Outermost, so one logical call (with all its retries) counts once.
  const counting: Interceptor = (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        inFlight++;
        let done = false;
        // A partial listener: grpc-js passes everything else through unchanged.
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            if (!done) {
              done = true;
              inFlight--;
            }
            nextStatus(status);
          },
        });
      },
    });
  const connection = await Connection.connect({
    address,
    interceptors: [counting, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())],
  });
  const drained = async (timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  };
  return {
    connection,
    drained,
    async close() {
      await drained();
      await connection.close();
    },
  };
}
