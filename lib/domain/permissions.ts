import { Forbidden } from './errors.js';
import type { IncidentStep, NoticeKind } from './incident.js';
import type { Organisation } from './organisation.js';
import { divisionOf } from './organisation.js';
import type { Plan } from './plan.js';
import { type ChainRoles, type ProvisionId, type Wording, cite } from './provisions.js';
import { type Actor, type Role, roleKind } from './roles.js';
import { departmentRoles } from './task.js';
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
  | 'contractorCheck:complete'
  | 'incident:create'
  | 'incident:list'
  | 'incident:read'
  | 'incident:update'
  | 'incident:contain'
  | 'incident:investigate'
  | 'incident:escalate'
  | 'incident:prevention'
  | 'incident:acknowledge'
  | 'incident:ppcReport'
  | 'incident:notice'
  | 'incident:close'
  | 'incident:review'
  | 'staff:create'
  | 'staff:update'
  | 'staff:import'
  | 'staff:list'
  | 'staff:read'
  | 'training:create'
  | 'training:update'
  | 'training:list'
  | 'training:read'
  | 'attendance:record'
  | 'attendance:read';

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
  /**
   * Something that belongs to a 課. A joint 点検 (003 第30条) names the role that conducts it
   * with the 課 (`jointWith`), who fills in its checklist too.
   */
  | { type: 'department'; department: string; organisation: Organisation; jointWith?: Role | undefined }
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
  /** Recording the chief's 見直し on a submitted 点検 (a joint one names its `jointWith` role). */
  | {
      type: 'inspectionReview';
      inspection: { submittedBy?: string | undefined; lastEditedBy?: string | undefined; jointWith?: Role | undefined };
    }
  /**
   * A 事案: read by whoever sees its 課, its reporter and the 課 its prevention was shared with;
   * its steps by the roles the profile's chain names (`notice`: which notice is recorded).
   */
  | {
      type: 'incident';
      incident: { department: string; createdBy: string; sharing: readonly { department: string }[] };
      organisation: Organisation;
      notice?: NoticeKind;
    }
  /**
   * A 課's staff register (`staff`) or its training attendance (`training`): kept by the 課's
   * 保護管理者, read by the 課 and its 部長, the chief and deputy and the auditors who audit it.
   */
  | { type: 'register'; register: 'staff' | 'training'; department: string; organisation: Organisation }
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
  | { type: 'inspection'; department: string; jointWith?: Role | undefined }
  | { type: 'contractorCheck'; department: string }
  /** A 事案's evidence follows the 事案's own rules (its reporter, with no role too). */
  | { type: 'incident'; department: string; incident: IncidentResource['incident'] };

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
export const actionRoles: Record<Action, readonly Role[] | 'anyUser' | 'chain'> = {
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
  'action:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'action:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'action:work': ['sectionManager', 'sectionStaff', 'affairStaff'],
  'action:verify': auditors,
  'action:acceptRisk': ['chiefManager'],
  'evidence:create': [...auditors, 'sectionManager', 'sectionStaff', 'affairStaff'],
  'evidence:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'disposal:create': ['auditLead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'disposal:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'disposal:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'auditLog:read': ['auditLead', 'chiefManager', 'deputyManager'],
  'task:list': 'anyUser',
  'task:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'inspection:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'inspection:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  // 第27条: the 保護管理者 inspects; the 保護担当者 (第6条) helps fill the checklist in. On a joint
  // 点検 (003 第30条) its jointWith role too, as it attaches evidence and records the 見直し (rolesFor).
  'inspection:update': ['sectionManager', 'sectionStaff', 'affairStaff'],
  'inspection:submit': ['sectionManager'],
  // The chief's 評価及び見直し on the 点検's results (001 第28条, 003 第30条).
  'inspection:review': ['chiefManager'],
  // 第22条第1項–第4項: the 保護管理者 chooses, contracts with and checks each 委託先.
  'contractor:create': ['sectionManager'],
  'contractor:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'contractor:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'contractor:update': ['sectionManager'],
  'contractorCheck:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'contractorCheck:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'contractorCheck:complete': ['sectionManager'],
  // 001 第23条第1項: any 職員 who learns of a 事案 reports it (people with no audit role too);
  // the list shows each person what they may read (lib/app/visibility.ts).
  'incident:create': 'anyUser',
  'incident:list': 'anyUser',
  'incident:read': 'anyUser',
  // The steps: the roles the profile's chain names (`chainRoles`), decided on the 事案.
  'incident:update': 'chain',
  'incident:contain': 'chain',
  'incident:investigate': 'chain',
  'incident:escalate': 'chain',
  'incident:prevention': 'chain',
  // 001 第23条第5項: a 課 the measures were shared with acknowledges them (its 保護管理者).
  'incident:acknowledge': ['sectionManager'],
  'incident:ppcReport': 'chain',
  'incident:notice': 'chain',
  'incident:close': 'chain',
  // The 年度's 事案 of every 課, for the 評価及び見直し (001 第28条): whoever reads every 課's 事案.
  'incident:review': 'chain',
  // 001 第8条: each 課's 保護管理者 designates its 事務取扱担当者 and keeps its register.
  'staff:create': ['sectionManager'],
  'staff:update': ['sectionManager'],
  'staff:import': ['sectionManager'],
  // The 課's own, its 部長, and whoever reads every 課's register (`readsEveryRegister`).
  'staff:list': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  'staff:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
  // 001 第11条第6項: the 総括保護管理者 plans the training (様式第3号); every 職員 reads the plan.
  'training:create': ['chiefManager'],
  'training:update': ['chiefManager'],
  'training:list': 'anyUser',
  'training:read': 'anyUser',
  // 001 第11条第5項: the 課's 保護管理者 sees to attendance (the chief, who holds the training, too).
  'attendance:record': ['sectionManager', 'chiefManager'],
  'attendance:read': [...readAll, 'deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'],
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
  'incident:create': '事案の報告',
  'incident:list': '事案の一覧',
  'incident:read': '事案の参照',
  'incident:update': '事案の事実関係の修正',
  'incident:contain': '被害拡大防止の措置の記録',
  'incident:investigate': '事案の調査結果の報告',
  'incident:escalate': '特に重大な事案の報告',
  'incident:prevention': '再発防止策の記録',
  'incident:acknowledge': '共有された再発防止策の確認',
  'incident:ppcReport': '個人情報保護委員会への報告の記録',
  'incident:notice': '本人通知・公表等の記録',
  'incident:close': '事案の完了',
  'incident:review': '事案の年度一覧（評価及び見直し）の出力',
  'staff:create': '職員名簿への登録',
  'staff:update': '職員名簿の変更',
  'staff:import': '職員名簿の取込',
  'staff:list': '職員名簿の参照',
  'staff:read': '職員名簿の参照',
  'training:create': '研修計画の策定',
  'training:update': '研修計画の変更',
  'training:list': '研修計画の一覧',
  'training:read': '研修計画の参照',
  'attendance:record': '研修の受講の記録',
  'attendance:read': '研修の受講状況の参照',
};

/** The chain's step each incident action is. */
const incidentStepOf: Partial<Record<Action, IncidentStep>> = {
  'incident:contain': 'contain',
  'incident:investigate': 'investigate',
  'incident:escalate': 'escalate',
  'incident:prevention': 'prevention',
  'incident:ppcReport': 'ppcReport',
  'incident:close': 'close',
};

/**
 * Who may take a chain action under the profile, and the rule that says so (none: nobody,
 * as with a notice the regulation lacks).
 */
export function chainRule(
  action: Action,
  chain: ChainRoles | undefined,
  notice?: NoticeKind,
): { roles: readonly Role[]; provision?: ProvisionId } {
  if (!chain) return { roles: [] };
  if (action === 'incident:update') return { roles: chain.edit };
  if (action === 'incident:review') return { roles: ['chiefManager', 'deputyManager', ...chain.auditedBy] };
  if (action === 'incident:notice')
    return notice
      ? (chain.notices[notice] ?? { roles: [] })
      : { roles: [...new Set(Object.values(chain.notices).flatMap((r) => r?.roles ?? []))] };
  const step = incidentStepOf[action];
  return (step ? chain.steps[step] : undefined) ?? { roles: [] };
}

/**
 * Actions only the 課's own holders of the action's roles may take (001: 第22条, 第27条):
 * which 課 it is, and the rule the refusal cites.
 */
const ownSectionActions: Partial<Record<Action, { whose: string; rule: ProvisionId }>> = {
  'inspection:update': { whose: 'その課', rule: 'inspection' },
  'inspection:submit': { whose: 'その課', rule: 'inspection' },
  'contractor:create': { whose: '委託する課', rule: 'contractor' },
  'contractor:update': { whose: '委託する課', rule: 'contractor' },
  'contractorCheck:complete': { whose: '委託する課', rule: 'contractorCheck' },
};

/** The titles of `roles` under the regulation, joined with 「・」; roles it does not have are left out. */
function titles(w: Wording, roles: readonly Role[], sep = '・'): string {
  return [...new Set(roles.flatMap((r) => (w.roleTitles[r] ? [w.roleTitles[r]] : [])))].join(sep);
}

/**
 * The 監査補助者 as a kind (001: 監査補助者, whose titles name their 課 in brackets), or ''
 * when the regulation has none.
 */
function assistants(w: Wording): string {
  const kinds = (['auditorDx', 'auditorKoho'] as const).flatMap((r) => (w.roleTitles[r] ? roleKind(w.roleTitles[r]) : []));
  return [...new Set(kinds)].join('・');
}

/** 「AかB」, or whichever of the two the regulation has ('' when neither). */
function either(a: string, b: string): string {
  return a && b ? `${a}か${b}` : a || b;
}

/** 「（保護責任者は所管する部の課）」 where the regulation has a 部 level. */
function divisionNote(w: Wording): string {
  return w.roleTitles.deptHead ? `（${w.roleTitles.deptHead}は所管する部の課）` : '';
}

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });
const has = (actor: Actor, roles: readonly Role[]) => actor.roles.some((r) => roles.includes(r));

/**
 * The role that conducts a joint 点検 with the 課 (003 第30条: 総括責任者及び事務取扱責任者が…
 * 点検し、…見直す), where `action` is one it shares on this resource: filling in the
 * checklist, attaching its evidence and recording the 見直し. Submitting stays the 課's.
 */
function jointRole(action: Action, resource: Resource | undefined): Role | undefined {
  if (action === 'inspection:update' && resource?.type === 'department') return resource.jointWith;
  if (action === 'evidence:create' && resource?.type === 'evidenceTarget' && resource.target.type === 'inspection')
    return resource.target.jointWith;
  if (action === 'inspection:review' && resource?.type === 'inspectionReview') return resource.inspection.jointWith;
  return undefined;
}

/** Who may take `action` on `resource`: the action's roles, and on a joint 点検 the role that conducts it with the 課. */
function rolesFor(action: Action, resource: Resource | undefined, w: Wording): readonly Role[] | 'anyUser' {
  // A 事案's evidence: the 事案 decides (its reporter may have no role at all).
  if (resource?.type === 'evidenceTarget' && resource.target.type === 'incident') return 'anyUser';
  const declared = actionRoles[action];
  const roles =
    declared === 'chain' ? chainRule(action, w.incidents, resource?.type === 'incident' ? resource.notice : undefined).roles : declared;
  const joint = jointRole(action, resource);
  return joint === undefined || roles === 'anyUser' || roles.includes(joint) ? roles : [...roles, joint];
}

/** The finding's auditor: its author, or whoever holds the assistant role of its scope. */
function isFindingAuditor(actor: Actor, finding: { createdBy: string; scope: ScopeId }, owners: readonly ScopeOwner[]): boolean {
  if (actor.sub === finding.createdBy) return true;
  const owner = owners.find((o) => o.scope === finding.scope);
  return owner !== undefined && actor.roles.includes(owner.role);
}

/** The roles that act for their own 課: the 保護管理者, the 保護担当者 and the 事務取扱担当者. */
const sectionRoles: readonly Role[] = ['sectionManager', 'sectionStaff', 'affairStaff'];

/** Whether the actor acts for their own 課 (holds a section role). */
export function holdsSectionRole(actor: Actor): boolean {
  return has(actor, sectionRoles);
}

/** Auditors, the 総括保護管理者 and the 総括保護副管理者 read every 課's findings and actions. */
export function readsEveryDepartment(actor: Actor): boolean {
  return has(actor, readAll);
}

/** Whether the actor may see what belongs to this 課 (section roles: their own; 部長: their 部). */
export function canSeeDepartment(actor: Actor, department: string, organisation: Organisation): boolean {
  return readsEveryDepartment(actor) || seesAsItsOwn(actor, department, organisation);
}

/** Whether the 課 is the actor's own: a section role in it, or the 保護責任者 of its 部. */
function seesAsItsOwn(actor: Actor, department: string, organisation: Organisation): boolean {
  if (holdsSectionRole(actor) && actor.department === department) return true;
  return actor.roles.includes('deptHead') && (actor.department === department || divisionOf(organisation, department) === actor.department);
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
          : sectionOf(actor, t.department) ||
            actor.roles.includes('auditLead') ||
            (t.type === 'inspection' && t.jointWith !== undefined && actor.roles.includes(t.jointWith));
  return ok ? allow : deny('この対象に証跡を添付する権限がありません（担当する課の職員か、担当の監査員のみが添付できます）。');
}

/** Readers of the target read its evidence. */
function decideEvidenceRead(actor: Actor, r: EvidenceResource, w: Wording): Decision {
  const t = r.target;
  if (t.type === 'plan') return has(actor, planReaders) ? allow : deny(`監査計画の証跡は${titles(w, planReaders)}のみが参照できます。`);
  if (t.type === 'finding' && !has(actor, rolesFor('finding:read', undefined, w) as readonly Role[]))
    return deny('監査所見の証跡を参照する権限がありません。');
  return canSeeDepartment(actor, t.department, r.organisation) ? allow : deny(`自分の所属する課${divisionNote(w)}の証跡のみ参照できます。`);
}

/** Whether the actor holds one of `roles` in a way that reaches the 事案's 課: a 課's role only for its own 課 (a 保護責任者 for its 部). */
function holdsFor(actor: Actor, roles: readonly Role[], department: string, organisation: Organisation): boolean {
  return roles.some((r) => {
    if (!actor.roles.includes(r)) return false;
    if (!departmentRoles.includes(r)) return true;
    if (actor.department === department) return true;
    return r === 'deptHead' && divisionOf(organisation, department) === actor.department;
  });
}

type IncidentResource = Extract<Resource, { type: 'incident' }>;

/**
 * Who reads every 課's 事案: the 総括保護管理者・副管理者 and the auditors of the rules on 事案
 * (the chain's `auditedBy`; 001 第7条の2第3項第2号: the 広報広聴課長, not the DX戦略課長).
 */
export function readsEveryIncident(actor: Actor, w: Wording): boolean {
  return has(actor, ['chiefManager', 'deputyManager', ...(w.incidents?.auditedBy ?? [])]);
}

/**
 * Whether the actor may read the 事案: its 課 and 部長, whoever reads every 課's 事案, its reporter,
 * and (`viaSharing`) the 保護管理者 of a 課 its prevention was shared with, who reads the 事案 to
 * acknowledge the measures but not its evidence.
 */
function readsIncident(actor: Actor, r: IncidentResource, w: Wording, viaSharing: boolean): boolean {
  if (readsEveryIncident(actor, w) || seesAsItsOwn(actor, r.incident.department, r.organisation)) return true;
  if (r.incident.createdBy === actor.sub) return true;
  return viaSharing && actor.roles.includes('sectionManager') && r.incident.sharing.some((s) => s.department === actor.department);
}

function decideIncident(actor: Actor, action: Action, r: IncidentResource, w: Wording): Decision {
  if (action === 'incident:read' || action === 'incident:list' || action === 'evidence:read')
    return readsIncident(actor, r, w, action !== 'evidence:read')
      ? allow
      : deny(`自分の所属する課${divisionNote(w)}の事案か、自分が報告した事案のみ参照できます。`);
  if (action === 'incident:acknowledge') {
    const shared = r.incident.sharing.some((s) => s.department === actor.department);
    return shared && actor.roles.includes('sectionManager')
      ? allow
      : deny(
          `${actionLabels[action]}は、再発防止策を共有された課の${titles(w, ['sectionManager'])}のみが行えます${cite(w.provisions, 'incidentPrevention')}。`,
        );
  }
  if (action === 'evidence:create') {
    // Photos of a 事案 (the mis-sent letter …): its reporter, the 課's staff, and whoever the chain names.
    const chainRoles = new Set(Object.values(w.incidents?.steps ?? {}).flatMap((s) => s.roles));
    if (r.incident.createdBy === actor.sub || sectionOf(actor, r.incident.department)) return allow;
    return holdsFor(actor, [...chainRoles], r.incident.department, r.organisation)
      ? allow
      : deny('この事案に証跡を添付する権限がありません（報告した職員、事案の課の職員、対応に当たる役職のみが添付できます）。');
  }
  const rule = chainRule(action, w.incidents, r.notice);
  if (holdsFor(actor, rule.roles, r.incident.department, r.organisation)) return allow;
  const own = rule.roles.filter((role) => departmentRoles.includes(role));
  const others = rule.roles.filter((role) => !departmentRoles.includes(role));
  const who = [own.length > 0 && titles(w, own) ? `事案の課の${titles(w, own)}` : '', others.length > 0 ? titles(w, others) : '']
    .filter(Boolean)
    .join('か');
  const source = rule.provision ? cite(w.provisions, rule.provision) : '';
  return deny(
    who ? `${actionLabels[action]}は、${who}のみが行えます${source}。` : `${actionLabels[action]}を行う役職は、この規程にはありません。`,
  );
}

type RegisterResource = Extract<Resource, { type: 'register' }>;

/**
 * Who reads every 課's register (`staff`) or attendance (`training`): the 総括保護管理者・副管理者
 * and the auditors who audit it (001 第7条の2第3項: 第8条 the DX戦略課長; 第11条 both 監査補助者).
 */
export function readsEveryRegister(actor: Actor, register: RegisterResource['register'], w: Wording): boolean {
  return has(actor, ['chiefManager', 'deputyManager', ...(w[register]?.auditedBy ?? [])]);
}

/** What the register actions change, and the rule the refusal cites. */
const registerRule: Partial<Record<Action, ProvisionId>> = {
  'staff:create': 'handlerDesignation',
  'staff:update': 'handlerDesignation',
  'staff:import': 'handlerDesignation',
  'attendance:record': 'trainingFollowUp',
};

function decideRegister(actor: Actor, action: Action, r: RegisterResource, w: Wording): Decision {
  const rule = registerRule[action];
  if (rule === undefined) {
    if (readsEveryRegister(actor, r.register, w) || seesAsItsOwn(actor, r.department, r.organisation)) return allow;
    const what = r.register === 'staff' ? '職員名簿' : '研修の受講状況';
    return deny(`自分の所属する課${divisionNote(w)}の${what}のみ参照できます。`);
  }
  // The chief holds the training and records attendance for any 課; the register is the 課's own.
  if (action === 'attendance:record' && actor.roles.includes('chiefManager')) return allow;
  if (actor.roles.includes('sectionManager') && actor.department === r.department) return allow;
  const chief = action === 'attendance:record' && w.roleTitles.chiefManager ? `か${w.roleTitles.chiefManager}` : '';
  return deny(`${actionLabels[action]}は、その課の${titles(w, ['sectionManager'])}${chief}のみが行えます${cite(w.provisions, rule)}。`);
}

function decideOnResource(actor: Actor, action: Action, resource: Resource, w: Wording): Decision {
  switch (resource.type) {
    case 'plan': {
      if (action !== 'plan:approve' && action !== 'plan:return') return allow;
      // 職務の分離: whoever approves judges a plan drafted by someone else (001 第26条第2項 has the
      // 総括保護管理者 approve the 監査責任者's plan; elsewhere approval is practice). Cites no article.
      const verb = action === 'plan:approve' ? '承認' : '差戻し';
      if (resource.plan.createdBy === actor.sub) return deny(`自分が起案した監査計画は${verb}できません（職務の分離）。`);
      if (resource.plan.lastEditedBy === actor.sub) return deny(`自分が最後に編集した監査計画は${verb}できません（職務の分離）。`);
      if (resource.plan.submittedBy === actor.sub) return deny(`自分が提出した監査計画は${verb}できません（職務の分離）。`);
      return allow;
    }
    case 'scope': {
      // `auditScope` (001 第7条の2第3項): each 監査補助者 audits a fixed set of articles; the 監査責任者 any.
      if (actor.roles.includes('auditLead')) return allow;
      const mine = resource.owners.filter((o) => actor.roles.includes(o.role));
      if (mine.some((o) => o.scope === resource.scope)) return allow;
      const owner = resource.owners.find((o) => o.scope === resource.scope);
      const lead = w.roleTitles.auditLead
        ? `${w.roleTitles.auditLead}のみが監査所見を記録できる条項`
        : '監査所見を記録できる監査員のいない条項';
      const whose = owner ? `${owner.title}の監査範囲` : assistants(w) ? `${assistants(w)}の監査範囲外で、${lead}` : lead;
      // A regulation without 監査補助者 (002–004): no scope of the actor's to name, nor its article.
      if (mine.length === 0) return deny(`${resource.articleLabel}は${whose}です。`);
      const yours = mine.map((o) => `${o.title}の監査範囲は${o.articles}`).join('。');
      return deny(`${resource.articleLabel}は${whose}です。${yours}です${cite(w.provisions, 'auditScope')}。`);
    }
    case 'inspectionReview': {
      const i = resource.inspection;
      // A joint 点検 (003 第30条): the same 総括責任者及び事務取扱責任者 inspect and 見直す, so
      // whoever conducted it with the 課 records its 見直し; no 職務の分離 between them.
      if (i.jointWith !== undefined) return allow;
      // 職務の分離 (a 点検 reported to the chief, 001 第28条): the 見直し is not recorded by
      // whoever filled in or submitted the 点検.
      if (i.submittedBy === actor.sub) return deny('自分が提出した点検の見直しは記録できません（職務の分離）。');
      if (i.lastEditedBy === actor.sub) return deny('自分が記入した点検の見直しは記録できません（職務の分離）。');
      return allow;
    }
    case 'evidenceTarget':
      if (resource.target.type === 'incident')
        return decideIncident(
          actor,
          action,
          { type: 'incident', incident: resource.target.incident, organisation: resource.organisation },
          w,
        );
      return action === 'evidence:create' ? decideAttach(actor, resource) : decideEvidenceRead(actor, resource, w);
    case 'department': {
      const ownOnly = ownSectionActions[action];
      if (ownOnly !== undefined) {
        const roles = rolesFor(action, undefined, w);
        const joint = jointRole(action, resource);
        if (joint !== undefined && actor.roles.includes(joint)) return allow;
        if (roles !== 'anyUser' && has(actor, roles) && actor.department === resource.department) return allow;
        const who = roles === 'anyUser' ? '' : titles(w, roles);
        const jointly = joint === undefined || !w.roleTitles[joint] ? '' : `か、${w.roleTitles[joint]}`;
        return deny(`${actionLabels[action]}は、${ownOnly.whose}の${who}${jointly}のみが行えます${cite(w.provisions, ownOnly.rule)}。`);
      }
      if (action === 'disposal:create') {
        if (actor.roles.includes('auditLead') || (holdsSectionRole(actor) && actor.department === resource.department)) return allow;
        const own = titles(w, sectionRoles);
        return deny(
          `${actionLabels[action]}は、${either(own ? `自分の課の${own}` : '', w.roleTitles.auditLead ?? '')}のみが登録できます。`,
        );
      }
      return canSeeDepartment(actor, resource.department, resource.organisation)
        ? allow
        : deny(`自分の所属する課${divisionNote(w)}のもののみ参照できます。`);
    }
    case 'incident':
      return decideIncident(actor, action, resource, w);
    case 'register':
      return decideRegister(actor, action, resource, w);
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
      const lead = w.roleTitles.auditLead ?? '';
      return deny(
        action === 'finding:update'
          ? `監査所見を編集できるのは${either(assistants(w) ? `記録した${assistants(w)}` : '記録した監査員', lead)}です。`
          : `改善措置を登録できるのは${either(assistants(w) ? `この監査所見の${assistants(w)}` : 'この監査所見を記録した監査員', lead)}です。`,
      );
    }
    case 'action': {
      const a = resource.action;
      if (action === 'action:work') {
        return actor.department === a.department && holdsSectionRole(actor)
          ? allow
          : deny(`${actionLabels[action]}は、措置を担当する課の${titles(w, sectionRoles)}のみが行えます。`);
      }
      if (action === 'action:verify') {
        // 職務の分離: nobody verifies what they submitted themselves.
        if (a.submittedBy !== undefined && a.submittedBy === actor.sub)
          return deny('自分が完了報告した改善措置は確認できません（職務の分離）。');
        if (actor.roles.includes('auditLead') || isFindingAuditor(actor, a.finding, resource.owners)) return allow;
        const own = assistants(w) ? `この監査所見の${assistants(w)}` : 'この監査所見を記録した監査員';
        return deny(`改善措置を確認できるのは${w.roleTitles.auditLead ? `${w.roleTitles.auditLead}か、${own}` : own}です。`);
      }
      return allow;
    }
  }
}

/**
 * Decide whether `actor` may perform `action`, on `resource` when one is given.
 * Refusals speak the active regulation's words (`wording`: the profile): roles by its
 * titles, leaving out those it does not have, and rules cited by its provisions.
 */
export function decide(actor: Actor, action: Action, resource: Resource | undefined, wording: Wording): Decision {
  const wanted = rolesFor(action, resource, wording);
  if (wanted !== 'anyUser' && !has(actor, wanted)) {
    const names = titles(wording, wanted, '、');
    return deny(
      names ? `${actionLabels[action]}は${names}のみが行えます。` : `${actionLabels[action]}を行う役職は、この規程にはありません。`,
    );
  }
  return resource ? decideOnResource(actor, action, resource, wording) : allow;
}

/** Like {@link decide}, but throws {@link Forbidden} with the reason when denied. */
export function authorize(actor: Actor, action: Action, resource: Resource | undefined, wording: Wording): void {
  const d = decide(actor, action, resource, wording);
  if (!d.allowed) throw new Forbidden(d.reason);
}
