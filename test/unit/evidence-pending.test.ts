import { Readable } from 'node:stream';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { DutyRun } from '#lib/app/duty-units.js';
import { dutyWork, pendingEvidenceAfterMs } from '#lib/app/duty-work.js';
import { createDisposal } from '#lib/app/disposals.js';
import { createEvidence, downloadEvidence, verifyUpload } from '#lib/app/evidence.js';
import { assertEvidenceOf } from '#lib/app/evidence-links.js';
import { listTasks } from '#lib/app/tasks.js';
import type { Evidence } from '#lib/domain/evidence.js';
import { jstDate } from '#lib/domain/calendar.js';
import type { Task } from '#lib/domain/task.js';
import { uploadVersionOf } from '#lib/events/evidence-uploaded.js';
import { dutyDefinition, systemDuties } from '#lib/profiles/system-duties.js';
import { S3EvidenceObjects } from '#lib/store/s3.js';
import { jpeg, sha256 } from '#test/fixtures/files.js';
import { type FakeDeps, type MemoryObjects, fakeDeps, outsourcedDisposal, shiminManager, shiminStaff, zeiManager } from './fakes.js';

/**
 * The verifier reads, copies and removes the very version the S3 event names; evidence a
 * lost event left pending is verified (upload still there) or expired with a task for its
 * uploader (upload gone) by the daily evidence-pending duty, once per unit.
 */

const bucket = 'kansa-evidence';

/** An outsourced disposal of 市民課 and a photo of its certificate registered by its 保護担当者 (still pending). */
async function pendingPhoto(deps: FakeDeps, fileName = '溶解証明書.jpg'): Promise<Evidence> {
  const disposal = await createDisposal(deps, shiminStaff, outsourcedDisposal);
  const { evidence } = await createEvidence(deps, shiminStaff, {
    target: { type: 'disposal', id: disposal.disposalId },
    fileName,
    contentType: 'image/jpeg',
    size: jpeg.length,
    sha256: sha256(jpeg),
  });
  return evidence;
}

/** A run of the system duty at `instant`, as the jobs runner hands it over. */
function runAt(deps: FakeDeps, instant: string, resumed = false): DutyRun {
  const definition = dutyDefinition(deps.profile, 'evidence-pending');
  if (!definition) throw new Error('no evidence-pending duty');
  const today = jstDate(new Date(instant));
  return { duty: 'evidence-pending', definition, period: today, instant, today, ...(resumed ? { resumed } : {}) };
}

describe('the verifier works on the exact version the S3 event names', () => {
  function mocked() {
    const s3 = new S3Client({ region: 'ap-northeast-1' });
    const mock = mockClient(s3);
    return { s3, mock };
  }

  it("GetObject with VersionId, CopyObject of that ?versionId= only while the event's ETag matches, DeleteObject of that version", async () => {
    const deps = fakeDeps();
    const e = await pendingPhoto(deps);
    const { s3, mock } = mocked();
    mock.on(GetObjectCommand).resolves({ Body: Readable.from([jpeg]) as never, VersionId: 'v-1', ETag: '"etag-1"' });
    mock.on(CopyObjectCommand).resolves({ CopySourceVersionId: 'v-1' });
    mock.on(DeleteObjectCommand).resolves({});
    deps.objects = new S3EvidenceObjects(s3, bucket, deps.clock);

    await expect(verifyUpload(deps, e.objectKey, { versionId: 'v-1', eTag: 'etag-1' })).resolves.toBe('verified');

    expect(mock.commandCalls(ListObjectsV2Command)).toHaveLength(0);
    expect(mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: bucket, Key: e.objectKey, VersionId: 'v-1' },
    ]);
    expect(mock.commandCalls(CopyObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: bucket,
        CopySource: `${bucket}/${e.objectKey}?versionId=v-1`,
        CopySourceIfMatch: '"etag-1"',
        Key: `evidence/disposal/${e.target.id}/${e.evidenceId}`,
        // A tagged upload (GuardDuty's scan status) copied with its tags would be AccessDenied.
        TaggingDirective: 'REPLACE',
      },
    ]);
    expect(mock.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: bucket, Key: e.objectKey, VersionId: 'v-1', BypassGovernanceRetention: true },
    ]);
    expect(deps.store.evidenceById.get(e.evidenceId)?.status).toBe('verified');
  });

  it('without a version (the local emulator, or the duty): lists the key first, then copies and removes the version it read', async () => {
    const deps = fakeDeps();
    const e = await pendingPhoto(deps);
    const { s3, mock } = mocked();
    mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: e.objectKey }] });
    mock.on(GetObjectCommand).resolves({ Body: Readable.from([jpeg]) as never, VersionId: 'v-7', ETag: '"etag-7"' });
    mock.on(CopyObjectCommand).resolves({});
    mock.on(DeleteObjectCommand).resolves({});
    deps.objects = new S3EvidenceObjects(s3, bucket, deps.clock);

    await expect(verifyUpload(deps, e.objectKey)).resolves.toBe('verified');
    expect(mock.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toEqual({ Bucket: bucket, Prefix: e.objectKey, MaxKeys: 1 });
    expect(mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({ Bucket: bucket, Key: e.objectKey });
    expect(mock.commandCalls(CopyObjectCommand)[0]?.args[0].input).toMatchObject({
      CopySource: `${bucket}/${e.objectKey}?versionId=v-7`,
      CopySourceIfMatch: '"etag-7"',
    });
    expect(mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toMatchObject({ VersionId: 'v-7' });
  });

  it('a bucket without versions (s3rver): the same calls, with no versionId anywhere', async () => {
    const deps = fakeDeps();
    const e = await pendingPhoto(deps);
    const { s3, mock } = mocked();
    mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: e.objectKey }] });
    mock.on(GetObjectCommand).resolves({ Body: Readable.from([jpeg]) as never, ETag: '"etag-0"' });
    mock.on(CopyObjectCommand).resolves({});
    mock.on(DeleteObjectCommand).resolves({});
    deps.objects = new S3EvidenceObjects(s3, bucket, deps.clock);

    await expect(verifyUpload(deps, e.objectKey, { eTag: 'etag-0' })).resolves.toBe('verified');
    expect(mock.commandCalls(CopyObjectCommand)[0]?.args[0].input).toMatchObject({
      CopySource: `${bucket}/${e.objectKey}`,
      CopySourceIfMatch: '"etag-0"',
    });
    expect(mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input).not.toHaveProperty('VersionId');
  });

  it('an upload that is not there is "missing" (no read, nothing written); one gone between list and read too', async () => {
    const deps = fakeDeps();
    const e = await pendingPhoto(deps);
    const { s3, mock } = mocked();
    mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    deps.objects = new S3EvidenceObjects(s3, bucket, deps.clock);
    await expect(verifyUpload(deps, e.objectKey)).resolves.toBe('missing');
    expect(mock.commandCalls(GetObjectCommand)).toHaveLength(0);

    mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: e.objectKey }] });
    mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    await expect(verifyUpload(deps, e.objectKey)).resolves.toBe('missing');
    expect(deps.store.evidenceById.get(e.evidenceId)?.status).toBe('pending');
    expect(mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
  });

  it('the handler takes versionId and eTag from the S3 record, and copes without them', () => {
    const record = (object: Record<string, unknown>) =>
      ({ s3: { object: { key: 'incoming/x', size: 1, sequencer: '0', ...object } } }) as unknown as S3Event['Records'][number];
    expect(uploadVersionOf(record({ versionId: 'v-3', eTag: 'abc' }))).toEqual({ versionId: 'v-3', eTag: 'abc' });
    expect(uploadVersionOf(record({ eTag: 'abc' }))).toEqual({ eTag: 'abc' });
    expect(uploadVersionOf(record({}))).toEqual({});
  });
});

describe('evidence-pending (system duty, 運用)', () => {
  // Registered 2026-06-01T00:00Z; the duty fires at 00:30 Japan time the next day.
  const instant = '2026-06-01T15:30:00.000Z';

  it('is a daily system duty every profile has, cited to no article', () => {
    expect(systemDuties).toContainEqual(
      expect.objectContaining({ duty: 'evidence-pending', source: '運用上のルール', frequency: 'daily', enabled: true }),
    );
    expect(dutyDefinition(fakeDeps().profile, 'evidence-pending')?.source).toBe('運用上のルール');
  });

  it("verifies an upload still there, expires one that never arrived with a task for its uploader, and leaves the last hour's alone", async () => {
    const deps = fakeDeps();
    const arrived = await pendingPhoto(deps, 'a.jpg');
    const lost = await pendingPhoto(deps, '届かない.jpg');
    deps.clock.set(new Date(Date.parse(instant) - pendingEvidenceAfterMs / 2).toISOString());
    const recent = await pendingPhoto(deps, 'recent.jpg');
    deps.clock.set(instant);
    const objects = deps.objects as MemoryObjects;
    objects.objects.set(arrived.objectKey, jpeg);
    objects.objects.set(recent.objectKey, jpeg);

    const result = await dutyWork['evidence-pending'](deps, runAt(deps, instant));

    expect(result).toMatchObject({ created: 2, alreadyDone: 0, skipped: 0 });
    // Measured before the work: the two registered at 00:00Z, 15.5 hours before the run's instant.
    expect(result.metrics).toEqual({ OldestPendingEvidenceAgeHours: 15.5 });
    expect(deps.store.evidenceById.get(arrived.evidenceId)).toMatchObject({
      status: 'verified',
      objectKey: expect.stringMatching(/^evidence\//),
    });
    expect(deps.store.disposalsById.get(arrived.target.id)?.verifiedPhotoIds).toEqual([arrived.evidenceId]);
    expect(deps.store.evidenceById.get(lost.evidenceId)).toMatchObject({ status: 'expired', expiredAt: instant, version: 2 });
    expect(deps.store.evidenceById.get(recent.evidenceId)?.status).toBe('pending');

    const tasks = [...deps.store.tasksById.values()];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      kind: 'evidenceExpired',
      title: expect.stringMatching(/届かない\.jpg.*届きませんでした.*消去・廃棄の記録にもう一度アップロード/),
      duty: 'evidence-pending',
      period: '2026-06-02',
      source: '運用上のルール',
      assignee: { user: shiminStaff.sub, department: 'shimin' },
      subject: { type: 'disposal', id: lost.target.id },
      dueDate: '2026-06-09',
      status: 'open',
    });
    expect(result.events).toEqual([
      { type: 'TaskCreated', detail: expect.objectContaining({ taskId: tasks[0]?.taskId, kind: 'evidenceExpired' }) },
    ]);
    // Each unit is claimed in its own transaction, with its work.
    expect([...deps.store.claims.keys()].sort()).toEqual(
      [`evidence-pending|2026-06-02|${arrived.evidenceId}`, `evidence-pending|2026-06-02|${lost.evidenceId}`].sort(),
    );
    const expiring = deps.store.commits.find((c) => c.some((x) => x.event.action === 'evidence.expired'));
    expect(expiring?.map((c) => `${c.entityType}:${c.event.action}`)).toEqual(['evidence:evidence.expired', 'task:task.created']);
  });

  it('measures the age of the oldest evidence still pending at the instant (0 when none), from one item of the pending index', async () => {
    const deps = fakeDeps();
    expect((await dutyWork['evidence-pending'](deps, runAt(deps, instant))).metrics).toEqual({ OldestPendingEvidenceAgeHours: 0 });
    deps.clock.set('2026-05-31T14:00:00.000Z');
    await pendingPhoto(deps, 'old.jpg');
    deps.clock.set('2026-06-01T15:00:00.000Z');
    await pendingPhoto(deps, 'new.jpg');
    const reads: unknown[] = [];
    const list = deps.evidence.listPendingBefore.bind(deps.evidence);
    deps.evidence.listPendingBefore = (before, page) => {
      reads.push({ before, limit: page.limit });
      return list(before, page);
    };
    deps.clock.set(instant);
    const nextDay = '2026-06-02T15:30:00.000Z';
    expect((await dutyWork['evidence-pending'](deps, runAt(deps, nextDay))).metrics).toEqual({ OldestPendingEvidenceAgeHours: 49.5 });
    expect(reads[0]).toEqual({ before: nextDay, limit: 1 });
  });

  it("the task is in its uploader's own inbox (mine), not in another person's of the same role; the 課 sees it", async () => {
    const deps = fakeDeps();
    await pendingPhoto(deps);
    deps.clock.set(instant);
    await dutyWork['evidence-pending'](deps, runAt(deps, instant));
    const mine = await listTasks(deps, shiminStaff, { limit: 20 });
    expect(mine.items.map((t) => t.kind)).toEqual(['evidenceExpired']);
    const colleague = { ...shiminStaff, sub: 'shimin-tanto-2' };
    expect((await listTasks(deps, colleague, { limit: 20 })).items).toEqual([]);
    expect((await listTasks(deps, shiminManager, { department: 'shimin', limit: 20 })).items).toHaveLength(1);
    expect((await listTasks(deps, zeiManager, { limit: 20 })).items).toEqual([]);
  });

  it('does nothing twice: a second delivery finds nothing pending; a stale listing meets the claims; a resumed one republishes the stored event', async () => {
    const deps = fakeDeps();
    const arrived = await pendingPhoto(deps, 'a.jpg');
    const lost = await pendingPhoto(deps, 'b.jpg');
    deps.clock.set(instant);
    (deps.objects as MemoryObjects).objects.set(arrived.objectKey, jpeg);
    const first = await dutyWork['evidence-pending'](deps, runAt(deps, instant));
    const commits = deps.store.commits.length;

    expect(await dutyWork['evidence-pending'](deps, runAt(deps, instant))).toMatchObject({
      created: 0,
      alreadyDone: 0,
      skipped: 0,
      events: [],
    });

    // The index still lists both (eventually consistent) and the upload is there again: the claims decide.
    const stale = new Map([arrived, lost].map((e) => [e.evidenceId, e]));
    const listPendingBefore = deps.evidence.listPendingBefore;
    deps.evidence = {
      ...deps.evidence,
      listPendingBefore: async () => ({ items: [...stale.values()], nextCursor: null }),
      get: async (id) => stale.get(id) ?? deps.store.evidenceById.get(id),
    };
    (deps.objects as MemoryObjects).objects.set(arrived.objectKey, jpeg);
    expect(await dutyWork['evidence-pending'](deps, runAt(deps, instant))).toMatchObject({ created: 0, alreadyDone: 2, events: [] });
    expect(deps.store.commits.length).toBe(commits);
    deps.evidence = { ...deps.evidence, listPendingBefore, get: async (id) => structuredClone(deps.store.evidenceById.get(id)) };

    const resumed = await dutyWork['evidence-pending'](deps, runAt(deps, instant, true));
    expect(resumed).toMatchObject({ created: 0, alreadyDone: 2, republished: 1 });
    expect(resumed.events).toEqual(first.events);
    expect([...deps.store.tasksById.values()]).toHaveLength(1);
  });

  it('a later upload by the same person that is verified closes their task to upload again', async () => {
    const deps = fakeDeps();
    const lost = await pendingPhoto(deps);
    deps.clock.set(instant);
    await dutyWork['evidence-pending'](deps, runAt(deps, instant));
    const [task] = [...deps.store.tasksById.values()] as [Task];
    expect(task.status).toBe('open');

    const { evidence: again } = await createEvidence(deps, shiminStaff, {
      target: lost.target,
      fileName: '溶解証明書.jpg',
      contentType: 'image/jpeg',
      size: jpeg.length,
      sha256: sha256(jpeg),
    });
    (deps.objects as MemoryObjects).objects.set(again.objectKey, jpeg);
    await expect(verifyUpload(deps, again.objectKey)).resolves.toBe('verified');
    expect(deps.store.tasksById.get(task.taskId)).toMatchObject({ status: 'done', closedBy: 'system:evidence-verifier' });
  });

  it('expired evidence cannot be attached or downloaded', async () => {
    const deps = fakeDeps();
    const lost = await pendingPhoto(deps);
    deps.clock.set(instant);
    await dutyWork['evidence-pending'](deps, runAt(deps, instant));
    await expect(assertEvidenceOf(deps, lost.target, [lost.evidenceId])).rejects.toThrow(/期限切れ/);
    await expect(downloadEvidence(deps, shiminStaff, lost.evidenceId)).rejects.toThrow(/届かなかった/);
  });
});
