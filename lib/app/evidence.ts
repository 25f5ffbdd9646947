import { Conflict, NotFound, PayloadTooLarge, StaleVersion, UnsupportedMediaType } from '#lib/domain/errors.js';
import {
  type CreateEvidenceInput,
  type Evidence,
  type EvidenceTargetType,
  allowedTypes,
  evidenceIdOfKey,
  incomingKey,
  judgeScan,
  judgeUpload,
  maxAttachedEvidence,
  quarantineKey,
  type ScanReport,
  type UploadVersion,
  verifiedKey,
} from '#lib/domain/evidence.js';
import type { Disposal } from '#lib/domain/disposal.js';
import { type Task, addDays, assigneeUser, isUserAssignee } from '#lib/domain/task.js';
import type { Actor } from '#lib/domain/roles.js';
import { change } from './changes.js';
import { targetLabels } from './evidence-links.js';
import type { Change, Claim, Deps, Page, PageRequest } from './ports.js';
import { type RetryPolicy, retrying } from './retry.js';
import { type NewTask, closeTaskChanges, createTaskChange } from './task-changes.js';
import { sealEvent } from './trail-hash.js';
import { loadVisible, targetFor } from './visibility.js';

/**
 * 証跡 use cases. Uploads go from the browser or phone straight to S3 with a
 * presigned POST; an S3 notification then verifies what arrived. Verified evidence
 * is copied to `evidence/` (Object Lock) and never overwritten or deleted.
 */

const targetNotFound = (type: EvidenceTargetType) => new NotFound(`添付先（${targetLabels[type]}）が見つかりません。`, 'target-not-found');

/**
 * Register an upload and answer a presigned POST for it. A target the caller may not
 * see is 404, one they see but may not attach to 403; then the allow-listed type (415)
 * and the size limit (413). The policy pins the key, the exact size, the type and the
 * SHA-256, and expires within 5 minutes.
 */
export async function createEvidence(deps: Deps, actor: Actor, input: CreateEvidenceInput) {
  const target = await targetFor(deps, actor, 'evidence:create', input.target.type, input.target.id, () =>
    targetNotFound(input.target.type),
  );
  if (!allowedTypes[input.contentType]) {
    throw new UnsupportedMediaType(
      `この形式（${input.contentType}）は添付できません。添付できる形式: ${Object.values(allowedTypes)
        .map((t) => t.label)
        .join('、')}。`,
      'unsupported-file-type',
    );
  }
  if (input.size > deps.evidenceMaxBytes) {
    throw new PayloadTooLarge(
      `ファイルが大きすぎます（${input.size} バイト）。${Math.floor(deps.evidenceMaxBytes / 1024 / 1024)}MB までです。`,
      'file-too-large',
    );
  }
  const now = deps.clock.now().toISOString();
  const evidenceId = deps.ids.next();
  const evidence: Evidence = {
    evidenceId,
    target: input.target,
    ...('department' in target ? { department: target.department } : {}),
    fileName: input.fileName,
    contentType: input.contentType,
    size: input.size,
    sha256: input.sha256,
    ...(input.capturedAt ? { capturedAt: input.capturedAt } : {}),
    status: 'pending',
    objectKey: incomingKey({ evidenceId, target: input.target }),
    uploadedBy: actor.sub,
    createdAt: now,
    version: 1,
    updatedAt: now,
  };
  const upload = await uploadOf(deps, evidence);
  await deps.writer.commit([change(deps, actor, now, 'evidence', evidenceId, 'evidence.registered', null, evidence)]);
  return { evidence, upload };
}

/** The presigned POST of a registered upload (pinning its key, size, type and SHA-256). */
export function uploadOf(deps: Pick<Deps, 'objects'>, evidence: Evidence) {
  return deps.objects.presignUpload(evidence.objectKey, evidence);
}

/** Evidence metadata for readers of its target; others get 404. */
export async function getEvidence(deps: Deps, actor: Actor, evidenceId: string): Promise<Evidence> {
  return loadVisible(deps, actor, 'evidence', evidenceId);
}

/**
 * A presigned GET (≤ 5 minutes) that downloads under the original file name; the
 * download is recorded in the audit trail (who, when).
 */
export async function downloadEvidence(deps: Deps, actor: Actor, evidenceId: string) {
  const evidence = await getEvidence(deps, actor, evidenceId);
  if (evidence.status !== 'verified') {
    throw new Conflict(
      evidence.status === 'pending'
        ? 'この証跡はまだ検証中です。検証が終わってからダウンロードしてください。'
        : evidence.status === 'expired'
          ? 'この証跡はファイルが届かなかったため期限切れです。もう一度アップロードしてください。'
          : `この証跡は受け付けられませんでした: ${evidence.rejectReason ?? ''}`,
      'evidence-not-verified',
    );
  }
  const link = await deps.objects.presignDownload(evidence.objectKey, evidence);
  const prevHash = (evidence as { trailHash?: string }).trailHash ?? null;
  const event = sealEvent(
    {
      eventId: deps.ids.next(),
      entityType: 'evidence',
      entityId: evidenceId,
      action: 'evidence.downloaded',
      actor: { sub: actor.sub, name: actor.name, roles: [...actor.roles], department: actor.department },
      at: deps.clock.now().toISOString(),
      version: evidence.version,
      before: null,
      after: { fileName: evidence.fileName },
    },
    prevHash,
  );
  await deps.writer.appendEvent(event);
  return link;
}

/** Evidence of one target, for its readers; a target the caller may not see is 404. */
export async function listEvidence(
  deps: Deps,
  actor: Actor,
  query: { targetType: EvidenceTargetType; targetId: string } & PageRequest,
): Promise<Page<Evidence>> {
  await targetFor(deps, actor, 'evidence:read', query.targetType, query.targetId, () => targetNotFound(query.targetType));
  return deps.evidence.listByTarget(query.targetType, query.targetId, query);
}

/** The system identity the verifier records in the audit trail. */
const verifier: Actor = { sub: 'system:evidence-verifier', name: '証跡検証', roles: [], department: '' };

/**
 * What a verification did: `verified` or `rejected` (recorded); `missing` when the
 * evidence is pending but its upload is not there (never sent, or gone); `scanPending`
 * when the upload is there but the malware scanner has not reported on it yet (nothing
 * recorded: it stays pending); `ignored` when there is nothing to do (not a kansa key,
 * or the evidence is no longer pending).
 */
export type VerifyOutcome = 'verified' | 'rejected' | 'missing' | 'scanPending' | 'ignored';

/** GuardDuty's scan-result event and the tag on the version it names disagree: nothing is decided on either alone. */
export class ScanReportMismatch extends Error {
  constructor(key: string, announced: string, tagged: string) {
    super(`the malware scan result of ${key} is ${announced} in its event but ${tagged} on the object: not decided, retried`);
    this.name = 'ScanReportMismatch';
  }
}

/**
 * On arrival of an object under `incoming/` (AWS with malware scanning: on its scan
 * result): first the malware scan of the version read (`deps.scanner`: GuardDuty's tag
 * on it), then size, type by magic bytes and SHA-256 against what was declared; copy a
 * good file to `evidence/` and a bad one to `quarantine/`, record the outcome with its
 * reason and the scan, then remove the upload. A file with threats, or one the scanner
 * could not scan, is quarantined with the reason; no report yet is `scanPending`
 * (nothing recorded). A second notification, or a second upload of the same evidence,
 * changes nothing.
 *
 * `announced` is the scanner's event (GuardDuty's result, with the threat names only it
 * carries): it must agree with the tag on the version read, else {@link ScanReportMismatch}.
 *
 * `version` is the one the S3 notification names: exactly those bytes are judged,
 * copied (only while their ETag matches) and removed; without it (the local emulator
 * keeps no versions; the `evidence-pending` duty has no notification) the current
 * object is read and the version read is the one copied and removed. `claim` is the
 * duty's claim of this unit, committed with the outcome (else {@link AlreadyClaimed}).
 * Verifying evidence also closes its uploader's open `evidenceExpired` tasks on the same
 * target given before it was registered (they asked for this upload).
 */
export async function verifyUpload(
  deps: Deps,
  key: string,
  version: UploadVersion = {},
  claim?: Claim,
  announced?: ScanReport,
): Promise<VerifyOutcome> {
  // Photos of one disposal record verified at the same moment each add themselves to
  // the record; the ones that lose the race read it again (the copy is idempotent).
  return retrying(
    deps.clock,
    verifyRetry,
    (err) => err instanceof StaleVersion,
    () => verifyOnce(deps, key, version, claim, announced),
  );
}

/** A verification that lost a race on its record: 8 tries, 10 ms more each time (and up to 40 ms at random). */
const verifyRetry: RetryPolicy = { attempts: 8, stepMs: 10, jitterMs: 40 };

async function verifyOnce(
  deps: Deps,
  key: string,
  version: UploadVersion,
  claim: Claim | undefined,
  announced: ScanReport | undefined,
): Promise<VerifyOutcome> {
  const evidenceId = evidenceIdOfKey(key);
  if (!evidenceId) return 'ignored';
  const before = await deps.evidence.get(evidenceId);
  if (!before || before.status !== 'pending' || before.objectKey !== key) return 'ignored';
  const seen = await deps.objects.inspect(key, version);
  if (!seen) return 'missing';
  const read: UploadVersion = { versionId: seen.versionId, eTag: seen.eTag };
  // The scan of the very version read (its tag), never the key's current one.
  const tagged = await deps.scanner.reportOf(key, read);
  if (!tagged) return 'scanPending';
  const announcedResult = announced?.scanner === 'GuardDuty' ? announced.status : announced?.scanner;
  const taggedResult = tagged.scanner === 'GuardDuty' ? tagged.status : tagged.scanner;
  if (announced && announcedResult !== taggedResult) throw new ScanReportMismatch(key, String(announcedResult), taggedResult);
  const now = deps.clock.now().toISOString();
  const scanned = judgeScan(announced ?? tagged, now);
  const verdict: ReturnType<typeof judgeUpload> = scanned.reason
    ? { status: 'rejected', reason: scanned.reason }
    : judgeUpload(before, seen);
  const verified = verdict.status === 'verified';
  const destination = verified ? verifiedKey(before) : quarantineKey(before);
  // Copy first: if recording fails, the upload is still there for the retried event.
  const copied = await deps.objects.copy(key, destination, verified ? 'default' : 'quarantine', read);
  const after: Evidence = {
    ...before,
    status: verdict.status,
    objectKey: destination,
    detectedType: seen.detectedType ?? 'unknown',
    malwareScan: scanned.scan,
    version: before.version + 1,
    updatedAt: now,
    ...(verified ? { verifiedAt: now } : { rejectReason: verdict.reason }),
  };
  const changes: Change[] = [
    change(
      deps,
      verifier,
      now,
      'evidence',
      evidenceId,
      verified ? 'evidence.verified' : 'evidence.rejected',
      before,
      after,
      verified ? undefined : verdict.reason,
    ),
  ];
  if (verified && before.target.type === 'disposal' && allowedTypes[before.contentType]?.photo) {
    const disposal = await deps.disposals.get(before.target.id);
    // Beyond the first photos the record is complete anyway; the rest stay listed under it (GET /evidence).
    if (disposal && !disposal.verifiedPhotoIds.includes(evidenceId) && disposal.verifiedPhotoIds.length < maxAttachedEvidence) {
      const updated: Disposal = {
        ...disposal,
        verifiedPhotoIds: [...disposal.verifiedPhotoIds, evidenceId],
        version: disposal.version + 1,
        updatedAt: now,
      };
      changes.push(change(deps, verifier, now, 'disposal', disposal.disposalId, 'disposal.photoVerified', disposal, updated));
    }
  }
  if (verified) changes.push(...closeTaskChanges(deps, verifier, now, await reuploadTasks(deps, before)));
  await deps.writer.commit(changes, [], claim ? [claim] : []);
  await deps.objects.remove(key, read.versionId ?? copied.sourceVersionId);
  return verdict.status;
}

/** Days the uploader has to upload again what never arrived. */
export const reuploadDays = 7;

/**
 * The uploader's open tasks to upload again for this evidence's target that this upload
 * answers: those given before it was registered (one Query of the subject's index). An
 * upload registered earlier and verified only now (by the same duty run) answers none.
 */
async function reuploadTasks(deps: Deps, e: Evidence): Promise<Task[]> {
  const open = await deps.tasks.openOfSubject(e.target.type, e.target.id);
  return open.filter(
    (t) => t.kind === 'evidenceExpired' && isUserAssignee(t.assignee) && t.assignee.user === e.uploadedBy && t.createdAt <= e.createdAt,
  );
}

/**
 * Evidence still `pending` whose upload is not there (never sent, or gone before it was
 * checked): it becomes `expired`, and its uploader gets a task to upload again, about
 * the evidence's target so the app links to it; one change each, for the caller's
 * transaction. The caller (the `evidence-pending` duty) has seen the upload missing.
 */
export function expireEvidence(
  deps: Pick<Deps, 'ids'>,
  actor: Actor,
  now: string,
  before: Evidence,
  task: Pick<NewTask, 'duty' | 'period' | 'source'> & { today: string },
): { changes: Change[]; task: Task } {
  const reason = 'アップロードされたファイルが届かないまま検証できなくなりました。';
  const after: Evidence = { ...before, status: 'expired', expiredAt: now, version: before.version + 1, updatedAt: now };
  const created = createTaskChange(deps, actor, now, {
    kind: 'evidenceExpired',
    title: `証跡「${before.fileName}」のファイルが届きませんでした。${targetLabels[before.target.type]}にもう一度アップロードしてください。`,
    duty: task.duty,
    period: task.period,
    source: task.source,
    assignee: assigneeUser(before.uploadedBy, before.department),
    subject: before.target,
    dueDate: addDays(task.today, reuploadDays),
  });
  return {
    changes: [change(deps, actor, now, 'evidence', before.evidenceId, 'evidence.expired', before, after, reason), created.change],
    task: created.task,
  };
}
