import { disposalBody } from '#test/support/audit-data.js';
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dutyWork } from '#lib/app/duty-work.js';
import type { OutboundEvent } from '#lib/app/ports.js';
import { jstDate } from '#lib/domain/calendar.js';
import { type JobRuntime, runDuty } from '#lib/jobs/runner.js';
import { dutyDefinition } from '#lib/profiles/system-duties.js';
import { S3EvidenceObjects, createS3Client } from '#lib/store/s3.js';
import { jpeg, sha256 } from '#test/fixtures/files.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';
import { jobRuntime } from '#test/support/duty-data.js';

/**
 * Evidence is never lost to a failing verifier, against DynamoDB Local and the S3
 * emulator: the verifier fails on every attempt (an injected failing bucket port), the
 * emulator retries as Lambda does and keeps the dropped event as a failed delivery (AWS:
 * the on-failure queue), and the daily evidence-pending duty, through the jobs handler's
 * runner, ends every such evidence `verified` (upload still there) or `expired` with a
 * task for its uploader (upload gone), never `pending`.
 */

let stack: TestStack;
let s3: S3Client;
let rt: JobRuntime;
const published: OutboundEvent[] = [];
const staff = 'citizens-staff';

beforeAll(async () => {
  stack = await startTestStack();
  s3 = createS3Client({ region: 'ap-northeast-1', endpoint: stack.s3.endpoint });
  rt = jobRuntime(stack, published);
});
afterAll(async () => {
  vi.restoreAllMocks();
  s3?.destroy();
  await stack?.close();
});

/** Ask to upload a photo of the disposal's certificate (POST /evidence), as the phone does. */
async function requestPhoto(
  disposalId: string,
  fileName: string,
): Promise<{ evidenceId: string; key: string; url: string; fields: Record<string, string> }> {
  const r = await stack.call('POST', '/evidence', {
    as: staff,
    body: { target: { type: 'disposal', id: disposalId }, fileName, contentType: 'image/jpeg', size: jpeg.length, sha256: sha256(jpeg) },
  });
  expect(r.status, r.text).toBe(201);
  return { evidenceId: r.body.evidenceId, key: r.body.upload.fields.key, url: r.body.upload.url, fields: r.body.upload.fields };
}

/** Send the bytes with the presigned POST, and wait until the verifier (and its retries) are done with the event. */
async function send(upload: { url: string; fields: Record<string, string> }, name: string): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
  form.append('file', new Blob([jpeg], { type: 'image/jpeg' }), name);
  expect((await fetch(upload.url, { method: 'POST', body: form })).status).toBeLessThan(300);
  await stack.s3.settled();
}

const evidence = async (id: string) =>
  (await stack.call('GET', `/evidence/${id}`, { as: staff })).body as { status: string; objectKey: string; createdAt: string };
const keysUnder = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: stack.s3.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key);

describe('a verifier that fails past its retries loses no evidence (第18条4項: the disposal still completes)', () => {
  it('the dropped events end verified or expired with a task for the uploader, never pending; a second delivery does nothing', async () => {
    const disposal = await stack.call('POST', '/disposals', {
      as: staff,
      body: disposalBody('citizens', { disposedOn: '2026-11-20' }),
    });
    expect(disposal.body).toMatchObject({ complete: false });
    const disposalId = disposal.body.disposalId as string;

    // 1. The verifier fails on every attempt: the bucket port throws (as S3 timing out would).
    const failing = vi.spyOn(S3EvidenceObjects.prototype, 'inspect').mockRejectedValue(new Error('S3 GetObject timed out (injected)'));
    const arrived = await requestPhoto(disposalId, '溶解証明書.jpg');
    await send(arrived, '溶解証明書.jpg');
    const gone = await requestPhoto(disposalId, '溶解証明書（2枚目）.jpg');
    await send(gone, '溶解証明書（2枚目）.jpg');
    const attempts = failing.mock.calls.length;
    failing.mockRestore();
    // ... and one whose file never came at all.
    const never = await requestPhoto(disposalId, '送られなかった.jpg');

    const dropped = stack.s3.failedDeliveries();
    expect(dropped.map((d) => [d.event.Records[0]?.s3.object.key, d.attempts])).toEqual([
      [arrived.key, 3],
      [gone.key, 3],
    ]);
    expect(attempts).toBe(6);
    expect(dropped.every((d) => d.error.includes('injected'))).toBe(true);
    for (const e of [arrived, gone, never]) expect((await evidence(e.evidenceId)).status).toBe('pending');
    expect((await stack.call('GET', `/disposals/${disposalId}`, { as: staff })).body.complete).toBe(false);

    // 2. One upload expires from incoming/ (the bucket's lifecycle) before anyone looks at it again.
    await s3.send(new DeleteObjectCommand({ Bucket: stack.s3.bucket, Key: gone.key }));
    expect(await keysUnder('incoming/')).toEqual([arrived.key]);

    // 3. The daily duty, as EventBridge Scheduler delivers it (00:30 Japan time; the uploads are over an hour old by then).
    const instant = new Date(Date.now() + 2 * 3600_000).toISOString();
    const run = await runDuty(rt, { duty: 'evidence-pending', instant });
    expect(run).toMatchObject({ outcome: 'completed', created: 3, alreadyDone: 0, skipped: 0, published: 2 });

    const after = {
      arrived: await evidence(arrived.evidenceId),
      gone: await evidence(gone.evidenceId),
      never: await evidence(never.evidenceId),
    };
    expect(after.arrived).toMatchObject({ status: 'verified', objectKey: expect.stringMatching(/^evidence\/disposal\//) });
    expect(after.gone.status).toBe('expired');
    expect(after.never.status).toBe('expired');
    expect(Object.values(after).map((e) => e.status)).not.toContain('pending');
    // Before its work the run measured the oldest of the three (one Query of one item, oldest first).
    const oldest = Object.values(after)
      .map((e) => e.createdAt)
      .sort()[0] as string;
    expect(run.metrics).toEqual({ OldestPendingEvidenceAgeHours: Math.round((Date.parse(instant) - Date.parse(oldest)) / 360_000) / 10 });
    expect(run.metrics?.OldestPendingEvidenceAgeHours).toBeGreaterThanOrEqual(2);
    expect((await stack.call('GET', `/disposals/${disposalId}`, { as: staff })).body).toMatchObject({ complete: true, missing: [] });
    expect(await keysUnder('incoming/')).toEqual([]);
    expect(await keysUnder('evidence/')).toEqual([`evidence/disposal/${disposalId}/${arrived.evidenceId}`]);

    // 4. The uploader's own inbox has a task per file that never arrived, linking to the disposal.
    const mine = (await stack.call('GET', '/tasks?mine=true', { as: staff })).body.items as {
      taskId: string;
      kind: string;
      title: string;
      subject: unknown;
      source: string;
      assignee: unknown;
    }[];
    const reupload = mine.filter((t) => t.kind === 'evidenceExpired');
    expect(reupload).toHaveLength(2);
    for (const t of reupload) {
      expect(t).toMatchObject({
        subject: { type: 'disposal', id: disposalId },
        source: '運用上のルール',
        assignee: { user: staff, department: 'citizens' },
        title: expect.stringContaining('届きませんでした'),
      });
    }
    expect(
      published
        .filter((e) => e.type === 'TaskCreated')
        .map((e) => e.detail.taskId)
        .sort(),
    ).toEqual(reupload.map((t) => t.taskId).sort());
    // Another person of the same role does not have them as theirs; the 課's list shows them; another 課 cannot read them.
    const manager = (await stack.call('GET', '/tasks?mine=true', { as: 'citizens-manager' })).body.items as { kind: string }[];
    expect(manager.filter((t) => t.kind === 'evidenceExpired')).toEqual([]);
    const ofSection = (await stack.call('GET', '/tasks?department=citizens', { as: 'citizens-manager' })).body.items as {
      taskId: string;
    }[];
    expect(ofSection.map((t) => t.taskId)).toEqual(expect.arrayContaining(reupload.map((t) => t.taskId)));
    expect((await stack.call('GET', `/tasks/${reupload[0]?.taskId}`, { as: 'tax-staff' })).status).toBe(404);
    expect((await stack.call('GET', `/tasks/${reupload[0]?.taskId}`, { as: staff })).status).toBe(200);

    // 5. Duplicate deliveries do nothing twice: the same period is done; another day finds nothing pending.
    expect(await runDuty(rt, { duty: 'evidence-pending', instant })).toMatchObject({ outcome: 'alreadyDone', created: 0 });
    const definition = dutyDefinition(rt.deps.profile, 'evidence-pending');
    if (!definition) throw new Error('no evidence-pending duty');
    const nextDay = new Date(Date.parse(instant) + 86_400_000).toISOString();
    const again = await dutyWork['evidence-pending'](rt.deps, {
      duty: 'evidence-pending',
      definition,
      period: jstDate(new Date(nextDay)),
      instant: nextDay,
      today: jstDate(new Date(nextDay)),
    });
    expect(again).toMatchObject({ created: 0, alreadyDone: 0, skipped: 0 });
    const trail = (await stack.call('GET', `/audit-log?entityType=evidence&entityId=${gone.evidenceId}`, { as: 'policy-director' })).body
      .items as { action: string; actor: { sub: string } }[];
    expect(trail.map((e) => `${e.action}:${e.actor.sub}`)).toEqual([
      'evidence.registered:citizens-staff',
      'evidence.expired:system:evidence-pending',
    ]);

    // 6. Uploading again, with the verifier working: verified on arrival, and the tasks to upload again close.
    const retry = await requestPhoto(disposalId, '溶解証明書（再送）.jpg');
    await send(retry, '溶解証明書（再送）.jpg');
    expect((await evidence(retry.evidenceId)).status).toBe('verified');
    const open = (await stack.call('GET', '/tasks?mine=true', { as: staff })).body.items as { kind: string }[];
    expect(open.filter((t) => t.kind === 'evidenceExpired')).toEqual([]);

    console.log(
      `evidence-pending: verifier attempts per dropped event ${dropped.map((d) => d.attempts).join(', ')} (${dropped.length} events kept as failed deliveries); ` +
        `duty created ${run.created} (verified 1, expired 2), TaskCreated published ${run.published}; still pending ${Object.values(after).filter((e) => e.status === 'pending').length}; ` +
        `second delivery ${(await runDuty(rt, { duty: 'evidence-pending', instant })).outcome}`,
    );
  });
});
