import { Conflict } from '#lib/domain/errors.js';
import type { Action, Resource } from '#lib/domain/permissions.js';
import { holdsAudits } from '#lib/domain/provisions.js';
import type { Deps } from './ports.js';

/**
 * The writes of the 監査 workflow: 監査計画 (drafting starts it), 監査所見 and 改善措置.
 * Reads stay open: where there is no 監査 the lists are simply empty.
 */
export const auditWrites: ReadonlySet<Action> = new Set<Action>([
  'plan:create',
  'plan:update',
  'plan:submit',
  'plan:approve',
  'plan:return',
  'plan:start',
  'plan:report',
  'plan:close',
  'plan:revise',
  'finding:create',
  'finding:update',
  'action:create',
  'action:work',
  'action:verify',
  'action:acceptRisk',
]);

/** Evidence attached to the 監査's own records (a deployment that stopped auditing keeps them, unchanged). */
function isAuditEvidence(action: Action, resource: Resource | undefined): boolean {
  return (
    action === 'evidence:create' && resource?.type === 'evidenceTarget' && ['plan', 'finding', 'action'].includes(resource.target.type)
  );
}

/**
 * A regulation without 監査 (003: its review is the 点検 of 第30条) has no 監査計画, 所見 or
 * 改善措置 unless the deployment audits as its practice (`PRACTICES_JSON` `{"audits": true}`,
 * lib/profiles/practices.ts, which adds the `audit` provision). 409: no one may do this
 * here whatever their role, and it becomes possible when the deployment's state changes.
 * Records of a time it audited stay readable, and nothing is added to them.
 */
export function assertAuditsHeld(deps: Pick<Deps, 'profile'>, action: Action, resource?: Resource): void {
  if (holdsAudits(deps.profile.provisions)) return;
  if (!auditWrites.has(action) && !isAuditEvidence(action, resource)) return;
  throw new Conflict(
    `${deps.profile.regulation}には監査の定めがないため、監査計画・監査所見・改善措置は登録・更新できません。` +
      '運用として監査を行う場合は、デプロイの設定 PRACTICES_JSON に {"audits": true} を指定してください。',
    'audit-not-in-regulation',
  );
}
