import { Forbidden } from './errors.js';
import type { Organisation } from './organisation.js';
import { divisionOf } from './organisation.js';
import type { Plan } from './plan.js';
import { type Actor, type Role, roleTitles } from './roles.js';
import type { ScopeId } from './scopes.js';

/**
 * The one authorization function: (actor, action, resource) → allow or deny with a
 * Japanese reason. Pure; every route calls it; handlers never check roles by hand.
 * Separation of duties holds whatever roles one person holds.
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
  | 'plan:report'
  | 'plan:close'
  | 'plan:revise'
  | 'finding:create'
  | 'finding:list'
  | 'finding:read'
  | 'finding:update'
  | 'action:create'
  | 'action:list'
  | 'action:read'
  | 'action:work'
  | 'action:verify'
  | 'action:acceptRisk'
  | 'evidence:create'
  | 'evidence:read'
  | 'disposal:create'
  | 'disposal:list'
  | 'disposal:read'
  | 'auditLog:read'
  | 'task:list'
  | 'task:read'
  | 'inspection:list'
  | 'inspection:read'
  | 'inspection:update'
  | 'inspection:submit'
  | 'inspection:review'
  | 'contractor:create'
  | 'contractor:list'
  | 'contractor:read'
  | 'contractor:update'
  | 'contractorCheck:list'
  | 'contractorCheck:read'
  | 'contractorCheck:complete';

/** An assistant auditor's scope as the permission check needs it. */
export interface ScopeOwner {
  scope: Exclude<ScopeId, 'lead'>;
  role: Role;
  title: string;
  /** The articles in Japanese, e.g. 第8条、第9条、… */
  articles: string;
}

export type Resource =
  | { type: 'plan'; plan: Pick<Plan, 'createdBy' | 'lastEditedBy' | 'submittedBy'> }
  /** Recording a finding on an article of this scope. */
  | { type: 'scope'; scope: ScopeId; articleLabel: string; owners: readonly ScopeOwner[] }
  /** Reading something that belongs to a 課. */
  | { type: 'department'; department: string; organisation: Organisation }
  /** Changing a finding, or adding an action to it. */
  | { type: 'finding'; finding: { createdBy: string; scope: ScopeId }; owners: readonly ScopeOwner[] }
  /** Working on, verifying or reopening a follow-up action. */
  | {
      type: 'action';
      action: { department: string; submittedBy?: string | undefined; finding: { createdBy: string; scope: ScopeId } };
      owners: readonly ScopeOwner[];
    }
  /** Attaching or reading evidence of a target. */
  | EvidenceResource
  /** Recording the chief's 見直し on a submitted 点検. */
  | { type: 'inspectionReview'; inspection: { submittedBy?: string | undefined; lastEditedBy?: string | undefined } }
  /** Reading a task: its assignee (a role's holder, or the one person it names), or whoever sees its 課 (tasks without a 課: readers of every 課). */
  | {
      type: 'task';
      task: { assignee: { role: Role; department?: string | undefined } | { user: string; department?: string | undefined } };
      organisation: Organisation;
    };

/** What evidence is attached to, as authorization needs it. */
export type EvidenceTarget =
  | { type: 'plan' }
  | { type: 'finding'; department: string; finding: { createdBy: string; scope: ScopeId } }
  | { type: 'action'; department: string; finding: { createdBy: string; scope: ScopeId } }
  | { type: 'disposal'; department: string }
  | { type: 'inspection'; department: string }
  | { type: 'contractorCheck'; department: string };

export type EvidenceResource = {
  type: 'evidenceTarget';
  target: EvidenceTarget;
  owners: readonly ScopeOwner[];
  organisation: Organisation;
};

export type Decision = { allowed: true } | { allowed: false; reason: string };

const auditors: readonly Role[] = ['auditLead', 'auditorDx', 'auditorKoho'];
/** Roles that read every 課's findings and actions. */
const readAll: readonly Role[] = [...auditors, 'chiefManager', 'deputyManager'];
/** Roles that read 監査計画. */
const planReaders: readonly Role[] = readAll;

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
  'plan:report': ['auditLead'],
  'plan:close': ['chiefManager'],
  'plan:revise': ['auditLead'],
  'finding:create': auditors,
  'finding:list': [...readAll, 'deptHead', 'sectionManager'],
  'finding:read': [...readAll, 'deptHead', 'sectionManager'],
  'finding:update': auditors,
  'action:create': auditors,
  'action:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'action:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'action:work': ['sectionManager', 'sectionStaff'],
  'action:verify': auditors,
  'action:acceptRisk': ['chiefManager'],
  'evidence:create': [...auditors, 'sectionManager', 'sectionStaff'],
  'evidence:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'disposal:create': ['auditLead', 'sectionManager', 'sectionStaff'],
  'disposal:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'disposal:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'auditLog:read': ['auditLead', 'chiefManager', 'deputyManager'],
  'task:list': 'anyUser',
  'task:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'inspection:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'inspection:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  // 第27条: the 保護管理者 inspects; the 保護担当者 (第6条) helps fill the checklist in.
  'inspection:update': ['sectionManager', 'sectionStaff'],
  'inspection:submit': ['sectionManager'],
  // The chief's 評価及び見直し on the 点検's results (001 第28条, 003 第30条).
  'inspection:review': ['chiefManager'],
  // 第22条第1項–第4項: the 保護管理者 chooses, contracts with and checks each 委託先.
  'contractor:create': ['sectionManager'],
  'contractor:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'contractor:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'contractor:update': ['sectionManager'],
  'contractorCheck:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'contractorCheck:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff'],
  'contractorCheck:complete': ['sectionManager'],
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
  'plan:report': '監査結果の報告',
  'plan:close': '監査の完了',
  'plan:revise': '監査計画の改訂',
  'finding:create': '監査所見の記録',
  'finding:list': '監査所見の一覧',
  'finding:read': '監査所見の参照',
  'finding:update': '監査所見の編集',
  'action:create': '改善措置の登録',
  'action:list': '改善措置の一覧',
  'action:read': '改善措置の参照',
  'action:work': '改善措置の進捗登録・完了報告',
  'action:verify': '改善措置の確認・再対応の指示',
  'action:acceptRisk': 'リスクの受容',
  'evidence:create': '証跡の添付',
  'evidence:read': '証跡の参照',
  'disposal:create': '消去・廃棄の記録',
  'disposal:list': '消去・廃棄の記録の一覧',
  'disposal:read': '消去・廃棄の記録の参照',
  'auditLog:read': '監査証跡の参照',
  'task:list': 'タスクの一覧',
  'task:read': 'タスクの参照',
  'inspection:list': '点検の一覧',
  'inspection:read': '点検の参照',
  'inspection:update': '点検結果の記入',
  'inspection:submit': '点検結果の提出',
  'inspection:review': '点検結果を踏まえた安全管理措置の見直しの記録',
  'contractor:create': '委託先の登録',
  'contractor:list': '委託先の一覧',
  'contractor:read': '委託先の参照',
  'contractor:update': '委託先の変更',
  'contractorCheck:list': '委託先の検査の一覧',
  'contractorCheck:read': '委託先の検査の参照',
  'contractorCheck:complete': '委託先の検査結果の記録',
};

/** Actions only the 課's own holders of the action's roles may take (第22条, 第27条). */
const ownSectionActions: Partial<Record<Action, string>> = {
  'inspection:update': '点検結果の記入は、その課の保護管理者・保護担当者のみが行えます（第27条）。',
  'inspection:submit': '点検結果の提出は、その課の保護管理者のみが行えます（第27条）。',
  'contractor:create': '委託先の登録は、委託する課の保護管理者のみが行えます（第22条）。',
  'contractor:update': '委託先の変更は、委託する課の保護管理者のみが行えます（第22条）。',
  'contractorCheck:complete': '委託先の検査結果の記録は、委託する課の保護管理者のみが行えます（第22条第4項）。',
};

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });
const has = (actor: Actor, roles: readonly Role[]) => actor.roles.some((r) => roles.includes(r));

/** The finding's auditor: its author, or whoever holds the assistant role of its scope. */
function isFindingAuditor(actor: Actor, finding: { createdBy: string; scope: ScopeId }, owners: readonly ScopeOwner[]): boolean {
  if (actor.sub === finding.createdBy) return true;
  const owner = owners.find((o) => o.scope === finding.scope);
  return owner !== undefined && actor.roles.includes(owner.role);
}

/** The 保護管理者 and the 保護担当者 act for their own 課 (section roles). */
export function holdsSectionRole(actor: Actor): boolean {
  return has(actor, ['sectionManager', 'sectionStaff']);
}

/** Auditors, the 総括保護管理者 and the 総括保護副管理者 read every 課's findings and actions. */
export function readsEveryDepartment(actor: Actor): boolean {
  return has(actor, readAll);
}

/** Whether the actor may see what belongs to this 課 (section roles: their own; 部長: their 部). */
export function canSeeDepartment(actor: Actor, department: string, organisation: Organisation): boolean {
  if (readsEveryDepartment(actor)) return true;
  if (holdsSectionRole(actor) && actor.department === department) return true;
  if (actor.roles.includes('deptHead') && (actor.department === department || divisionOf(organisation, department) === actor.department))
    return true;
  return false;
}

const sectionOf = (actor: Actor, department: string) => holdsSectionRole(actor) && actor.department === department;

/** Who may attach evidence: to a plan the auditors; to a finding its auditors; to an action or disposal its 課 too. */
function decideAttach(actor: Actor, r: EvidenceResource): Decision {
  const t = r.target;
  const ok =
    t.type === 'plan'
      ? has(actor, auditors)
      : t.type === 'finding'
        ? actor.roles.includes('auditLead') || isFindingAuditor(actor, t.finding, r.owners)
        : t.type === 'action'
          ? sectionOf(actor, t.department) || actor.roles.includes('auditLead') || isFindingAuditor(actor, t.finding, r.owners)
          : sectionOf(actor, t.department) || actor.roles.includes('auditLead');
  return ok ? allow : deny('この対象に証跡を添付する権限がありません（担当する課の職員か、担当の監査員のみが添付できます）。');
}

/** Readers of the target read its evidence. */
function decideEvidenceRead(actor: Actor, r: EvidenceResource): Decision {
  const t = r.target;
  if (t.type === 'plan')
    return has(actor, planReaders) ? allow : deny('監査計画の証跡は監査員・総括保護管理者・総括保護副管理者のみが参照できます。');
  if (t.type === 'finding' && !has(actor, actionRoles['finding:read'] as readonly Role[]))
    return deny('監査所見の証跡を参照する権限がありません。');
  return canSeeDepartment(actor, t.department, r.organisation)
    ? allow
    : deny('自分の所属する課（保護責任者は所管する部の課）の証跡のみ参照できます。');
}

function decideOnResource(actor: Actor, action: Action, resource: Resource): Decision {
  switch (resource.type) {
    case 'plan': {
      if (action !== 'plan:approve' && action !== 'plan:return') return allow;
      // 職務の分離 (第26条2項): the 総括保護管理者 judges a plan drafted by someone else.
      const verb = action === 'plan:approve' ? '承認' : '差戻し';
      if (resource.plan.createdBy === actor.sub) return deny(`自分が起案した監査計画は${verb}できません（職務の分離）。`);
      if (resource.plan.lastEditedBy === actor.sub) return deny(`自分が最後に編集した監査計画は${verb}できません（職務の分離）。`);
      if (resource.plan.submittedBy === actor.sub) return deny(`自分が提出した監査計画は${verb}できません（職務の分離）。`);
      return allow;
    }
    case 'scope': {
      // 第7条の2第3項: each 監査補助者 audits a fixed set of articles; the 監査責任者 any.
      if (actor.roles.includes('auditLead')) return allow;
      const mine = resource.owners.filter((o) => actor.roles.includes(o.role));
      if (mine.some((o) => o.scope === resource.scope)) return allow;
      const owner = resource.owners.find((o) => o.scope === resource.scope);
      const whose = owner ? `${owner.title}の監査範囲` : '監査補助者の監査範囲外で、監査責任者のみが監査所見を記録できる条項';
      // A regulation without 監査補助者 (002–004): no scope of the actor's to name, nor 第7条の2.
      if (mine.length === 0) return deny(`${resource.articleLabel}は${whose}です。`);
      const yours = mine.map((o) => `${o.title}の監査範囲は${o.articles}`).join('。');
      return deny(`${resource.articleLabel}は${whose}です。${yours}です（第7条の2第3項）。`);
    }
    case 'inspectionReview': {
      // 職務の分離: the 見直し is not recorded by whoever filled in or submitted the 点検.
      const i = resource.inspection;
      if (i.submittedBy === actor.sub) return deny('自分が提出した点検の見直しは記録できません（職務の分離）。');
      if (i.lastEditedBy === actor.sub) return deny('自分が記入した点検の見直しは記録できません（職務の分離）。');
      return allow;
    }
    case 'evidenceTarget':
      return action === 'evidence:create' ? decideAttach(actor, resource) : decideEvidenceRead(actor, resource);
    case 'department': {
      const ownOnly = ownSectionActions[action];
      if (ownOnly !== undefined) {
        const roles = actionRoles[action];
        return roles !== 'anyUser' && has(actor, roles) && actor.department === resource.department ? allow : deny(ownOnly);
      }
      if (action === 'disposal:create') {
        return actor.roles.includes('auditLead') || (holdsSectionRole(actor) && actor.department === resource.department)
          ? allow
          : deny('消去・廃棄の記録は、自分の課の保護管理者・保護担当者か監査責任者のみが登録できます。');
      }
      return canSeeDepartment(actor, resource.department, resource.organisation)
        ? allow
        : deny('自分の所属する課（保護責任者は所管する部の課）のもののみ参照できます。');
    }
    case 'task': {
      const a = resource.task.assignee;
      const mine =
        'user' in a
          ? a.user === actor.sub
          : actor.roles.includes(a.role) && (a.department === undefined || a.department === actor.department);
      if (mine) return allow;
      const sees = a.department === undefined ? readsEveryDepartment(actor) : canSeeDepartment(actor, a.department, resource.organisation);
      return sees ? allow : deny('自分宛てのタスクか、参照できる課のタスクのみ参照できます。');
    }
    case 'finding': {
      if (actor.roles.includes('auditLead')) return allow;
      if (isFindingAuditor(actor, resource.finding, resource.owners)) return allow;
      return deny(
        action === 'finding:update'
          ? '監査所見を編集できるのは記録した監査補助者か監査責任者です。'
          : '改善措置を登録できるのはこの監査所見の監査補助者か監査責任者です。',
      );
    }
    case 'action': {
      const a = resource.action;
      if (action === 'action:work') {
        return actor.department === a.department && holdsSectionRole(actor)
          ? allow
          : deny('改善措置の進捗登録・完了報告は、措置を担当する課の保護管理者・保護担当者のみが行えます。');
      }
      if (action === 'action:verify') {
        // 職務の分離: nobody verifies what they submitted themselves.
        if (a.submittedBy !== undefined && a.submittedBy === actor.sub)
          return deny('自分が完了報告した改善措置は確認できません（職務の分離）。');
        if (actor.roles.includes('auditLead') || isFindingAuditor(actor, a.finding, resource.owners)) return allow;
        return deny('改善措置を確認できるのは監査責任者か、この監査所見の監査補助者です。');
      }
      return allow;
    }
  }
}

/** Role titles to name in refusals: the active regulation's (default: 001's). */
export type RoleTitles = Partial<Record<Role, string>>;

/**
 * Decide whether `actor` may perform `action`, on `resource` when one is given.
 * Refusals name the roles by `titles`; roles the regulation does not have are left out.
 */
export function decide(actor: Actor, action: Action, resource?: Resource, titles: RoleTitles = roleTitles): Decision {
  const wanted = actionRoles[action];
  if (wanted !== 'anyUser' && !has(actor, wanted)) {
    const names = wanted.flatMap((r) => (titles[r] ? [titles[r]] : []));
    return deny(`${actionLabels[action]}は${[...new Set(names)].join('、')}のみが行えます。`);
  }
  return resource ? decideOnResource(actor, action, resource) : allow;
}

/** Like {@link decide}, but throws {@link Forbidden} with the reason when denied. */
export function authorize(actor: Actor, action: Action, resource?: Resource, titles?: RoleTitles): void {
  const d = decide(actor, action, resource, titles);
  if (!d.allowed) throw new Forbidden(d.reason);
}
