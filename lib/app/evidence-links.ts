import { Conflict, InvalidInput } from '#lib/domain/errors.js';
import { type EvidenceTargetType, maxAttachedEvidence } from '#lib/domain/evidence.js';
import type { Deps } from './ports.js';

/**
 * Evidence attached to an entity: the check every use case that attaches 証跡 makes
 * before its change. A building block (lib/app/evidence.ts is the 証跡 use cases).
 */

/** The Japanese name of each kind of evidence target, for messages. */
export const targetLabels: Record<EvidenceTargetType, string> = {
  plan: '監査計画',
  finding: '監査所見',
  action: '改善措置',
  disposal: '消去・廃棄の記録',
  inspection: '点検',
  contractorCheck: '委託先の検査',
  incident: '事案',
};

/**
 * Evidence ids a change attaches to `target` must name evidence registered for that
 * very target (POST /evidence) and not rejected. An unknown id and one of another
 * target (another 課's included) get the same answer, so nothing is learnt about
 * evidence the caller may not see: a 400 naming each, and nothing is written.
 * Reads: one GetItem per id not yet attached (≤ 50).
 */
export async function assertEvidenceOf(
  deps: Pick<Deps, 'evidence'>,
  target: { type: EvidenceTargetType; id: string },
  ids: readonly string[],
  attached: readonly string[] = [],
): Promise<void> {
  const fresh = [...new Set(ids)].filter((id) => !attached.includes(id));
  if (attached.length + fresh.length > maxAttachedEvidence) {
    throw new Conflict(
      `1件の${targetLabels[target.type]}に添付できる証跡は${maxAttachedEvidence}件までです（添付済み ${attached.length} 件、追加 ${fresh.length} 件）。`,
      'too-many-attachments',
    );
  }
  const found = await Promise.all(fresh.map((id) => deps.evidence.get(id)));
  const label = targetLabels[target.type];
  const errors = fresh.flatMap((id, n) => {
    const e = found[n];
    const path = `evidenceIds.${ids.indexOf(id)}`;
    if (!e || e.target.type !== target.type || e.target.id !== target.id)
      return [{ path, message: `証跡 ${id} はこの${label}に登録された証跡ではありません。` }];
    if (e.status === 'rejected') return [{ path, message: `証跡 ${id}（${e.fileName}）は検証で不合格となったため添付できません。` }];
    if (e.status === 'expired')
      return [{ path, message: `証跡 ${id}（${e.fileName}）はファイルが届かず期限切れとなったため添付できません。` }];
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
