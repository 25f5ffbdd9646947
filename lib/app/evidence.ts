import { Conflict, InvalidInput, NotFound, PayloadTooLarge, StaleVersion, UnsupportedMediaType } from '#lib/domain/errors.js';
import {
  type CreateEvidenceInput,
  type Evidence,
  type EvidenceTargetType,
  allowedTypes,
  evidenceIdOfKey,
  incomingKey,
  judgeUpload,
  maxAttachedEvidence,
  quarantineKey,
  verifiedKey,
} from '#lib/domain/evidence.js';
import type { Disposal } from '#lib/domain/disposal.js';
import type { Actor } from '#lib/domain/roles.js';
import { authorizeIn } from './authorize.js';
import { change } from './changes.js';
import type { Change, Deps, Page, PageRequest } from './ports.js';
import { sealEvent } from './trail-hash.js';
import { evidenceResource, loadVisible, visibleTarget } from './visibility.js';

/**
 * 証跡 use cases. Uploads go from the browser or phone straight to S3 with a
 * presigned POST; an S3 notification then verifies what arrived. Verified evidence
 * is copied to `evidence/` (Object Lock) and never overwritten or deleted.
 */

const targetLabels: Record<EvidenceTargetType, string> = {
  plan: '監査計画',
  finding: '監査所見',
  action: '改善措置',
  disposal: '消去・廃棄の記録',
  inspection: '点検',
  contractorCheck: '委託先の検査',
};
const targetNotFound = (type: EvidenceTargetType) => new NotFound(`添付先（${targetLabels[type]}）が見つかりません。`, 'target-not-found');

/**
 * Evidence ids a change attaches to `target` must name evidence registered for that
 * very target (POST /evidence) and not rejected. An unknown id and one of another
 * target (another 課's included) get the same answer, so nothing is learnt about
 * evidence the caller may not see: a 400 naming each, and nothing is written.
 * Reads: one GetItem per id not yet attached (≤ 50).
 */
export async function assertEvidenceOf(deps: Pick<Deps, 'evidence'>, target: { type: EvidenceTargetType; id: string }, ids: readonly string[], attached: readonly string[] = []): Promise<void> {
  const fresh = [...new Set(ids)].filter((id) => !attached.includes(id));
  const found = await Promise.all(fresh.map((id) => deps.evidence.get(id)));
  const label = targetLabels[target.type];
  const errors = fresh.flatMap((id, n) => {
  if (attached.length + fresh.length > maxAttachedEvidence) {
    throw new Conflict(
      `1件の${targetLabels[target.type]}に添付できる証跡は${maxAttachedEvidence}件までです（添付済み ${attached.length} 件、追加 ${fresh.length} 件）。`,
      'too-many-attachments',
    );
  }
    const e = found[n];
    const path = `evidenceIds.${ids.indexOf(id)}`;
    if (!e || e.target.type !== target.type || e.target.id !== target.id) return [{ path, message: `証跡 ${id} はこの${label}に登録された証跡ではありません。` }];
    if (e.status === 'rejected') return [{ path, message: `証跡 ${id}（${e.fileName}）は検証で不合格となったため添付できません。` }];
    return [];
  });
  if (errors.length > 0) {
    throw new InvalidInput(
      `指定された証跡を添付できません: ${errors.map((e) => e.message).join(' ')} 証跡は先にこの${label}を添付先として登録（POST /evidence）してください。`,
      errors,
      'evidence-not-of-target',
    );
  }
}

/**
 * Register an upload and answer a presigned POST for it. A target the caller may not
 * see is 404, one they see but may not attach to 403; then the allow-listed type (415)
 * and the size limit (413). The policy pins the key, the exact size, the type and the
 * SHA-256, and expires within 5 minutes.
 */
export async function createEvidence(deps: Deps, actor: Actor, input: CreateEvidenceInput) {
  const target = await visibleTarget(deps, actor, input.target.type, input.target.id, () => targetNotFound(input.target.type));
  authorizeIn(deps, actor, 'evidence:create', evidenceResource(deps, target));
  if (!allowedTypes[input.contentType]) {
    throw new UnsupportedMediaType(
      `この形式（${input.contentType}）は添付できません。添付できる形式: ${Object.values(allowedTypes).map((t) => t.label).join('、')}。`,
      'unsupported-file-type',
    );
  }
  if (input.size > deps.evidenceMaxBytes) {
    throw new PayloadTooLarge(`ファイルが大きすぎます（${input.size} バイト）。${Math.floor(deps.evidenceMaxBytes / 1024 / 1024)}MB までです。`, 'file-too-large');
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
      evidence.status === 'pending' ? 'この証跡はまだ検証中です。検証が終わってからダウンロードしてください。' : `この証跡は受け付けられませんでした: ${evidence.rejectReason ?? ''}`,
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
export async function listEvidence(deps: Deps, actor: Actor, query: { targetType: EvidenceTargetType; targetId: string } & PageRequest): Promise<Page<Evidence>> {
  const target = await visibleTarget(deps, actor, query.targetType, query.targetId, () => targetNotFound(query.targetType));
  authorizeIn(deps, actor, 'evidence:read', evidenceResource(deps, target));
  return deps.evidence.listByTarget(query.targetType, query.targetId, query);
}

/** The system identity the verifier records in the audit trail. */
const verifier: Actor = { sub: 'system:evidence-verifier', name: '証跡検証', roles: [], department: '' };

/**
 * On arrival of an object under `incoming/`: check size, type by magic bytes and
 * SHA-256 against what was declared; copy a good file to `evidence/` and a bad one to
 * `quarantine/`, record the outcome with its reason, then remove the upload. A second
 * notification, or a second upload of the same evidence, changes nothing.
 */
export async function verifyUpload(deps: Deps, key: string): Promise<'verified' | 'rejected' | 'ignored'> {
  // Photos of one disposal record verified at the same moment each add themselves to
  // the record; the ones that lose the race read it again (the copy is idempotent).
  for (let attempt = 1; ; attempt++) {
    try {
      return await verifyOnce(deps, key);
    } catch (err) {
      if (!(err instanceof StaleVersion) || attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 40));
    }
  }
}

async function verifyOnce(deps: Deps, key: string): Promise<'verified' | 'rejected' | 'ignored'> {
  const evidenceId = evidenceIdOfKey(key);
  if (!evidenceId) return 'ignored';
  const before = await deps.evidence.get(evidenceId);
  if (!before || before.status !== 'pending' || before.objectKey !== key) return 'ignored';
  const seen = await deps.objects.inspect(key);
  if (!seen) return 'ignored';
  const verdict = judgeUpload(before, seen);
  const now = deps.clock.now().toISOString();
  const verified = verdict.status === 'verified';
  const destination = verified ? verifiedKey(before) : quarantineKey(before);
  // Copy first: if recording fails, the upload is still there for the retried event.
  const copied = await deps.objects.copy(key, destination, verified ? 'default' : 'quarantine');
  const after: Evidence = {
    ...before,
    status: verdict.status,
    objectKey: destination,
    detectedType: seen.detectedType ?? 'unknown',
    version: before.version + 1,
    updatedAt: now,
    ...(verified ? { verifiedAt: now } : { rejectReason: verdict.reason }),
  };
  const changes: Change[] = [change(deps, verifier, now, 'evidence', evidenceId, verified ? 'evidence.verified' : 'evidence.rejected', before, after, verified ? undefined : verdict.reason)];
  if (verified && before.target.type === 'disposal' && allowedTypes[before.contentType]?.photo) {
    const disposal = await deps.disposals.get(before.target.id);
    // Beyond the first photos the record is complete anyway; the rest stay listed under it (GET /evidence).
    if (disposal && !disposal.verifiedPhotoIds.includes(evidenceId) && disposal.verifiedPhotoIds.length < maxAttachedEvidence) {
      const updated: Disposal = { ...disposal, verifiedPhotoIds: [...disposal.verifiedPhotoIds, evidenceId], version: disposal.version + 1, updatedAt: now };
      changes.push(change(deps, verifier, now, 'disposal', disposal.disposalId, 'disposal.photoVerified', disposal, updated));
    }
  }
  await deps.writer.commit(changes);
  await deps.objects.remove(key, copied.sourceVersionId);
  return verdict.status;
}

