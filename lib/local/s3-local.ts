import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';
import { eventFunctionSpecs } from '#lib/functions.js';
import { lambdaContext } from './gateway.js';

/**
 * The S3 emulator (s3rver, in-process) with the evidence bucket, CORS for the SPA,
 * and its ObjectCreated events delivered to the same handler S3 invokes in AWS.
 * It does not enforce presigned-POST policies or checksums: the verifier does.
 *
 * Delivery is asynchronous as in AWS: a handler that throws is invoked again as often
 * as Lambda would (`eventFunctionSpecs.evidenceUploaded.asyncRetry`, after short pauses
 * instead of Lambda's minutes), then the event is kept as a failed delivery (AWS: the
 * verifier's on-failure queue) and the evidence stays pending for the daily
 * `evidence-pending` duty.
 */
export interface S3Local {
  endpoint: string;
  bucket: string;
  /** Resolves when every delivered event has been handled, retries included (for tests). */
  settled(): Promise<void>;
  /** Events whose handler still failed after its retries, oldest first (AWS: the on-failure queue). */
  failedDeliveries(): readonly FailedDelivery[];
  stop(): Promise<void>;
}

/** An event the verifier failed on at every attempt, as Lambda's on-failure record keeps it. */
export interface FailedDelivery {
  event: S3Event;
  attempts: number;
  error: string;
}

/** Pause before each retry, in milliseconds (Lambda waits about 1 and 2 minutes). */
const retryPauseMs = [50, 100];

export const localBucket = 'kansa-evidence';

const cors = (origin: string) => `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>${origin}</AllowedOrigin>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>300</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

type Handler = (event: S3Event, context: ReturnType<typeof lambdaContext>) => Promise<void>;

export async function startS3Local(opts: {
  directory: string;
  port?: number;
  corsOrigin: string;
  log?: (line: string) => void;
  /** Retries of a failed verification (default: as Lambda's, from the spec); 0 for a test that plays Lambda's retries itself. */
  verifierRetries?: 0 | 1 | 2;
}): Promise<S3Local> {
  mkdirSync(opts.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: opts.port ?? 0,
    directory: opts.directory,
    silent: true,
    configureBuckets: [{ name: localBucket, configs: [cors(opts.corsOrigin)] }],
  });
  const { port } = (await server.run()) as { port: number };
  const entry = new URL(`../../${eventFunctionSpecs.evidenceUploaded.entry}`, import.meta.url).href;
  const handler = import(entry).then((m: { handler: Handler }) => m.handler);
  const pending = new Set<Promise<void>>();
  const failed: FailedDelivery[] = [];
  const attempts = 1 + (opts.verifierRetries ?? eventFunctionSpecs.evidenceUploaded.asyncRetry.attempts);
  const deliver = async (event: S3Event, key: string): Promise<void> => {
    let h: Handler;
    try {
      h = await handler;
    } catch (err) {
      console.error('the evidence verifier could not be loaded', err);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await h(event, lambdaContext('evidenceUploaded', randomUUID()));
        opts.log?.(`S3 ObjectCreated ${key} → checked`);
        return;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        if (attempt >= attempts) {
          failed.push({ event, attempts: attempt, error });
          console.error(
            'evidence verification failed',
            err,
            `(${key}: ${attempt} attempts; kept as a failed delivery, the evidence-pending duty checks it again)`,
          );
          return;
        }
        await new Promise((r) => setTimeout(r, retryPauseMs[attempt - 1] ?? 100));
      }
    }
  };
  server.on('event', (event: S3Event) => {
    const record = event.Records[0];
    const key = record?.s3.object.key ?? '';
    // The notification's filters in AWS: ObjectCreated only (s3rver also emits ObjectRemoved), prefix incoming/.
    if (!record?.eventName.startsWith('ObjectCreated:') || !key.startsWith('incoming/')) return;
    const run = deliver(event, key).finally(() => pending.delete(run));
    pending.add(run);
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: localBucket,
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    failedDeliveries: () => failed,
    stop: () => server.close(),
  };
}
