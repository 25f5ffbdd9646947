import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#lib/domain/roles.js';
import { type RouteDef, routeList } from '#lib/http/routes.js';
import { type DemoUser, demoUsers } from '#lib/local/demo-users.js';
import {
  type AuditData,
  type EvidenceTarget,
  type PlanState,
  auditData,
  auditedSections,
  disposalBody,
  disposalYear,
  dueDate,
  evidenceBody,
  findingBody,
  lead,
  workerOf,
  japanese,
} from '#test/support/audit-data.js';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';
import { type DutyData, contractorBody, dutyData, submitBody, today } from '#test/support/duty-data.js';
import { type IncidentData, clerk, incidentBody, incidentData } from '#test/support/incident-data.js';
import { onRegister, plannedSession, trainingBody } from '#test/support/training-data.js';
import { staffBody, staffCsvHeader, staffIn } from '#test/support/staff-data.js';

/**
 * Every route × every demo user and an anonymous caller, against an expected matrix
 * written out here from API.md ("who") and DOMAIN.md (roles), never read from the
 * policy: if lib/domain/permissions.ts drifts from the contract, this names the cell.
 *
 * Each cell acts on fresh data in the state its action needs, prepared for that
 * caller the way the contract means the role: a 保護管理者 works on an action of their
 * own 課, a 監査補助者 records inside their own scope and verifies a finding they
 * recorded, a 保護担当者 attaches evidence to a disposal record of their own 課, and the
 * evidence downloaded is a real JPEG that went through the presigned POST and was
 * verified on arrival. So an allowed cell must succeed (2xx), and a denied cell is a
 * 403 problem with a Japanese reason, or, when the caller may not even see what the id
 * names, the same 404 as an unknown id; anonymous callers get 401 everywhere but /health.
 */

/** Who may call a route: holders of any of these roles, any signed-in user, or anyone. */
type Allowed = readonly Role[] | 'signedIn' | 'anyone';

const auditors: readonly Role[] = ['auditLead', 'auditorDx', 'auditorKoho'];
/** 監査計画 readers: auditors, 総括保護管理者, 総括保護副管理者 (API.md). */
const planReaders: readonly Role[] = [...auditors, 'chiefManager', 'deputyManager'];
/** Who reads every 課's 事案: the chief, the deputy and the auditors of 第23条–第25条 (第7条の2第3項: not the DX戦略課長). */
const incidentReaders: readonly Role[] = ['auditLead', 'auditorKoho', 'chiefManager', 'deputyManager'];
/** Findings: the plan readers, and 保護責任者/保護管理者 for their own 課 (API.md; DOMAIN.md: the 副管理者 reads everything). */
const findingReaders: readonly Role[] = [...planReaders, 'deptHead', 'sectionManager'];
/**
 * The staff of a 課: the 保護担当者 (第6条) and the 事務取扱担当者 (第3条第8号, 第8条), who
 * act for their own 課 alike (DOMAIN.md: update progress, upload evidence, help with 点検).
 */
const sectionStaff: readonly Role[] = ['sectionStaff', 'affairStaff'];
/**
 * Actions: as findings, plus the staff of the 課 (API.md "own department for section
 * roles"). The 総括保護管理者 reads them too: accepting a risk (第28条) means reading it.
 */
const actionReaders: readonly Role[] = [...findingReaders, ...sectionStaff];
/**
 * 証跡 are read by "readers of the target" (API.md): together, the readers of plans,
 * findings, actions and disposal records — the action readers.
 */
const evidenceReaders: readonly Role[] = actionReaders;
/**
 * POST /evidence: "any user allowed on the target" — the auditors on plans and findings,
 * the 課's 保護管理者 and 保護担当者 on its actions and disposal records (DOMAIN.md: they
 * upload evidence). Neither the 総括保護管理者 nor a 部長 works on any target.
 */
const evidenceAttachers: readonly Role[] = [...auditors, 'sectionManager', ...sectionStaff];
/**
 * Disposal records: "auditors; own department" (API.md), the words of GET /actions, read
 * the same way: auditors, the 総括保護管理者 and 総括保護副管理者 (DOMAIN.md: reads
 * everything), and the 部長, 課長 and 担当者 for their own 課.
 */
const disposalReaders: readonly Role[] = actionReaders;

const expected: Record<string, Allowed> = {
  health: 'anyone',
  getMe: 'signedIn',
  getOpenApi: 'signedIn',
  getProfile: 'signedIn',
  createPlan: ['auditLead'],
  listPlans: planReaders,
  getPlan: planReaders,
  updatePlan: ['auditLead'],
  submitPlan: ['auditLead'],
  approvePlan: ['chiefManager'],
  returnPlan: ['chiefManager'],
  startPlan: ['auditLead'],
  createPlanRevision: ['auditLead'],
  reportPlan: ['auditLead'],
  closePlan: ['chiefManager'],
  createFinding: auditors,
  listFindings: findingReaders,
  getFinding: findingReaders,
  updateFinding: auditors,
  createAction: auditors,
  listActions: actionReaders,
  getAction: actionReaders,
  listActionNotes: actionReaders,
  progressAction: ['sectionManager', ...sectionStaff],
  submitAction: ['sectionManager', ...sectionStaff],
  verifyAction: auditors,
  reopenAction: auditors,
  acceptRisk: ['chiefManager'],
  createEvidence: evidenceAttachers,
  listEvidence: evidenceReaders,
  getEvidence: evidenceReaders,
  downloadEvidence: evidenceReaders,
  createDisposal: ['sectionManager', ...sectionStaff, 'auditLead'],
  listDisposals: disposalReaders,
  getDisposal: disposalReaders,
  getAuditLog: ['auditLead', 'chiefManager', 'deputyManager'],
  // Checking the hash chain is reading the trail.
  verifyAuditLog: ['auditLead', 'chiefManager', 'deputyManager'],
  // The documents of a plan are for its readers; a trail's CSV for those who read trails.
  exportPlanForm: planReaders,
  exportPlanResults: planReaders,
  // A 事案's report is for whoever reads the 事案 (its reporter included); the 年度's list for the readers of every 課.
  exportIncidentReport: 'signedIn',
  exportIncidentReviewList: incidentReaders,
  exportAuditLog: ['auditLead', 'chiefManager', 'deputyManager'],
  // 様式第1号・第2号 (API.md: "same as list"): the readers of every register all 課, the others their own.
  exportStaffForm1: [...planReaders, 'deptHead', 'sectionManager', ...sectionStaff],
  exportStaffForm2: [...planReaders, 'deptHead', 'sectionManager', ...sectionStaff],
  // 様式第3号 (API.md: "any user"): the training plan is every 職員's to read.
  exportTrainingForm3: 'signedIn',
  // API.md: "any user" has an inbox (empty without a role); a task is read by its assignee or whoever sees its 課.
  listTasks: 'signedIn',
  getTask: actionReaders,
  // 点検 (第27条) are the 課's records, read like its actions; the 保護管理者 runs them, the 保護担当者 helps fill them in.
  listInspections: actionReaders,
  getInspection: actionReaders,
  updateInspection: ['sectionManager', ...sectionStaff],
  submitInspection: ['sectionManager'],
  // The chief records the 見直し of a 点検 reported to them (第28条).
  reviewInspection: ['chiefManager'],
  // 委託先 (第22条): the 保護管理者 of the contracting 課 chooses, contracts and checks; readers as for the 課's actions.
  createContractor: ['sectionManager'],
  listContractors: actionReaders,
  getContractor: actionReaders,
  updateContractor: ['sectionManager'],
  listContractorChecks: actionReaders,
  getContractorCheck: actionReaders,
  completeContractorCheck: ['sectionManager'],
  // 事案 (001 第23条–第25条): any 職員 reports and reads what they reported; the chain's roles take the steps
  // (the 課's 保護管理者 contains, investigates and prevents; the 総括保護副管理者 corrects, hears the 特に重大,
  // reports to the PPC and notifies; the 総括保護管理者 closes); the 保護管理者 of a 課 shared with acknowledges.
  createIncident: 'signedIn',
  listIncidents: 'signedIn',
  getIncident: 'signedIn',
  updateIncident: ['sectionManager', 'deputyManager'],
  containIncident: ['sectionManager'],
  investigateIncident: ['sectionManager'],
  escalateIncident: ['deputyManager'],
  recordIncidentPrevention: ['sectionManager'],
  acknowledgeIncident: ['sectionManager'],
  recordIncidentPpcReport: ['deputyManager'],
  recordIncidentNotice: ['deputyManager'],
  closeIncident: ['chiefManager'],
  // 研修 (第11条): the chief plans (第6項), every 職員 reads the plan; the 課's 保護管理者 (or the chief) records attendance,
  // whoever reads the 課's things reads who has not attended.
  createTraining: ['chiefManager'],
  listTrainings: 'signedIn',
  getTraining: 'signedIn',
  updateTraining: ['chiefManager'],
  recordAttendance: ['sectionManager', 'chiefManager'],
  importAttendance: ['sectionManager', 'chiefManager'],
  listNonAttendees: actionReaders,
  // The staff register (第8条): kept by the 課's 保護管理者; read by the 課, its 部長 and the readers of every register.
  createStaff: ['sectionManager'],
  listStaff: actionReaders,
  importStaff: ['sectionManager'],
  getStaff: actionReaders,
  updateStaff: ['sectionManager'],
};

/**
 * Who sees what a denied cell names (API.md: 404 "also for ids the caller may not even
 * see"). Denied cells act on the host plan or on things of 市民課 (their fixture for no
 * one); a 課's things are seen by the readers of every 課 (the plan readers), by the 課's
 * own holders of a reading role, and by the 保護責任者 of its 部 (市民部) when the 部長 reads
 * them. Routes that name no id (lists; creates naming a 課) are absent: a denial there is 403.
 */
type Sees = (u: DemoUser) => boolean;
const seesPlan: Sees = (u) => u.roles.some((r) => planReaders.includes(r));
const seesOfCitizens =
  (readers: readonly Role[]): Sees =>
  (u) =>
    u.roles.some((r) => readers.includes(r)) &&
    (seesPlan(u) ||
      (u.department === 'citizens' && u.roles.some((r) => r === 'sectionManager' || sectionStaff.includes(r))) ||
      (u.department === 'citizen-affairs' && u.roles.includes('deptHead')));
const seesFinding = seesOfCitizens(findingReaders);
/** Actions, their evidence, disposal records, tasks, 点検 and 委託先 of 市民課. */
const seesSectionThing = seesOfCitizens(actionReaders);
/** A 事案 of 市民課 reported by its 会計年度任用職員: seen by whoever sees 市民課, and by the reporter. */
const seesIncident: Sees = (u) =>
  u.roles.some((r) => incidentReaders.includes(r)) ||
  (u.department === 'citizens' && u.roles.some((r) => r === 'sectionManager' || sectionStaff.includes(r))) ||
  (u.department === 'citizen-affairs' && u.roles.includes('deptHead')) ||
  u.id === clerk;
/** 市民課's register: its section roles, its 部長, the chief, the deputy and the auditors of 第8条 (001: not the 広報広聴課長). */
const seesRegister: Sees = (u) =>
  u.roles.some((r) => ['chiefManager', 'deputyManager', 'auditLead', 'auditorDx'].includes(r)) ||
  (u.department === 'citizens' && u.roles.some((r) => r === 'sectionManager' || sectionStaff.includes(r))) ||
  (u.department === 'citizen-affairs' && u.roles.includes('deptHead'));
const seen: Record<string, Sees> = {
  getPlan: seesPlan,
  updatePlan: seesPlan,
  submitPlan: seesPlan,
  approvePlan: seesPlan,
  returnPlan: seesPlan,
  startPlan: seesPlan,
  createPlanRevision: seesPlan,
  reportPlan: seesPlan,
  closePlan: seesPlan,
  createFinding: seesPlan,
  // the plan's findings: for those who read findings at all (a 課 its own)
  listFindings: (u) => u.roles.some((r) => findingReaders.includes(r)),
  getFinding: seesFinding,
  updateFinding: seesFinding,
  createAction: seesFinding,
  getAction: seesSectionThing,
  listActionNotes: seesSectionThing,
  progressAction: seesSectionThing,
  submitAction: seesSectionThing,
  verifyAction: seesSectionThing,
  reopenAction: seesSectionThing,
  acceptRisk: seesSectionThing,
  // a denied caller attaches to the host plan; reads evidence of an action of 市民課
  createEvidence: seesPlan,
  listEvidence: seesSectionThing,
  getEvidence: seesSectionThing,
  downloadEvidence: seesSectionThing,
  getDisposal: seesSectionThing,
  // the trail of the host plan: seen by whoever sees the plan, read by fewer
  getAuditLog: seesPlan,
  verifyAuditLog: seesPlan,
  exportAuditLog: seesPlan,
  exportPlanForm: seesPlan,
  exportPlanResults: seesPlan,
  getTask: seesSectionThing,
  getInspection: seesSectionThing,
  updateInspection: seesSectionThing,
  submitInspection: seesSectionThing,
  reviewInspection: seesSectionThing,
  getContractor: seesSectionThing,
  updateContractor: seesSectionThing,
  getContractorCheck: seesSectionThing,
  completeContractorCheck: seesSectionThing,
  updateIncident: seesIncident,
  containIncident: seesIncident,
  investigateIncident: seesIncident,
  escalateIncident: seesIncident,
  recordIncidentPrevention: seesIncident,
  acknowledgeIncident: seesIncident,
  recordIncidentPpcReport: seesIncident,
  recordIncidentNotice: seesIncident,
  closeIncident: seesIncident,
  // a 課's attendance the caller may not read is a 404, as the register's
  listNonAttendees: seesSectionThing,
  importAttendance: seesSectionThing,
  // a denied recording names 市民課: whoever may not read its attendance gets a 404, as for reading it
  recordAttendance: seesSectionThing,
  // 市民課's register: another 課 gets a 404 for it (lists and creates naming it too), as for its people.
  createStaff: seesRegister,
  listStaff: seesRegister,
  importStaff: seesRegister,
  getStaff: seesRegister,
  updateStaff: seesRegister,
};

const isAuditor = (u: DemoUser | undefined) => u !== undefined && u.roles.some((r) => auditors.includes(r));
/** The 課 a caller's own things are in: their 課, or for the 市民部長 (保護責任者) a 課 of their 部. */
const homeSection = (u: DemoUser | undefined) => (u && auditedSections.includes(u.department) ? u.department : 'citizens');
/** A 部長 names the 課 of their 部 they list (API.md: own departments). */
const departmentQuery = (u: DemoUser | undefined) => (u?.roles.includes('deptHead') ? `?department=${homeSection(u)}` : '');
/** Who recorded the finding a cell acts on: the caller when an auditor ("its author"), else the 監査責任者. */
const recorderFor = (u: DemoUser | undefined) => (u && isAuditor(u) ? u.id : lead);
const has = (u: DemoUser | undefined, role: Role) => u?.roles.includes(role) ?? false;

let stack: TestStack;
let data: AuditData;
let duties: DutyData;
let incidents: IncidentData;
beforeAll(async () => {
  stack = await startTestStack();
  data = auditData(stack);
  duties = dutyData(stack);
  incidents = incidentData(stack);
});
afterAll(async () => {
  await stack.close();
});

/** How to call a route so that, were the caller allowed, it would succeed. */
type Fixture = (caller: DemoUser | undefined) => Promise<{ path: string; body?: unknown }>;
const plain =
  (path: string, body?: unknown): Fixture =>
  async () => ({ path, ...(body === undefined ? {} : { body }) });
const onPlan =
  (state: PlanState, action: string, body?: unknown): Fixture =>
  async () => ({
    path: `/plans/${await data.planIn(state)}${action}`,
    ...(body === undefined ? {} : { body }),
  });

/** The 課 of a 事案 a caller acts on: a 保護管理者's own (the chain's 課 role acts for its 課 only), else 市民課. */
const incidentSection = (u: DemoUser | undefined) => (u && has(u, 'sectionManager') ? u.department : 'citizens');
/** The register a caller reads: a section role's own 課, else 市民課. */
const registerSection = (u: DemoUser | undefined) =>
  u && u.roles.some((r) => r === 'sectionManager' || sectionStaff.includes(r)) ? u.department : 'citizens';
/** A 課 other than the caller's, whose 事案 shares its prevention with the caller's 課. */
const otherSection = (u: DemoUser | undefined) => (u?.department === 'citizens' ? 'resident-tax' : 'citizens');

/** The worker of a 課 attaches to its actions and disposal records. */
const workerIn = (section: string) => workerOf[section] ?? 'citizens-staff';

/**
 * What a caller attaches evidence to, each the way their role works (denied callers
 * get the plan): the 監査責任者 and the 広報広聴 auditor to the plan they audit, the DX
 * auditor to a finding they recorded, a 課長 to an action of their 課, a 担当者 to a
 * disposal record of their 課.
 */
async function attachTargetFor(u: DemoUser | undefined): Promise<EvidenceTarget> {
  if (has(u, 'auditorDx')) return { type: 'finding', id: await data.findingBy((u as DemoUser).id, 'citizens') };
  if (isAuditor(u)) return { type: 'plan', id: await data.hostPlan() };
  if (has(u, 'sectionManager')) return { type: 'action', id: await data.actionIn('open', lead, homeSection(u)) };
  if (u?.roles.some((r) => sectionStaff.includes(r))) return { type: 'disposal', id: await data.disposalIn(homeSection(u)) };
  return { type: 'plan', id: await data.hostPlan() };
}

/**
 * What a caller reads evidence of: the host plan for the plan readers, else an action
 * of their own 課 (the 部長: a 課 of their 部), whose worker uploads it.
 */
async function readTargetFor(u: DemoUser | undefined): Promise<{ target: EvidenceTarget; uploader: string }> {
  if (u && u.roles.some((r) => planReaders.includes(r))) return { target: { type: 'plan', id: await data.hostPlan() }, uploader: lead };
  const section = homeSection(u);
  return { target: { type: 'action', id: await data.actionIn('open', lead, section) }, uploader: workerIn(section) };
}

const evidenceFor = async (u: DemoUser | undefined, state: 'pending' | 'verified') => {
  const { target, uploader } = await readTargetFor(u);
  return data.evidenceIn(state, uploader, target);
};

const fixtures: Record<string, Fixture> = {
  health: plain('/health'),
  getMe: plain('/me'),
  getOpenApi: plain('/openapi.json'),
  getProfile: plain('/profile'),
  createPlan: plain('/plans', planBody()),
  listPlans: plain('/plans?fiscalYear=2026'),
  getPlan: onPlan('draft', ''),
  updatePlan: onPlan('draft', '', { purpose: '権限表の確認のために編集する' }),
  submitPlan: onPlan('draft', '/submit'),
  approvePlan: onPlan('submitted', '/approve', { comment: '承認します。' }),
  returnPlan: onPlan('submitted', '/return', { reason: '監査範囲を見直してください。' }),
  startPlan: onPlan('approved', '/start'),
  createPlanRevision: onPlan('approved', '/revisions'),
  reportPlan: onPlan('inProgress', '/report'),
  closePlan: onPlan('reported', '/close'),
  createFinding: async (u) => ({
    path: `/plans/${await data.hostPlan()}/findings`,
    body: findingBody(recorderFor(u), 'citizens'),
  }),
  listFindings: async (u) => ({ path: `/plans/${await data.hostPlan()}/findings${departmentQuery(u)}` }),
  getFinding: async (u) => ({ path: `/findings/${await data.findingBy(lead, homeSection(u))}` }),
  updateFinding: async (u) => ({
    path: `/findings/${await data.findingBy(recorderFor(u), 'citizens')}`,
    body: { title: '権限表の確認（修正）' },
  }),
  createAction: async (u) => ({
    path: `/findings/${await data.findingBy(recorderFor(u), 'citizens')}/actions`,
    body: { description: '手順書を改訂する', dueDate },
  }),
  listActions: async (u) => ({ path: `/actions${departmentQuery(u)}` }),
  getAction: async (u) => ({ path: `/actions/${await data.actionIn('open', lead, homeSection(u))}` }),
  listActionNotes: async (u) => ({ path: `/actions/${await data.actionIn('inProgress', lead, homeSection(u))}/notes` }),
  progressAction: async (u) => ({
    path: `/actions/${await data.actionIn('open', lead, homeSection(u))}/progress`,
    body: { note: '着手しました。' },
  }),
  submitAction: async (u) => ({
    path: `/actions/${await data.actionIn('open', lead, homeSection(u))}/submit`,
    body: { note: '完了しました。', evidenceIds: [] },
  }),
  // submitted by the 市民課 worker, so no auditor verifies what they submitted themselves
  verifyAction: async (u) => ({
    path: `/actions/${await data.actionIn('submitted', recorderFor(u), 'citizens')}/verify`,
    body: { comment: '確認しました。' },
  }),
  reopenAction: async (u) => ({
    path: `/actions/${await data.actionIn('submitted', recorderFor(u), 'citizens')}/reopen`,
    body: { reason: '証跡が不足しています。' },
  }),
  acceptRisk: async (u) => ({
    path: `/actions/${await data.actionIn('open', lead, homeSection(u))}/accept-risk`,
    body: { reason: '代替措置で足りるため受容する。' },
  }),
  createEvidence: async (u) => ({ path: '/evidence', body: evidenceBody(await attachTargetFor(u)) }),
  listEvidence: async (u) => {
    const { target } = await readTargetFor(u);
    return { path: `/evidence?targetType=${target.type}&targetId=${target.id}` };
  },
  getEvidence: async (u) => ({ path: `/evidence/${await evidenceFor(u, 'pending')}` }),
  // a real JPEG through the presigned POST, verified on arrival: only verified evidence downloads
  downloadEvidence: async (u) => ({ path: `/evidence/${await evidenceFor(u, 'verified')}/download` }),
  // the 監査責任者 records for any 課; the others for their own
  createDisposal: async (u) => ({ path: '/disposals', body: disposalBody(homeSection(u)) }),
  listDisposals: async (u) => ({
    path: `/disposals?fiscalYear=${disposalYear}${has(u, 'deptHead') ? `&department=${homeSection(u)}` : ''}`,
  }),
  getDisposal: async (u) => ({ path: `/disposals/${await data.disposalIn(homeSection(u))}` }),
  getAuditLog: async () => ({ path: `/audit-log?entityType=plan&entityId=${await data.hostPlan()}` }),
  verifyAuditLog: async () => ({ path: `/audit-log/verify?entityType=plan&entityId=${await data.hostPlan()}` }),
  exportPlanForm: async () => ({ path: `/plans/${await data.hostPlan()}/form4?format=xlsx` }),
  exportPlanResults: async () => ({ path: `/plans/${await data.hostPlan()}/results` }),
  exportAuditLog: async () => ({ path: `/audit-log/export?entityType=plan&entityId=${await data.hostPlan()}` }),
  exportIncidentReport: async (u) => ({
    path: `/incidents/${await incidents.incidentIn('reported', 'citizens', { reporter: u?.id ?? clerk })}/report?format=xlsx`,
  }),
  exportIncidentReviewList: plain('/incidents/review-list?fiscalYear=2026'),
  exportStaffForm1: plain('/staff/form1?format=xlsx'),
  exportStaffForm2: plain('/staff/form2'),
  exportTrainingForm3: plain('/trainings/form3?fiscalYear=2026&format=xlsx'),
  // Tasks, 点検 and contractor checks of the caller's own 課 (the 部長: a 課 of their 部), opened as the duties open them.
  listTasks: plain('/tasks?mine=true'),
  getTask: async (u) => ({ path: `/tasks/${(await duties.inspectionIn(homeSection(u))).taskId}` }),
  listInspections: async (u) => ({ path: `/inspections${departmentQuery(u)}` }),
  getInspection: async (u) => ({ path: `/inspections/${(await duties.inspectionIn(homeSection(u))).inspectionId}` }),
  updateInspection: async (u) => ({
    path: `/inspections/${(await duties.inspectionIn(homeSection(u))).inspectionId}`,
    body: { answers: [{ index: 0, result: 'ok' }] },
  }),
  submitInspection: async (u) => ({
    path: `/inspections/${(await duties.inspectionIn(homeSection(u), 'answered')).inspectionId}/submit`,
    body: submitBody(),
  }),
  reviewInspection: async (u) => ({
    path: `/inspections/${(await duties.inspectionIn(homeSection(u), 'reported')).inspectionId}/review`,
    body: { changes: false, measures: '' },
  }),
  createContractor: async (u) => ({ path: '/contractors', body: contractorBody(homeSection(u)) }),
  listContractors: async (u) => ({ path: `/contractors${departmentQuery(u)}` }),
  getContractor: async (u) => ({ path: `/contractors/${await duties.contractorIn(homeSection(u))}` }),
  updateContractor: async (u) => ({
    path: `/contractors/${await duties.contractorIn(homeSection(u))}`,
    body: { handles: '住民票の写しの交付データ' },
  }),
  listContractorChecks: async (u) => ({ path: `/contractor-checks${departmentQuery(u)}` }),
  getContractorCheck: async (u) => ({ path: `/contractor-checks/${(await duties.checkIn(homeSection(u))).checkId}` }),
  completeContractorCheck: async (u) => ({
    path: `/contractor-checks/${(await duties.checkIn(homeSection(u))).checkId}/complete`,
    body: { method: 'onSite', checkedOn: today, result: 'compliant' },
  }),
  createIncident: async (u) => ({ path: '/incidents', body: incidentBody(homeSection(u)) }),
  listIncidents: async (u) => ({ path: `/incidents${departmentQuery(u)}` }),
  // what the caller reported themselves: every signed-in 職員 reads their own report
  getIncident: async (u) => ({ path: `/incidents/${await incidents.incidentIn('reported', 'citizens', { reporter: u?.id ?? clerk })}` }),
  updateIncident: async (u) => ({
    path: `/incidents/${await incidents.incidentIn('reported', incidentSection(u))}`,
    body: { records: { subjects: 2 } },
  }),
  containIncident: async (u) => ({
    path: `/incidents/${await incidents.incidentIn('reported', incidentSection(u))}/contain`,
    body: { measures: '誤送付先から回収した' },
  }),
  investigateIncident: async (u) => ({
    path: `/incidents/${await incidents.incidentIn('contained', incidentSection(u))}/investigate`,
    body: { findings: '封入の確認が一人で行われていた' },
  }),
  escalateIncident: async (u) => ({
    path: `/incidents/${await incidents.incidentIn('reported', incidentSection(u))}/escalate`,
    body: { reason: '多数の住民に影響するため' },
  }),
  recordIncidentPrevention: async (u) => ({
    path: `/incidents/${await incidents.incidentIn('investigated', incidentSection(u))}/prevention`,
    body: { measures: '封入を二人で確認する', shareWith: [] },
  }),
  // a 事案 of another 課 whose prevention was shared with the caller's 課 (denied callers: 市民課's, shared with none)
  acknowledgeIncident: async (u) => ({
    path: `/incidents/${u ? await incidents.incidentIn('prevented', otherSection(u), { shareWith: [u.department] }) : await incidents.incidentIn('prevented', 'citizens')}/acknowledge`,
  }),
  recordIncidentPpcReport: async (u) => ({
    path: `/incidents/${await incidents.incidentIn('reported', incidentSection(u))}/ppc-reports`,
    body: { stage: 'preliminary', submittedAt: new Date().toISOString() },
  }),
  recordIncidentNotice: async (u) => ({
    path: `/incidents/${await incidents.incidentIn('reported', incidentSection(u))}/notices`,
    body: { kind: 'subjects', at: new Date().toISOString() },
  }),
  closeIncident: async (u) => ({ path: `/incidents/${await incidents.incidentIn('prevented', incidentSection(u))}/close`, body: {} }),
  createTraining: async () => ({ path: '/trainings', body: trainingBody() }),
  listTrainings: plain('/trainings'),
  getTraining: async () => ({ path: `/trainings/${await session()}` }),
  updateTraining: async () => ({ path: `/trainings/${await session()}`, body: { note: '権限表の確認' } }),
  // a session of its own for each allowed cell (its own roll), someone of the caller's 課 on its register
  recordAttendance: async (u) => ({
    path: `/trainings/${await plannedSession(stack)}/attendance`,
    body: { department: homeSection(u), staffIds: [await registered(homeSection(u))], attendedOn: today },
  }),
  // The e-learning system's CSV (a string) names someone of the caller's 課 by 職員番号.
  importAttendance: async (u) => {
    const person = await onRegister(homeSection(u), { employeeNumber: `M${Date.now()}${Math.random().toString(36).slice(2, 6)}` });
    return {
      path: `/trainings/${await session()}/attendance/import?department=${homeSection(u)}`,
      body: `職員番号,氏名,受講日\n${person.employeeNumber},${person.name},${today}`,
    };
  },
  listNonAttendees: async (u) => ({ path: `/trainings/${await session()}/non-attendees?department=${homeSection(u)}` }),
  // The register of the caller's own 課 (section roles), else 市民課's; the import's body is its CSV (a string).
  createStaff: async (u) => ({ path: '/staff', body: staffBody(incidentSection(u)) }),
  listStaff: async (u) => ({ path: `/staff?department=${registerSection(u)}` }),
  importStaff: async (u) => ({
    path: `/staff/import?department=${incidentSection(u)}`,
    body: `${staffCsvHeader}\nM${Date.now()}${Math.random().toString(36).slice(2, 6)},安積 一郎,主事,職員,,,,,,`,
  }),
  getStaff: async (u) => ({ path: `/staff/${await staffIn(stack, registerSection(u))}` }),
  updateStaff: async (u) => ({ path: `/staff/${await staffIn(stack, incidentSection(u))}`, body: { title: '主任' } }),
};

let shared: Promise<string> | undefined;
const session = () => (shared ??= plannedSession(stack));
/** Someone on a 課's register, once per 課. */
const people = new Map<string, Promise<string>>();
function registered(department: string): Promise<string> {
  const known = people.get(department) ?? onRegister(department).then((s) => s.staffId);
  people.set(department, known);
  return known;
}

type Caller = { label: string; user: DemoUser | undefined };
const callers: Caller[] = [...demoUsers.map((u) => ({ label: u.id, user: u })), { label: 'anonymous', user: undefined }];

function mayCall(allowed: Allowed, user: DemoUser | undefined): boolean {
  if (allowed === 'anyone') return true;
  if (!user) return false;
  if (allowed === 'signedIn') return true;
  return user.roles.some((r) => allowed.includes(r));
}

interface Cell {
  route: RouteDef;
  caller: Caller;
  allowed: boolean;
  path: string;
  body: unknown;
}

describe('authorization matrix (API.md "who" column, DOMAIN.md roles)', () => {
  it('has an expected entry and a fixture for every route in the route table, and none for routes that do not exist', () => {
    const ids = routeList.map((r) => r.id).sort();
    expect(Object.keys(expected).sort()).toEqual(ids);
    expect(Object.keys(fixtures).sort()).toEqual(ids);
  });

  it(
    'allows exactly the expected callers on every route and denies the others with a Japanese 403, or 404 where they may not see the id (anonymous: 401)',
    { timeout: 120_000 },
    async () => {
      // Every route must have both before any data is made, so a gap stops nothing half-way.
      const unlisted = routeList.filter((r) => !expected[r.id] || !fixtures[r.id]).map((r) => r.id);
      if (unlisted.length > 0) throw new Error(`routes without a matrix entry or fixture: ${unlisted.join(', ')}`);
      const started = Date.now();
      // Fresh data for each allowed cell, so one success never turns the next into a 409; the
      // denied cells of a route share one (a denial changes nothing). All prepared in parallel.
      const cells: Cell[] = await Promise.all(
        routeList.flatMap((route) => {
          const allowedRoles = expected[route.id];
          const fixture = fixtures[route.id];
          if (!allowedRoles || !fixture) throw new Error(`route ${route.id} has no matrix entry or fixture`);
          let forDenied: ReturnType<Fixture> | undefined;
          return callers.map(async (caller): Promise<Cell> => {
            const allowed = mayCall(allowedRoles, caller.user);
            const { path, body } = await (allowed ? fixture(caller.user) : (forDenied ??= fixture(undefined)));
            return { route, caller, allowed, path, body };
          });
        }),
      );

      const mismatches: string[] = [];
      await Promise.all(
        cells.map(async ({ route, caller, allowed, path, body }) => {
          const r = await stack.call(route.method, path, {
            ...(caller.user ? { as: caller.user.id } : {}),
            ...(typeof body === 'string' ? { rawBody: body, headers: { 'content-type': 'text/csv' } } : body === undefined ? {} : { body }),
          });
          const cell = `${route.id} × ${caller.label} (${route.method} ${path})`;
          const problem = (r.headers.get('content-type') ?? '').includes('application/problem+json');
          const got = `${r.status} ${r.text.slice(0, 300)}`;
          if (allowed) {
            const want = route.status ?? 200;
            if (r.status !== want) mismatches.push(`${cell}: expected ${want}, got ${got}`);
          } else if (!caller.user) {
            if (r.status !== 401 || !problem) mismatches.push(`${cell}: expected a 401 problem, got ${got}`);
          } else {
            const want = seen[route.id]?.(caller.user) === false ? 404 : 403;
            if (r.status !== want || !problem || typeof r.body?.detail !== 'string' || !japanese.test(r.body.detail)) {
              mismatches.push(`${cell}: expected a ${want} problem with a Japanese detail, got ${got}`);
            }
          }
        }),
      );

      const checked = cells.length;
      const allowedCells = cells.filter((c) => c.allowed).length;
      console.log(
        `authorization matrix: ${routeList.length} routes × ${callers.length} callers = ${checked} cells checked ` +
          `(${allowedCells} allowed, ${checked - allowedCells} denied; ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      expect(mismatches.sort()).toEqual([]);
      expect(checked).toBe(routeList.length * callers.length);
      // The walk must have exercised both sides of the matrix, and both kinds of denial.
      expect(cells.filter((c) => c.allowed).length).toBeGreaterThan(0);
      const denied = cells.filter((c) => !c.allowed && c.caller.user);
      expect(denied.filter((c) => seen[c.route.id]?.(c.caller.user as DemoUser) === false).length).toBeGreaterThan(0);
      expect(denied.filter((c) => seen[c.route.id]?.(c.caller.user as DemoUser) !== false).length).toBeGreaterThan(0);
    },
  );
});
