import { Forbidden } from './errors.js';
import { type Actor, type Role, roleTitles } from './roles.js';
import type { Plan } from './plan.js';

/**
 * The one authorization function: (actor, action, resource) → allow or deny with a
 * Japanese reason. Pure; every route calls it; handlers never check roles by hand.
 */

export type Action =
  | 'me:read'
  | 'profile:read'
  | 'openapi:read'
  | 'plan:create'
  | 'plan:list'
  | 'plan:read'
  | 'plan:update'
  | 'plan:submit'
  | 'plan:approve'
  | 'plan:return'
  | 'plan:start'
  | 'plan:revise'
  | 'auditLog:read';

export type Resource = { type: 'plan'; plan: Pick<Plan, 'createdBy' | 'lastEditedBy' | 'submittedBy'> };

export type Decision = { allowed: true } | { allowed: false; reason: string };

/** Roles that may read 監査計画: auditors, 総括保護管理者, 総括保護副管理者. */
const planReaders: readonly Role[] = ['auditLead', 'auditorDx', 'auditorKoho', 'chiefManager', 'deputyManager'];

/** Which roles may attempt each action at all (before looking at the resource). */
export const actionRoles: Record<Action, readonly Role[] | 'anyUser'> = {
  'me:read': 'anyUser',
  'profile:read': 'anyUser',
  'openapi:read': 'anyUser',
  'plan:create': ['auditLead'],
  'plan:list': planReaders,
  'plan:read': planReaders,
  'plan:update': ['auditLead'],
  'plan:submit': ['auditLead'],
  'plan:approve': ['chiefManager'],
  'plan:return': ['chiefManager'],
  'plan:start': ['auditLead'],
  'plan:revise': ['auditLead'],
  'auditLog:read': ['auditLead', 'chiefManager', 'deputyManager'],
};

const actionLabels: Record<Action, string> = {
  'me:read': '利用者情報の参照',
  'profile:read': '規程プロファイルの参照',
  'openapi:read': 'API定義の参照',
  'plan:create': '監査計画の起案',
  'plan:list': '監査計画の一覧',
  'plan:read': '監査計画の参照',
  'plan:update': '監査計画の編集',
  'plan:submit': '監査計画の提出',
  'plan:approve': '監査計画の承認',
  'plan:return': '監査計画の差戻し',
  'plan:start': '監査の開始',
  'plan:revise': '監査計画の改訂',
  'auditLog:read': '監査証跡の参照',
};

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

/** Decide whether `actor` may perform `action`, on `resource` when one is given. */
export function decide(actor: Actor, action: Action, resource?: Resource): Decision {
  const wanted = actionRoles[action];
  if (wanted !== 'anyUser' && !actor.roles.some((r) => wanted.includes(r))) {
    const titles = wanted.map((r) => roleTitles[r]).join('、');
    return deny(`${actionLabels[action]}は${titles}のみが行えます。`);
  }
  if (resource?.type === 'plan' && (action === 'plan:approve' || action === 'plan:return')) {
    // 職務の分離 (第26条2項): the 総括保護管理者 judges a plan drafted by someone else.
    if (resource.plan.createdBy === actor.sub) {
      return deny(`自分が起案した監査計画は${action === 'plan:approve' ? '承認' : '差戻し'}できません（職務の分離）。`);
    }
    if (resource.plan.lastEditedBy === actor.sub) {
      return deny(`自分が最後に編集した監査計画は${action === 'plan:approve' ? '承認' : '差戻し'}できません（職務の分離）。`);
    }
    if (resource.plan.submittedBy === actor.sub) {
      return deny(`自分が提出した監査計画は${action === 'plan:approve' ? '承認' : '差戻し'}できません（職務の分離）。`);
    }
  }
  return allow;
}

/** Like {@link decide}, but throws {@link Forbidden} with the reason when denied. */
export function authorize(actor: Actor, action: Action, resource?: Resource): void {
  const d = decide(actor, action, resource);
  if (!d.allowed) throw new Forbidden(d.reason);
}
