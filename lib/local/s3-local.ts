import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';
import { eventFunctionSpecs } from '#lib/http/routes.js';
import { lambdaContext } from './gateway.js';

/**
 * The S3 emulator (s3rver, in-process) with the evidence bucket, CORS for the SPA,
 * and its ObjectCreated events delivered to the same handler S3 invokes in AWS.
 * It does not enforce presigned-POST policies or checksums: the verifier does.
 */
export interface S3Local {
  endpoint: string;
  bucket: string;
  /** Resolves when every delivered event has been handled (for tests). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

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

export async function startS3Local(opts: { directory: string; port?: number; corsOrigin: string; log?: (line: string) => void }): Promise<S3Local> {
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
  server.on('event', (event: S3Event) => {
    const record = event.Records[0];
    const key = record?.s3.object.key ?? '';
    // The notification's filters in AWS: ObjectCreated only (s3rver also emits ObjectRemoved), prefix incoming/.
    if (!record?.eventName.startsWith('ObjectCreated:') || !key.startsWith('incoming/')) return;
    const run = handler
      .then((h) => h(event, lambdaContext('evidenceUploaded', randomUUID())))
      .then(() => opts.log?.(`S3 ObjectCreated ${key} → checked`))
      .catch((err: unknown) => console.error('evidence verification failed', err))
      .finally(() => pending.delete(run));
    pending.add(run);
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: localBucket,
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    stop: () => server.close(),
  };
}
