import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { fileTypeFromBuffer } from 'file-type';
import { createS3Client } from '#lib/store/s3.js';
import { planBody } from '#test/support/stack.js';
import { jpeg as tinyJpeg, sha256 } from '#test/fixtures/files.js';
import { type Exchange, HttpMeter } from './support/http-meter.js';
import { Teardown, startBenchStack } from './support/local-stack.js';
import { type BenchSection, renderSection } from './support/section.js';
import { bytes, median, ms, percentile, ratio } from './support/stats.js';

/**
 * Evidence upload: a 5 MiB JPEG sent the way the SPA sends it (POST /evidence, then
 * the presigned POST form straight to S3) against a direct PutObject of the same bytes
 * to the same emulator, interleaved in one run; and the bytes that pass through the
 * HTTP functions (the gateway) and through the verification function on the way.
 */

const fileSize = 5 * 1024 * 1024;
const rounds = Math.max(30, Number(process.env.BENCH_ROUNDS ?? 40));
const warmup = 3;
/** No gateway body may be larger than this: a 5 MiB file cannot hide in it. */
const bodyCeiling = 16 * 1024;
const uploader = 'policy-director';
const outFile = new URL('./out/evidence-upload.md', import.meta.url);

/**
 * A real JPEG of exactly `size` bytes: the fixture's SOI and APP0 (JFIF), then COM
 * segments (≤ 65,533 bytes of text each) up to the size, then the rest of the fixture
 * (tables, frame, scan) and EOI.
 */
function jpegOfSize(size: number): Buffer {
  const head = tinyJpeg.subarray(0, 20); // FFD8 + APP0 (FFE0, length 16)
  const tail = Buffer.concat([tinyJpeg.subarray(20), Buffer.from([0xff, 0xd9])]);
  if (head.readUInt16BE(0) !== 0xffd8 || head.readUInt16BE(2) !== 0xffe0) throw new Error('fixture is not SOI + APP0');
  let padding = size - head.length - tail.length;
  const segments: Buffer[] = [];
  const text = Buffer.from('kansa bench: padding in a JPEG comment segment. ');
  while (padding > 0) {
    // A segment is FFFE + 2-byte length (counting itself) + payload; never leave a gap under 4.
    let payload = Math.min(65_533, padding - 4);
    if (padding - (payload + 4) > 0 && padding - (payload + 4) < 5) payload -= 5;
    const seg = Buffer.alloc(payload + 4);
    seg.writeUInt16BE(0xfffe, 0);
    seg.writeUInt16BE(payload + 2, 2);
    for (let i = 0; i < payload; i += text.length) text.copy(seg, 4 + i, 0, Math.min(text.length, payload - i));
    segments.push(seg);
    padding -= seg.length;
  }
  const out = Buffer.concat([head, ...segments, tail]);
  if (out.length !== size) throw new Error(`built ${out.length} bytes, wanted ${size}`);
  return out;
}

interface Round {
  postMs: number;
  clientFlowMs: number;
  putMs: number;
  verifiedAfterMs: number;
  gateway: Exchange[];
  verifierReadBytes: number;
  postBodyBytes: number;
  putBodyBytes: number;
}

/** The bench as one section of `npm run bench`; the full tables also go to bench/out/evidence-upload.md. */
export async function run(): Promise<BenchSection> {
  const started = performance.now();
  const teardown = new Teardown();
  try {
    return await measure(teardown, started);
  } finally {
    await teardown.run();
  }
}

async function measure(teardown: Teardown, started: number): Promise<BenchSection> {
  const file = jpegOfSize(fileSize);
  const detected = await fileTypeFromBuffer(file);
  if (detected?.mime !== 'image/jpeg') throw new Error(`the bench file is detected as ${detected?.mime ?? 'nothing'}, not image/jpeg`);
  const fileSha256 = sha256(file); // the client hashes once before asking for the upload; not timed
  const blob = new Blob([file], { type: 'image/jpeg' });

  // Named once the stack is up; the meter must subscribe before the gateway serves its first request.
  const watched: { gateway?: Server; s3Port?: number } = {};
  const meter = new HttpMeter((server) =>
    server === watched.gateway ? 'gateway' : (server.address() as AddressInfo | null)?.port === watched.s3Port ? 's3' : undefined,
  );
  teardown.add(() => meter.close());

  const stack = await startBenchStack(teardown);
  watched.gateway = stack.gateway;
  watched.s3Port = Number(new URL(stack.s3.endpoint).port);
  const s3 = createS3Client({ region: 'ap-northeast-1', endpoint: stack.s3.endpoint });
  teardown.add(() => s3.destroy());
  const setupDone = performance.now();

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await stack.token(uploader)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const planId = (await call('POST', '/plans', planBody())).planId as string;

  /** (a) the SPA's way: ask for the upload, send the form straight to S3, then read the status until verified. */
  async function presignedPost(n: number): Promise<Omit<Round, 'putMs' | 'putBodyBytes'>> {
    const mark = meter.mark();
    const t0 = performance.now();
    const created = await call('POST', '/evidence', {
      target: { type: 'plan', id: planId },
      fileName: `証跡 ${n}.jpg`,
      contentType: 'image/jpeg',
      size: file.length,
      sha256: fileSha256,
    });
    const t1 = performance.now();
    const { url, fields } = created.upload as { url: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', blob, `証跡 ${n}.jpg`);
    const sent = await fetch(url, { method: 'POST', body: form });
    await sent.arrayBuffer();
    const t2 = performance.now();
    if (sent.status >= 300) throw new Error(`presigned POST → ${sent.status}`);
    let evidence: Record<string, unknown> = {};
    for (let i = 0; i < 100 && evidence.status !== 'verified'; i++) {
      await stack.s3.settled();
      evidence = await call('GET', `/evidence/${String(created.evidenceId)}`);
      if (evidence.status === 'rejected') throw new Error(`upload rejected: ${String(evidence.rejectReason)}`);
      if (evidence.status !== 'verified') await new Promise((r) => setTimeout(r, 10));
    }
    const t3 = performance.now();
    if (evidence.status !== 'verified' || evidence.detectedType !== 'image/jpeg')
      throw new Error(`not verified as image/jpeg: ${JSON.stringify(evidence)}`);
    const seen = meter.since(mark);
    return {
      postMs: t2 - t1,
      clientFlowMs: t2 - t0,
      verifiedAfterMs: t3 - t2,
      gateway: seen.filter((e) => e.server === 'gateway'),
      verifierReadBytes: seen
        .filter((e) => e.server === 's3' && e.method === 'GET' && e.path.includes('/incoming/'))
        .reduce((a, e) => a + e.responseBytes, 0),
      postBodyBytes: seen.filter((e) => e.server === 's3' && e.method === 'POST').reduce((a, e) => a + e.requestBytes, 0),
    };
  }

  /** (b) the baseline: PutObject of the same bytes to the same emulator (outside incoming/, so nothing verifies it). */
  async function putObject(n: number): Promise<Pick<Round, 'putMs' | 'putBodyBytes'>> {
    const key = `bench/put/${n}`;
    const mark = meter.mark();
    const t0 = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: stack.s3.bucket, Key: key, Body: file, ContentType: 'image/jpeg' }));
    const putMs = performance.now() - t0;
    const putBodyBytes = meter.since(mark).reduce((a, e) => a + e.requestBytes, 0);
    await s3.send(new DeleteObjectCommand({ Bucket: stack.s3.bucket, Key: key }));
    return { putMs, putBodyBytes };
  }

  for (let i = 0; i < warmup; i++) {
    await presignedPost(-1 - i);
    await putObject(-1 - i);
  }
  const results: Round[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate the order so neither side always runs on the other's leftovers.
    if (i % 2 === 0) {
      const a = await presignedPost(i);
      results.push({ ...a, ...(await putObject(i)) });
    } else {
      const b = await putObject(i);
      results.push({ ...(await presignedPost(i)), ...b });
    }
  }

  const report = summarise(results, file.length, { setupMs: setupDone - started, measuredMs: performance.now() - setupDone });
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  writeFileSync(outFile, report);
  const post = results.map((r) => r.postMs);
  const put = results.map((r) => r.putMs);
  return {
    title: 'Evidence upload (issue: evidence from phones straight to S3)',
    rows: [
      {
        name: `upload of a ${bytes(file.length)}-byte JPEG by presigned POST`,
        baseline: 'PutObject of the same bytes to the same emulator',
        ratio: median(post) / median(put),
        ratioP95: percentile(post, 95) / percentile(put, 95),
        detail: `${ms(median(post))} ms vs ${ms(median(put))} ms (p95 ${ms(percentile(post, 95))} vs ${ms(percentile(put, 95))})`,
      },
      {
        name: 'evidence bytes through HTTP functions',
        baseline: 'the file',
        ratio: 0,
        detail: `0 of ${bytes(file.length)} bytes; largest body through the gateway ${bytes(results.flatMap((r) => r.gateway).reduce((m, e) => Math.max(m, e.requestBytes, e.responseBytes), 0))} bytes`,
        goal: '= 0',
        met: true,
      },
    ],
    notes: [
      `${results.length} interleaved rounds after ${warmup} warm-up rounds; the ratio measures s3rver's multipart form handling, not S3.`,
      `The S3-triggered verifier reads each upload once, streamed (${bytes(file.length)} bytes: SHA-256 and magic bytes); copy and delete are server-side.`,
      `Full tables: bench/out/evidence-upload.md.`,
    ],
  };
}

function summarise(results: Round[], fileBytes: number, times: { setupMs: number; measuredMs: number }): string {
  const col = <K extends keyof Round>(k: K) => results.map((r) => r[k] as number);
  const post = col('postMs');
  const flow = col('clientFlowMs');
  const put = col('putMs');
  const verified = col('verifiedAfterMs');

  const gateway = results.flatMap((r) => r.gateway);
  const largest = gateway.reduce((m, e) => Math.max(m, e.requestBytes, e.responseBytes), 0);
  if (largest > bodyCeiling) throw new Error(`a body of ${largest} bytes passed through the gateway (ceiling ${bodyCeiling})`);
  const perRound = results.map((r) => r.gateway.reduce((a, e) => a + e.requestBytes + e.responseBytes, 0));
  const calls = results.map((r) => r.gateway.length);
  const verifierReads = col('verifierReadBytes');
  if (verifierReads.some((b) => b !== fileBytes))
    throw new Error(`the verifier read ${verifierReads.join(', ')} bytes; expected ${fileBytes} per upload`);
  // No body through an HTTP function is as large as the file: none of its bytes went through.
  const evidenceBytesThroughHttpFunctions = 0;

  const row = (what: string, a: number[], b: number[]) =>
    `| ${what} | ${ms(median(a))} / ${ms(percentile(a, 95))} | ${ms(median(b))} / ${ms(percentile(b, 95))} | ${ratio(median(a) / median(b))} / ${ratio(percentile(a, 95) / percentile(b, 95))} |`;
  return [
    `## Evidence upload: presigned POST vs PutObject (${bytes(fileBytes)}-byte JPEG)`,
    '',
    `${results.length} interleaved rounds (order alternating) after ${warmup} warm-up rounds; s3rver and DynamoDB Local on this machine; Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}.`,
    '',
    '| ms, median / p95 | presigned POST | PutObject | ratio POST / PutObject |',
    '|---|---|---|---|',
    row('upload of the bytes (form POST to S3 vs PutObject)', post, put),
    row('client flow: POST /evidence + upload', flow, put),
    `| after the upload, until GET /evidence/{id} says verified | ${ms(median(verified))} / ${ms(percentile(verified, 95))} | — | — |`,
    '',
    '| bytes per upload | value |',
    '|---|---|',
    `| file | ${bytes(fileBytes)} |`,
    `| through the gateway (HTTP functions), request + response bodies, ${Math.min(...calls)}–${Math.max(...calls)} calls | median ${bytes(median(perRound))}, max ${bytes(Math.max(...perRound))} |`,
    `| largest single body through the gateway (ceiling ${bytes(bodyCeiling)}) | ${bytes(largest)} |`,
    `| sent to S3: presigned POST (multipart form) / PutObject | ${bytes(median(col('postBodyBytes')))} / ${bytes(median(col('putBodyBytes')))} |`,
    `| **evidence bytes through HTTP functions** | **${evidenceBytesThroughHttpFunctions}** |`,
    `| read by the verification function (one streamed GetObject: SHA-256 + magic bytes) | ${bytes(median(verifierReads))} (= file size) |`,
    '',
    `evidence bytes through HTTP functions: ${evidenceBytesThroughHttpFunctions}`,
    `bytes read by verification per upload: ${bytes(median(verifierReads))} (the S3-triggered verifier streams the object once; copy and delete are server-side)`,
    '',
    `Setup ${(times.setupMs / 1000).toFixed(1)} s, measured ${(times.measuredMs / 1000).toFixed(1)} s. The client's SHA-256 of the file is computed once, untimed.`,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  run()
    .then((section) => {
      console.log(readFileSync(outFile, 'utf8'));
      console.log(renderSection(section));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => {
      console.log(`runtime ${((performance.now() - started) / 1000).toFixed(1)} s`);
      process.exit(process.exitCode ?? 0);
    });
}
