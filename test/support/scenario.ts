import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeKind } from '#lib/domain/incident.js';
import { type Audience, rollIdOf } from '#lib/domain/training.js';
import { runDuty } from '#lib/jobs/runner.js';
import { demoDepartments } from '#lib/local/demo-users.js';
import { encodeCp932 } from '#test/fixtures/cp932.js';
import { jobRuntime } from './duty-data.js';
import { postCsv, staffCsvHeader } from './staff-data.js';
import { type TestStack, planBody, startTestStack } from './stack.js';

/**
 * One whole audit over HTTP against DynamoDB Local, for one regulation profile:
 * profile and titles → plan (create, submit, approve, start) → findings in and out of
 * scope → follow-up actions (progress, submit, reopen, verify) → report gate → close
 * gate → the audit trail of the plan and of one action → a 事案 through the regulation's chain →
 * the staff register and a training session (register, plan, attendance, the follow-up duty, forms).
 *
 * Handlers read PROFILE_ID once at cold start, so a test file (one process) serves one
 * profile: test/integration/profile-00N.test.ts each call {@link profileScenario}.
 */

type Rating = 'conforming' | 'minor' | 'major';
type Scope = 'dx' | 'koho' | 'lead';

interface FindingCase {
  /** Demo user who records it. */
  as: string;
  /** As sent: a string (any written form) or the object form. */
  article: string | { article: number; branch?: number; paragraph?: number };
  rating: Rating;
  department: string;
  /** Expected in the answer. */
  label: string;
  title: string;
  scope: Scope;
}

interface Refusal {
  as: string;
  article: string;
  status: 400 | 403;
  /** Fragments the problem's `detail` must contain. */
  detail: string[];
}

/** A step of the 事案's chain as the scenario sends it: the route's step, a 速報/確報, or a notice of its kind. */
type IncidentStepKey =
  'contain' | 'investigate' | 'escalate' | 'prevention' | 'acknowledge' | 'preliminary' | 'final' | NoticeKind | 'close';

interface IncidentStepCase {
  step: IncidentStepKey;
  /** Demo user who takes it. */
  as: string;
  /** Refused with 409 (close before its conditions): fragments its detail has, and has not. */
  conflict?: { detail: string[]; absent: string[] };
  /**
   * The same step tried first by other plausible people: 403, the detail naming the profile's own
   * title (「…は保護管理者のみ」); the same role of a 課 that may not see the 事案: 404.
   */
  refused?: ({ as: string; detail: string[] } | { as: string; status: 404 })[];
}

/** One 事案 taken through the profile's chain (its regulation's 事案 chapter). */
interface IncidentCase {
  /** The 職員 who reports it (a 課, with or without a role). */
  reporter: string;
  department: string;
  summary: string;
  category: 'leak' | 'loss';
  records: { items: string[]; subjects: number; myNumber: boolean; inSystem: boolean };
  /** The rule each reason cites, in the order of the criteria (the law's, then the regulation's own). */
  reasons: string[];
  /** 特に重大 under the regulation: reported at once, the 速報 due the day it was learned. */
  atOnce: boolean;
  deadlines: { preliminary: string; final: string };
  /** The chain's `receivedBy` of the 課: has the task at once. */
  receivedBy: string;
  /** Who files the 速報 and 確報 (the chain's `ppcReport`): has the task at once, due by the 速報's deadline. */
  ppcReporter: string;
  /** Corrects the number of people to 100 (no report by the number any more) and back, in the trail. */
  editor: string;
  /** Below the law's 100 people: whether a report is still required (the regulation's own rule). */
  reportAt100: boolean;
  /**
   * The 課 doing similar work the recurrence prevention is shared with (001 第23条第5項, 004 第39条第5項;
   * 002 第9の4 and 003 第29条第4号 share with no one).
   */
  sharedWith?: string;
  /** The steps, in order. */
  chain: IncidentStepCase[];
  /** A notice the regulation does not have (no 市長 in 002/003): refused for everyone. */
  missingNotice?: { kind: NoticeKind; as: string; detail: string[] };
}

/**
 * The staff register and training under the profile (001 第8条・第11条; 002 第2の5・第3; 003 第21条・
 * 第22条; 004 第8条): a 保護管理者 registers people (one by POST /staff, the rest by a Shift_JIS CSV),
 * the chief plans a session, the 課 records part of its audience, the daily duty hands the rest to the 課.
 */
interface RegisterCase {
  /** What the regulation calls the staff it designates; absent, it designates none (004): handler true is a 400, the lists a 409. */
  handlerTerm?: string;
  /** The audience the chief plans the session for. */
  audience: Audience;
  /** Audiences the regulation has no training for (400). */
  refusedAudiences: Audience[];
  /** The follow-up task: what it owes those who missed the session (the text's words), and the rule it cites. */
  followUp: { term: string; source: string };
  /** Fragments of each form's printable page (form1/form2 absent: 409); what none of them may say. */
  forms: { form1?: string[]; form2?: string[]; form3: string[]; absent: string[] };
}

export interface ProfileExpectation {
  id: string;
  organisation: string;
  regulation: string;
  referenceStyle: 'article' | 'sectionItem';
  /** The deployment's practice (`PRACTICES_JSON`) the scenario needs: a regulation without 監査 audits only as practice. */
  practicesJson?: string;
  /** The profile's titles of the roles the scenario's users act in (a post the text does not have: none). */
  titles: { chiefManager: string; auditLead: string; sectionManager: string; sectionStaff?: string; affairStaff?: string };
  /** Assistant auditors (監査補助者) and their scopes exist (001 only). */
  assistantScopes: Scope[];
  /** 監査実施体制 of the plan. */
  team: { role: 'auditLead' | 'auditorDx' | 'auditorKoho'; userId: string }[];
  /**
   * The findings, in order. The first two need actions: [0] major (it goes through a
   * reopen cycle), [1] minor (it has no action when the report is first tried).
   */
  findings: FindingCase[];
  /** Recording refused because the article is outside the recorder's scope (403). */
  outOfScope: Refusal[];
  /** Articles the regulation does not have (400). */
  unknownArticles: string[];
  incident: IncidentCase;
  register: RegisterCase;
}

const lead = 'policy-director';
const chief = 'vice-mayor';
const dx = 'dx-manager';
const koho = 'pr-manager';
/** Who works on a 課's actions: sectionStaff records progress, sectionManager submits. */
const sectionUsers: Record<string, { staff: string; manager: string }> = {
  citizens: { staff: 'citizens-staff', manager: 'citizens-manager' },
  'resident-tax': { staff: 'tax-staff', manager: 'tax-manager' },
};
const farFuture = '2099-03-31';

const only = { as: lead, department: 'citizens', scope: 'lead' as const };

/**
 * Every 事案 of the scenarios was learned on Tuesday 1 December 2026 (day 1): the 速報's
 * 概ね5日 end on Saturday the 5th; the 確報's 30th day, 30 December, falls in the year-end
 * closure (行政機関の休日に関する法律第1条第1項第3号), so it moves to Monday 4 January 2027.
 */
const discoveredAt = '2026-12-01T09:30:00+09:00';
const lawDeadlines = { preliminary: '2026-12-05', final: '2027-01-04' };
/** 施行規則第43条第4号: more than 100 people. */
const misSentLetter = {
  summary: '市民課の通知書を封入誤りにより別人あてに送付した（101人分）',
  category: 'leak' as const,
  records: { items: ['氏名', '住所', '生年月日'], subjects: 101, myNumber: false, inSystem: false },
};
/** Close before recurrence prevention (and the 確報), then before the 確報 only: 409 naming what is missing. */
const closeEarly = (as: string): IncidentStepCase => ({ step: 'close', as, conflict: { detail: ['再発防止策', '確報'], absent: [] } });
const closeBeforeFinal = (as: string): IncidentStepCase => ({ step: 'close', as, conflict: { detail: ['確報'], absent: ['再発防止策'] } });

/** What each seed profile must look like over HTTP. */
export const profileExpectations: Record<string, ProfileExpectation> = {
  '001': {
    id: '001',
    organisation: '郡山市',
    regulation: '郡山市保有個人情報等の取扱基準',
    referenceStyle: 'article',
    titles: {
      chiefManager: '総括保護管理者',
      auditLead: '監査責任者',
      sectionManager: '保護管理者',
      sectionStaff: '保護担当者',
      affairStaff: '事務取扱担当者',
    },
    assistantScopes: ['dx', 'koho'],
    team: [
      { role: 'auditLead', userId: lead },
      { role: 'auditorDx', userId: dx },
      { role: 'auditorKoho', userId: koho },
    ],
    findings: [
      { as: dx, article: '第17条の2', rating: 'major', department: 'citizens', label: '第17条の2', title: '誤送付等の防止', scope: 'dx' },
      {
        as: koho,
        article: '第23条',
        rating: 'minor',
        department: 'citizens',
        label: '第23条',
        title: '事案の報告及び再発防止措置',
        scope: 'koho',
      },
      {
        as: lead,
        article: { article: 26 },
        rating: 'conforming',
        department: 'resident-tax',
        label: '第26条',
        title: '監査',
        scope: 'lead',
      },
    ],
    outOfScope: [
      { as: dx, article: '第23条', status: 403, detail: ['第23条', '広報広聴課長', '第16条から第18条まで'] },
      { as: koho, article: '第17条の2', status: 403, detail: ['第17条の2', 'DX戦略課長'] },
      { as: koho, article: '第26条', status: 403, detail: ['第26条', '監査責任者'] },
    ],
    unknownArticles: ['第40条', '第18条の3'],
    // 第23条–第25条: the 保護管理者 contains, investigates and prevents; the 総括保護副管理者 escalates,
    // files the 速報/確報 and notifies the people concerned (第24条); the 総括保護管理者 reports to the 市長.
    incident: {
      reporter: 'clerk',
      department: 'citizens',
      ...misSentLetter,
      reasons: ['施行規則第43条第4号'],
      atOnce: false,
      deadlines: lawDeadlines,
      receivedBy: 'citizens-manager',
      ppcReporter: lead,
      editor: 'citizens-manager',
      reportAt100: false,
      sharedWith: 'resident-tax',
      chain: [
        {
          step: 'contain',
          as: 'citizens-manager',
          refused: [
            { as: 'citizens-staff', detail: ['は保護管理者のみ'] },
            { as: 'tax-manager', status: 404 },
          ],
        },
        { step: 'investigate', as: 'citizens-manager', refused: [{ as: lead, detail: ['は保護管理者のみ'] }] },
        { step: 'escalate', as: lead, refused: [{ as: 'citizens-manager', detail: ['は総括保護副管理者のみ'] }] },
        { step: 'preliminary', as: lead, refused: [{ as: 'citizens-manager', detail: ['は総括保護副管理者のみ'] }] },
        { step: 'subjects', as: lead, refused: [{ as: chief, detail: ['は総括保護副管理者のみ'] }] },
        { step: 'mayor', as: chief, refused: [{ as: lead, detail: ['は総括保護管理者のみ'] }] },
        closeEarly(chief),
        {
          step: 'prevention',
          as: 'citizens-manager',
          refused: [
            { as: lead, detail: ['は保護管理者のみ'] },
            // The 広報広聴課長 audits 第23条–第25条 (第7条の2第3項) and so sees every 課's 事案; as 保護管理者
            // of another 課 they are told the rule. The DX戦略課長 does not see it at all (404).
            { as: 'pr-manager', detail: ['事案の課の保護管理者のみ', '（第23条第5項）'] },
            { as: 'dx-manager', status: 404 },
          ],
        },
        closeBeforeFinal(chief),
        {
          step: 'acknowledge',
          as: 'tax-manager',
          refused: [
            // Only the shared 課's 保護管理者 reads the 事案 (to acknowledge it); its staff do not see it.
            { as: 'tax-staff', status: 404 },
            { as: 'citizens-manager', detail: ['再発防止策を共有された課の保護管理者のみ', '（第23条第5項）'] },
            { as: 'pr-manager', detail: ['再発防止策を共有された課の保護管理者のみ', '（第23条第5項）'] },
          ],
        },
        { step: 'final', as: lead, refused: [{ as: chief, detail: ['は総括保護副管理者のみ'] }] },
        { step: 'close', as: chief, refused: [{ as: lead, detail: ['は総括保護管理者のみ'] }] },
      ],
    },
    register: {
      handlerTerm: '事務取扱担当者',
      audience: 'handlers',
      refusedAudiences: [],
      followUp: { term: '再受講の機会の付与', source: '第11条第5項' },
      forms: {
        form1: ['様式第1号（第8条関係）', '事務取扱担当者一覧（個人単位）'],
        form2: ['様式第2号（第8条関係）', '事務取扱担当者一覧（部署単位）'],
        form3: ['様式第3号（第11条関係）', '特定個人情報等に関する研修計画', '事務取扱担当者'],
        absent: [],
      },
    },
  },
  '002': {
    id: '002',
    organisation: '奈良県',
    regulation: '奈良県特定個人情報の保護に関する管理規程',
    referenceStyle: 'sectionItem',
    titles: {
      chiefManager: '特定個人情報保護総括責任者',
      auditLead: '監査責任者',
      sectionManager: '特定個人情報保護責任者',
      sectionStaff: '特定個人情報保護主任',
      affairStaff: '特定個人情報取扱担当者',
    },
    assistantScopes: [],
    team: [{ role: 'auditLead', userId: lead }],
    findings: [
      { ...only, article: '第5の7', rating: 'major', label: '第5の7', title: '媒体の管理等' },
      { ...only, article: '第８の５', rating: 'minor', label: '第8の5', title: '委託先に対する定期的検査等' },
    ],
    outOfScope: [
      { as: dx, article: '第5の7', status: 403, detail: ['第5の7', '監査責任者'] },
      { as: koho, article: '第8の5', status: 403, detail: ['第8の5', '監査責任者'] },
    ],
    unknownArticles: ['第5の15', '第11の1'],
    // 第9: the 特定個人情報保護責任者 does every step, reports to the PPC (3) and publishes (7);
    // 特に重大 (3 (1)–(4)) at once. No 市長 in the text.
    incident: {
      reporter: 'citizens-staff',
      department: 'citizens',
      summary: '住民記録システムから出力した個人番号付きの一覧を誤って外部に送信した',
      category: 'leak',
      records: { items: ['個人番号', '氏名', '住所'], subjects: 3, myNumber: true, inSystem: true },
      // The law (番号法規則第2条第1号), then 第9の3 (every leak) and its 特に重大 (1).
      reasons: ['番号法第29条の4、特定個人情報漏えい等規則第2条第1号', '（第9の3）', '（第9の3(1)）'],
      atOnce: true,
      deadlines: { preliminary: '2026-12-01', final: lawDeadlines.final },
      receivedBy: 'citizens-manager',
      ppcReporter: 'citizens-manager',
      editor: 'citizens-manager',
      reportAt100: true,
      chain: [
        {
          step: 'contain',
          as: 'citizens-manager',
          refused: [
            { as: 'citizens-staff', detail: ['は特定個人情報保護責任者のみ'] },
            { as: 'tax-manager', status: 404 },
          ],
        },
        { step: 'escalate', as: 'citizens-manager', refused: [{ as: 'citizens-staff', detail: ['は特定個人情報保護責任者のみ'] }] },
        {
          step: 'preliminary',
          as: 'citizens-manager',
          refused: [
            { as: chief, detail: ['は特定個人情報保護責任者のみ'] },
            { as: 'tax-manager', status: 404 },
          ],
        },
        { step: 'investigate', as: 'citizens-manager', refused: [{ as: chief, detail: ['は特定個人情報保護責任者のみ'] }] },
        { step: 'subjects', as: 'citizens-manager', refused: [{ as: lead, detail: ['は特定個人情報保護責任者のみ'] }] },
        {
          step: 'publication',
          as: 'citizens-manager',
          refused: [
            { as: chief, detail: ['は特定個人情報保護責任者のみ'] },
            { as: 'tax-manager', status: 404 },
          ],
        },
        closeEarly(chief),
        {
          step: 'prevention',
          as: 'citizens-manager',
          refused: [
            { as: chief, detail: ['は特定個人情報保護責任者のみ'] },
            { as: 'tax-manager', status: 404 },
          ],
        },
        closeBeforeFinal(chief),
        { step: 'final', as: 'citizens-manager' },
        { step: 'close', as: chief, refused: [{ as: 'citizens-manager', detail: ['は特定個人情報保護総括責任者のみ'] }] },
      ],
      missingNotice: { kind: 'mayor', as: chief, detail: ['この規程にはありません'] },
    },
    // 第2の5: 特定個人情報取扱担当者, on no 様式; 第3 trains them, not every 職員; 第3の4: 参加の機会を付与.
    register: {
      handlerTerm: '特定個人情報取扱担当者',
      audience: 'handlers',
      refusedAudiences: ['allStaff'],
      followUp: { term: '研修への参加の機会の付与', source: '第3の4' },
      forms: {
        form1: ['特定個人情報取扱担当者一覧（個人単位）', '根拠\u3000第2の5'],
        form2: ['特定個人情報取扱担当者一覧（部署単位）'],
        form3: ['研修計画', '特定個人情報取扱担当者'],
        absent: ['様式第', '事務取扱担当者'],
      },
    },
  },
  '003': {
    id: '003',
    organisation: '甲賀広域行政組合',
    regulation: '甲賀広域行政組合特定個人情報等管理規程',
    referenceStyle: 'article',
    // 003 has no 監査 (test/integration/audits-003.test.ts): this deployment audits as its practice.
    practicesJson: '{"audits":true}',
    // No 保護担当者: the staff of 第21条第1項 are the 事務取扱担当者; the 監査責任者 is the practice's.
    titles: { chiefManager: '総括責任者', auditLead: '監査責任者', sectionManager: '事務取扱責任者', affairStaff: '事務取扱担当者' },
    assistantScopes: [],
    team: [{ role: 'auditLead', userId: lead }],
    findings: [
      { ...only, article: '第27条', rating: 'major', label: '第27条', title: '特定個人情報等の取扱状況の記録' },
      { ...only, article: '第 33 条', rating: 'minor', label: '第33条', title: '機器及び電子媒体等の盗難等の防止' },
    ],
    outOfScope: [
      { as: dx, article: '第27条', status: 403, detail: ['第27条'] },
      { as: koho, article: '第33条', status: 403, detail: ['第33条'] },
    ],
    // 第9条 is missing from the text of 003; 第41条 is past its end.
    unknownArticles: ['第9条', '第41条'],
    // 第24条第2項・第4項: the 事務取扱担当者 tells the 事務取扱責任者, who tells the 総括責任者 at once;
    // 第29条: the 総括責任者 contains, investigates, prevents, notifies, publishes and reports to the PPC.
    incident: {
      reporter: 'tax-staff',
      department: 'resident-tax',
      summary: '特定個人情報を記録したUSBメモリ（暗号化なし）を庁舎外で紛失した（120人分）',
      category: 'loss',
      records: { items: ['個人番号', '氏名', '税額'], subjects: 120, myNumber: true, inSystem: false },
      reasons: ['施行規則第43条第4号', '番号法第29条の4、特定個人情報漏えい等規則第2条第4号'],
      atOnce: false,
      deadlines: lawDeadlines,
      // 第24条第2項・第4項, 第29条: the 総括責任者 is told at once and acts.
      receivedBy: chief,
      ppcReporter: chief,
      editor: 'tax-manager',
      reportAt100: false,
      chain: [
        {
          step: 'escalate',
          as: 'tax-manager',
          refused: [
            { as: 'tax-staff', detail: ['は事務取扱責任者のみ'] },
            { as: 'citizens-manager', status: 404 },
          ],
        },
        { step: 'contain', as: chief, refused: [{ as: 'tax-manager', detail: ['は総括責任者のみ'] }] },
        { step: 'investigate', as: chief, refused: [{ as: 'tax-manager', detail: ['は総括責任者のみ'] }] },
        { step: 'preliminary', as: chief, refused: [{ as: 'tax-manager', detail: ['は総括責任者のみ'] }] },
        { step: 'subjects', as: chief, refused: [{ as: 'tax-manager', detail: ['は総括責任者のみ'] }] },
        { step: 'mayor', as: chief, refused: [{ as: 'tax-manager', detail: ['は総括責任者のみ'] }] },
        closeEarly(chief),
        { step: 'prevention', as: chief, refused: [{ as: 'tax-manager', detail: ['は総括責任者のみ'] }] },
        closeBeforeFinal(chief),
        { step: 'final', as: chief },
        { step: 'close', as: chief, refused: [{ as: 'tax-manager', detail: ['は総括責任者のみ'] }] },
      ],
      missingNotice: { kind: 'ppcInformation', as: chief, detail: ['この規程にはありません'] },
    },
    // 第21条第1項 and 別表: 事務取扱担当者, on no 様式; 第22条第2項第3号 trains them only; nothing on those who missed it.
    register: {
      handlerTerm: '事務取扱担当者',
      audience: 'handlers',
      refusedAudiences: ['allStaff', 'systemAdmins', 'managers'],
      followUp: { term: '再受講の機会の付与', source: '運用上のルール' },
      forms: {
        form1: ['事務取扱担当者一覧（個人単位）', '根拠\u3000第21条第1項'],
        form2: ['事務取扱担当者一覧（部署単位）'],
        form3: ['研修計画', '事務取扱担当者'],
        absent: ['様式第'],
      },
    },
  },
  '004': {
    id: '004',
    organisation: '久喜市',
    regulation: '久喜市の保有する個人情報の適切な管理のための措置に関する規程',
    referenceStyle: 'article',
    titles: { chiefManager: '総括保護管理者', auditLead: '監査責任者', sectionManager: '保護管理者', sectionStaff: '保護担当者' },
    assistantScopes: [],
    team: [{ role: 'auditLead', userId: lead }],
    findings: [
      { ...only, article: '第13条第2項', rating: 'major', label: '第13条第2項', title: '媒体の管理等' },
      { ...only, article: { article: 36, paragraph: 3 }, rating: 'minor', label: '第36条第3項', title: '業務の委託等' },
    ],
    outOfScope: [
      { as: dx, article: '第13条第2項', status: 403, detail: ['第13条第2項'] },
      { as: koho, article: '第36条第3項', status: 403, detail: ['第36条第3項'] },
    ],
    unknownArticles: ['第46条', '第14条の2'],
    // 第39条: the 保護管理者 contains, investigates, escalates and prevents; the 総括保護管理者 reports
    // to the 市長 (第4項); 第40条 names nobody for the PPC report: the 総括保護管理者.
    incident: {
      reporter: 'clerk',
      department: 'citizens',
      ...misSentLetter,
      reasons: ['施行規則第43条第4号'],
      atOnce: false,
      deadlines: lawDeadlines,
      receivedBy: 'citizens-manager',
      ppcReporter: chief,
      editor: 'citizens-manager',
      reportAt100: false,
      sharedWith: 'resident-tax',
      chain: [
        {
          step: 'contain',
          as: 'citizens-manager',
          refused: [
            { as: 'citizens-staff', detail: ['は保護管理者のみ'] },
            { as: 'tax-manager', status: 404 },
          ],
        },
        { step: 'escalate', as: 'citizens-manager', refused: [{ as: 'citizens-staff', detail: ['は保護管理者のみ'] }] },
        { step: 'investigate', as: 'citizens-manager', refused: [{ as: chief, detail: ['は保護管理者のみ'] }] },
        { step: 'preliminary', as: chief, refused: [{ as: 'citizens-manager', detail: ['は総括保護管理者のみ'] }] },
        { step: 'mayor', as: chief, refused: [{ as: 'citizens-manager', detail: ['は総括保護管理者のみ'] }] },
        { step: 'subjects', as: chief, refused: [{ as: 'citizens-manager', detail: ['は総括保護管理者のみ'] }] },
        closeEarly(chief),
        { step: 'prevention', as: 'citizens-manager', refused: [{ as: chief, detail: ['は保護管理者のみ'] }] },
        closeBeforeFinal(chief),
        {
          step: 'acknowledge',
          as: 'tax-manager',
          refused: [
            { as: 'citizens-manager', detail: ['再発防止策を共有された課の保護管理者のみ', '（第39条第5項）'] },
            { as: 'general-manager', status: 404 },
          ],
        },
        { step: 'final', as: chief },
        { step: 'close', as: chief, refused: [{ as: 'citizens-manager', detail: ['は総括保護管理者のみ'] }] },
      ],
    },
    // 第8条: every 職員 (派遣 included) is trained; no staff designated per 事務; 第8条第4項: 参加の機会を付与.
    register: {
      audience: 'allStaff',
      refusedAudiences: ['handlers'],
      followUp: { term: '研修への参加の機会の付与', source: '第8条第4項' },
      forms: { form3: ['研修計画', '職員（派遣労働者を含む）'], absent: ['様式第', '事務取扱担当者'] },
    },
  },
};

function findingBody(c: Pick<FindingCase, 'article' | 'rating' | 'department'>) {
  return {
    department: c.department,
    article: c.article,
    rating: c.rating,
    title: `${typeof c.article === 'string' ? c.article : JSON.stringify(c.article)} の所見`,
    observation: '確認した事実',
    criteria: '規程の定め',
    cause: '手順が定められていない',
    recommendation: '改善の提言',
  };
}

/** The request of each step, and the audit event it leaves. */
function incidentStep(step: IncidentStepKey, sharedWith: string | undefined): { path: string; body: unknown; event: string } {
  const now = new Date().toISOString();
  switch (step) {
    case 'contain':
      return { path: '/contain', body: { measures: '誤送付先を訪問して封書を回収し、発送を停止した' }, event: 'incident.contained' };
    case 'investigate':
      return {
        path: '/investigate',
        body: { findings: '封入作業で宛名と中身の照合を省いていた', cause: '照合手順の未実施', secondaryHarm: '確認されていない' },
        event: 'incident.investigated',
      };
    case 'escalate':
      return { path: '/escalate', body: { reason: '本人の数が多く、住民の不安を招くため' }, event: 'incident.escalated' };
    case 'prevention':
      return {
        path: '/prevention',
        body: { measures: '封入時に二人で宛名と中身を照合し、記録を残す', shareWith: sharedWith ? [sharedWith] : [] },
        event: 'incident.preventionRecorded',
      };
    case 'acknowledge':
      return { path: '/acknowledge', body: undefined, event: 'incident.acknowledged' };
    case 'preliminary':
    case 'final':
      return { path: '/ppc-reports', body: { stage: step, submittedAt: now }, event: 'incident.ppcReported' };
    case 'close':
      return { path: '/close', body: { comment: '再発防止策の実施を確認した' }, event: 'incident.closed' };
    default:
      return { path: '/notices', body: { kind: step, at: now }, event: 'incident.noticeRecorded' };
  }
}

/** Registers the whole scenario for one profile (call once per test file). */
export function profileScenario(profileId: string): void {
  const p = profileExpectations[profileId];
  if (!p) throw new Error(`no expectations for profile ${profileId}`);

  describe(`profile ${p.id} ${p.organisation}: a whole audit over HTTP`, () => {
    let stack: TestStack;
    let planId = '';
    /** findingId by index of p.findings. */
    const findingIds: string[] = [];
    /** actionId of the findings that need one, by index of p.findings. */
    const actionIds: string[] = [];
    /** The finding's auditor: who created it, who verifies its action. */
    const auditorOf = (i: number) => (p.findings[i] as FindingCase).as;
    const needing = () => p.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.rating !== 'conforming');

    beforeAll(async () => {
      stack = await startTestStack({ profileId, ...(p.practicesJson === undefined ? {} : { practicesJson: p.practicesJson }) });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('serves this profile: GET /profile, and GET /me with its role titles', async () => {
      const prof = await stack.call('GET', '/profile', { as: 'clerk' });
      expect(prof.status).toBe(200);
      expect(prof.body).toMatchObject({
        id: p.id,
        organisation: p.organisation,
        regulation: p.regulation,
        referenceStyle: p.referenceStyle,
      });
      expect(prof.body.auditorScopes.map((s: { scope: string }) => s.scope)).toEqual(p.assistantScopes);
      expect(prof.body.roleTitles).toMatchObject(p.titles);
      // The organisation's 課 and 部 (DEPARTMENTS_JSON; here the demo organisation), for names and choices in clients.
      expect(prof.body.departments).toEqual(demoDepartments.map(({ code, name, division }) => ({ code, name, division })));
      // The articles of the scenario are the regulation's, with the catalogue's headings.
      for (const f of p.findings) {
        const bare = f.label.replace(/第\d+項$/, '');
        const m = /^第(\d+)(?:条)?(?:の(\d+))?$/.exec(bare);
        expect(m, bare).not.toBeNull();
        const entry = prof.body.articles.find(
          (a: { article: number; branch?: number }) =>
            a.article === Number(m?.[1]) && (a.branch ?? undefined) === (m?.[2] === undefined ? undefined : Number(m[2])),
        );
        expect(entry, `${bare} in the catalogue of ${p.id}`).toMatchObject({ title: f.title });
      }

      const meOf = async (as: string) => {
        const r = await stack.call('GET', '/me', { as });
        expect(r.status).toBe(200);
        expect(r.body.profile).toMatchObject({ id: p.id, organisation: p.organisation, regulation: p.regulation });
        return Object.fromEntries((r.body.roles as string[]).map((role, i) => [role, (r.body.roleTitles as string[])[i]]));
      };
      expect(await meOf(chief)).toEqual({ chiefManager: p.titles.chiefManager });
      expect((await meOf(lead)).auditLead).toBe(p.titles.auditLead);
      expect(await meOf('citizens-manager')).toEqual({ sectionManager: p.titles.sectionManager });
      expect(await meOf('citizens-staff')).toEqual({ sectionStaff: p.titles.sectionStaff });
      expect(await meOf('tax-staff')).toEqual({ affairStaff: p.titles.affairStaff });
    });

    it('takes a plan from draft to inProgress: 監査責任者 drafts and starts, 総括 approves', async () => {
      const body = planBody({ team: p.team, criteria: undefined });
      const created = await stack.call('POST', '/plans', { as: lead, body });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'draft', criteria: p.regulation, profile: { id: p.id } });
      planId = created.body.planId as string;

      expect((await stack.call('POST', `/plans/${planId}/submit`, { as: lead })).body.status).toBe('submitted');
      const approved = await stack.call('POST', `/plans/${planId}/approve`, { as: chief, body: { comment: '承認します' } });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
      const started = await stack.call('POST', `/plans/${planId}/start`, { as: lead });
      expect(started.status).toBe(200);
      expect(started.body.status).toBe('inProgress');
    });

    it('records findings in scope, with labels in the regulation’s own form', async () => {
      for (const f of p.findings) {
        const r = await stack.call('POST', `/plans/${planId}/findings`, { as: f.as, body: findingBody(f) });
        expect(r.status, `${f.as} on ${JSON.stringify(f.article)}: ${r.text}`).toBe(201);
        expect(r.body).toMatchObject({
          planId,
          department: f.department,
          rating: f.rating,
          scope: f.scope,
          articleLabel: f.label,
          articleTitle: f.title,
          createdBy: f.as,
        });
        if (p.referenceStyle === 'sectionItem') expect(r.body.articleLabel).toMatch(/^第\d+の\d+$/);
        findingIds.push(r.body.findingId as string);
      }
      const listed = await stack.call('GET', `/plans/${planId}/findings`, { as: chief });
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((f: { articleLabel: string }) => f.articleLabel).sort()).toEqual(p.findings.map((f) => f.label).sort());
    });

    it('refuses findings outside the recorder’s scope (403) and articles the regulation does not have (400)', async () => {
      for (const r of p.outOfScope) {
        const res = await stack.call('POST', `/plans/${planId}/findings`, {
          as: r.as,
          body: findingBody({ article: r.article, rating: 'minor', department: 'citizens' }),
        });
        expect(res.status, `${r.as} on ${r.article}: ${res.text}`).toBe(r.status);
        for (const d of r.detail) expect(res.body.detail).toContain(d);
        expect(res.body.detail).not.toContain('です。です');
        // 第7条の2 (監査補助者) is 郡山市's: another regulation's refusal must not cite it.
        if (p.assistantScopes.length === 0) expect(res.body.detail).not.toContain('第7条の2');
      }
      for (const article of p.unknownArticles) {
        const res = await stack.call('POST', `/plans/${planId}/findings`, {
          as: lead,
          body: findingBody({ article, rating: 'minor', department: 'citizens' }),
        });
        expect(res.status, `${article}: ${res.text}`).toBe(400);
        expect(res.body.detail).toContain('ありません');
        expect(res.body.detail).toContain(p.regulation);
      }
      // Nothing refused was stored.
      const listed = await stack.call('GET', `/plans/${planId}/findings`, { as: chief });
      expect(listed.body.items).toHaveLength(p.findings.length);
    });

    it('gates the report on an action for every 要改善/重大な不備 finding (409 naming the article, then 200)', async () => {
      const [major, minor] = needing();
      expect(major?.f.rating).toBe('major');
      expect(minor?.f.rating).toBe('minor');
      if (!major || !minor) return;

      const a1 = await stack.call('POST', `/findings/${findingIds[major.i]}/actions`, {
        as: auditorOf(major.i),
        body: { description: '誤送付・紛失防止の手順を定める', dueDate: farFuture },
      });
      expect(a1.status, a1.text).toBe(201);
      expect(a1.body).toMatchObject({ status: 'open', department: major.f.department, dueDate: farFuture, overdue: false });
      actionIds[major.i] = a1.body.actionId as string;

      const early = await stack.call('POST', `/plans/${planId}/report`, { as: lead });
      expect(early.status, early.text).toBe(409);
      expect(early.body.detail).toContain(minor.f.label);
      expect(early.body.detail).not.toContain(`${major.f.label}（`);

      const a2 = await stack.call('POST', `/findings/${findingIds[minor.i]}/actions`, {
        as: auditorOf(minor.i),
        body: { description: '記録簿を整備する', dueDate: farFuture },
      });
      expect(a2.status, a2.text).toBe(201);
      actionIds[minor.i] = a2.body.actionId as string;

      const reported = await stack.call('POST', `/plans/${planId}/report`, { as: lead });
      expect(reported.status, reported.text).toBe(200);
      expect(reported.body.status).toBe('reported');
    });

    it('carries the actions through progress, submission, a reopen cycle and verification, gating close', async () => {
      const [major, minor] = needing();
      if (!major || !minor) throw new Error('scenario needs a major and a minor finding');
      const a1 = actionIds[major.i] as string;
      const a2 = actionIds[minor.i] as string;
      const s1 = sectionUsers[major.f.department] as { staff: string; manager: string };
      const s2 = sectionUsers[minor.f.department] as { staff: string; manager: string };
      const post = async (as: string, path: string, body: unknown, status = 200) => {
        const r = await stack.call('POST', path, { as, body });
        expect(r.status, `${as} POST ${path}: ${r.text}`).toBe(status);
        return r.body;
      };

      expect((await post(s1.staff, `/actions/${a1}/progress`, { note: '手順案を作成中' })).status).toBe('inProgress');
      expect((await post(s1.manager, `/actions/${a1}/submit`, { note: '手順を施行しました' })).status).toBe('submitted');
      expect((await post(auditorOf(major.i), `/actions/${a1}/reopen`, { reason: '施行の記録がありません' })).status).toBe('reopened');
      expect((await post(s1.staff, `/actions/${a1}/progress`, { note: '施行記録を整理中' })).status).toBe('inProgress');
      expect((await post(s1.manager, `/actions/${a1}/submit`, { note: '施行記録を添付しました' })).status).toBe('submitted');
      if (p.assistantScopes.length > 0 && auditorOf(major.i) !== lead) {
        // Only the finding's auditor (or the 監査責任者) verifies: not the other assistant.
        const other = auditorOf(major.i) === dx ? koho : dx;
        await post(other, `/actions/${a1}/verify`, {}, 403);
      }
      // The submitter cannot verify (職務の分離), and a section role may not verify at all.
      await post(s1.manager, `/actions/${a1}/verify`, {}, 403);
      const verified = await post(auditorOf(major.i), `/actions/${a1}/verify`, { comment: '確認しました' });
      expect(verified).toMatchObject({ status: 'verified', verifiedBy: auditorOf(major.i) });

      expect((await post(s2.staff, `/actions/${a2}/progress`, { note: '記録簿の様式を作成中' })).status).toBe('inProgress');
      expect((await post(s2.manager, `/actions/${a2}/submit`, { note: '記録簿を備え付けました' })).status).toBe('submitted');

      const early = await stack.call('POST', `/plans/${planId}/close`, { as: chief });
      expect(early.status, early.text).toBe(409);
      expect(early.body.detail).toContain('1件');
      expect(early.body.detail).toContain(minor.f.label);

      expect((await post(auditorOf(minor.i), `/actions/${a2}/verify`, { comment: '確認しました' })).status).toBe('verified');
      const closed = await stack.call('POST', `/plans/${planId}/close`, { as: chief });
      expect(closed.status, closed.text).toBe(200);
      expect(closed.body.status).toBe('closed');
    });

    it('keeps the trail: the plan’s transitions and one action’s steps, in order, with their actors', async () => {
      const [major] = needing();
      if (!major) throw new Error('scenario needs a major finding');
      const planTrail = await stack.call('GET', `/audit-log?entityType=plan&entityId=${planId}`, { as: chief });
      expect(planTrail.status).toBe(200);
      expect(planTrail.body.items.map((e: { action: string; actor: { sub: string } }) => `${e.action}:${e.actor.sub}`)).toEqual([
        `plan.created:${lead}`,
        `plan.submitted:${lead}`,
        `plan.approved:${chief}`,
        `plan.started:${lead}`,
        `plan.reported:${lead}`,
        `plan.closed:${chief}`,
      ]);

      const s1 = sectionUsers[major.f.department] as { staff: string; manager: string };
      const auditor = auditorOf(major.i);
      const actionTrail = await stack.call('GET', `/audit-log?entityType=action&entityId=${actionIds[major.i]}`, { as: lead });
      expect(actionTrail.status).toBe(200);
      expect(actionTrail.body.items.map((e: { action: string; actor: { sub: string } }) => `${e.action}:${e.actor.sub}`)).toEqual([
        `action.created:${auditor}`,
        `action.progressed:${s1.staff}`,
        `action.submitted:${s1.manager}`,
        `action.reopened:${auditor}`,
        `action.progressed:${s1.staff}`,
        `action.submitted:${s1.manager}`,
        `action.verified:${auditor}`,
      ]);
      expect(actionTrail.body.items.map((e: { version: number }) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    describe('a 事案 through the regulation’s chain', () => {
      const c = p.incident;
      let incidentId = '';
      /** `action:actor` of each event the scenario expects in the 事案's trail, in order. */
      const trail: string[] = [];
      const read = async (as = chief) => {
        const r = await stack.call('GET', `/incidents/${incidentId}`, { as });
        expect(r.status, r.text).toBe(200);
        return r.body;
      };

      it('a 職員 reports it: the server assesses it against the law and the regulation, and the 課 has the task at once', async () => {
        const body = {
          department: c.department,
          discoveredAt,
          summary: c.summary,
          category: c.category,
          records: { ...c.records, sensitive: false, financialHarm: false, wrongfulPurpose: false, encrypted: false },
        };
        const created = await stack.call('POST', '/incidents', { as: c.reporter, headers: { 'idempotency-key': randomUUID() }, body });
        expect(created.status, created.text).toBe(201);
        expect(created.body).toMatchObject({ status: 'reported', department: c.department, createdBy: c.reporter, version: 1 });
        incidentId = created.body.incidentId as string;
        trail.push(`incident.reported:${c.reporter}`);

        const a = created.body.assessment;
        expect(a).toMatchObject({ reportToPPC: true, notifySubjects: true, atOnce: c.atOnce, deadlines: c.deadlines });
        expect(a.reasons, JSON.stringify(a.reasons)).toHaveLength(c.reasons.length);
        c.reasons.forEach((source, i) => expect(a.reasons[i]).toContain(source));
        if (c.atOnce) expect(a.deadlines.preliminary).toBe(discoveredAt.slice(0, 10));

        // The reporter sees the report; a 課 that has nothing to do with it does not (404, as for any id it may not see).
        expect((await read(c.reporter)).incidentId).toBe(incidentId);
        const outsider = c.department === 'citizens' ? 'tax-staff' : 'citizens-staff';
        expect((await stack.call('GET', `/incidents/${incidentId}`, { as: outsider })).status).toBe(404);

        const tasksOf = async (as: string) => {
          const r = await stack.call('GET', '/tasks?mine=true&limit=100', { as });
          expect(r.status, r.text).toBe(200);
          const items = r.body.items as { kind: string; subject: { type: string; id: string }; dueDate: string }[];
          return items.filter((t) => t.subject.type === 'incident' && t.subject.id === incidentId);
        };
        const response = (await tasksOf(c.receivedBy)).filter((t) => t.kind === 'incidentResponse');
        const assignee = c.receivedBy === chief ? { role: 'chiefManager' } : { role: 'sectionManager', department: c.department };
        expect(response, `${c.receivedBy}'s tasks`).toMatchObject([{ assignee }]);
        const report = (await tasksOf(c.ppcReporter)).filter((t) => t.kind === 'incidentReport');
        expect(report, `${c.ppcReporter}'s tasks`).toMatchObject([{ dueDate: c.deadlines.preliminary }]);
      });

      it('correcting the number of people reassesses it against the 100-person rule, each correction in the trail', async () => {
        const before = await read();
        const lowered = await stack.call('PATCH', `/incidents/${incidentId}`, {
          as: c.editor,
          headers: { 'if-match': `"${before.version}"` },
          body: { records: { subjects: 100 } },
        });
        expect(lowered.status, lowered.text).toBe(200);
        expect(lowered.body.assessment.reportToPPC).toBe(c.reportAt100);
        trail.push(`incident.updated:${c.editor}`);
        const raised = await stack.call('PATCH', `/incidents/${incidentId}`, {
          as: c.editor,
          headers: { 'if-match': `"${lowered.body.version}"` },
          body: { records: { subjects: c.records.subjects } },
        });
        expect(raised.status, raised.text).toBe(200);
        expect(raised.body.assessment).toMatchObject({ reportToPPC: true, deadlines: c.deadlines });
        trail.push(`incident.updated:${c.editor}`);
      });

      it.runIf(p.incident.missingNotice !== undefined)('refuses a notice the regulation does not have, whoever sends it', async () => {
        const m = c.missingNotice;
        if (!m) return;
        const r = await stack.call('POST', `/incidents/${incidentId}/notices`, {
          as: m.as,
          body: { kind: m.kind, at: new Date().toISOString() },
        });
        expect(r.status, r.text).toBe(403);
        for (const d of m.detail) expect(r.body.detail).toContain(d);
      });

      it('each step by the role the chain names; another role is refused (403, naming the profile’s own title and rule); close waits for prevention and the 確報', async () => {
        for (const s of c.chain) {
          const { path, body, event } = incidentStep(s.step, c.sharedWith);
          const url = `/incidents/${incidentId}${path}`;
          const label = `${s.step} by ${s.as}`;
          for (const refused of s.refused ?? []) {
            const before = await read();
            const r = await stack.call('POST', url, { as: refused.as, body });
            expect(r.status, `${s.step} by ${refused.as}: ${r.text}`).toBe('status' in refused ? refused.status : 403);
            for (const d of 'detail' in refused ? refused.detail : []) expect(r.body.detail, `${s.step} by ${refused.as}`).toContain(d);
            expect((await read()).version, `${s.step} refused: nothing changed`).toBe(before.version);
          }
          const r = await stack.call('POST', url, { as: s.as, body });
          if (s.conflict) {
            expect(r.status, `${label}: ${r.text}`).toBe(409);
            for (const d of s.conflict.detail) expect(r.body.detail, label).toContain(d);
            for (const d of s.conflict.absent) expect(r.body.detail, label).not.toContain(d);
            continue;
          }
          expect(r.status, `${label}: ${r.text}`).toBe(200);
          trail.push(`${event}:${s.as}`);
        }
        const done = await read();
        expect(done).toMatchObject({ status: 'closed', closure: { by: c.chain.at(-1)?.as } });
        expect(Object.keys(done.ppcReports).sort()).toEqual(['final', 'preliminary']);
        if (c.sharedWith) expect(done.sharing).toMatchObject([{ department: c.sharedWith }]);
        else expect(done.sharing).toEqual([]);
      });

      it('keeps the 事案’s trail: each step in order with its actor, and the chain verifies', async () => {
        const log = await stack.call('GET', `/audit-log?entityType=incident&entityId=${incidentId}&limit=100`, { as: chief });
        expect(log.status, log.text).toBe(200);
        expect(log.body.items.map((e: { action: string; actor: { sub: string } }) => `${e.action}:${e.actor.sub}`)).toEqual(trail);
        expect(log.body.items.map((e: { version: number }) => e.version)).toEqual(trail.map((_, i) => i + 1));
        const verified = await stack.call('GET', `/audit-log/verify?entityType=incident&entityId=${incidentId}`, { as: chief });
        expect(verified.status, verified.text).toBe(200);
        expect(verified.body).toMatchObject({ valid: true, problems: [], events: trail.length });
      });
    });

    describe('the staff register and a training session', () => {
      const g = p.register;
      const manager = 'citizens-manager';
      const designates = g.handlerTerm !== undefined;
      /** staffId by name, as the register answers. */
      const ids: Record<string, string> = {};
      let trainingId = '';
      let taskId = '';
      /** Who the session is for on its last day, and who of them the 課 records at first. */
      const audience =
        designates && g.audience === 'handlers'
          ? ['安積 一郎', '郡山 花子', '熱海 次郎']
          : ['安積 一郎', '郡山 花子', '熱海 次郎', '富田 三郎'];
      const present = ['安積 一郎'];
      const missing = audience.filter((n) => !present.includes(n));
      const registerOn = async (date: string) => {
        const r = await stack.call('GET', `/staff?department=citizens&asOf=${date}`, { as: manager });
        expect(r.status, r.text).toBe(200);
        return r.body.items as { staffId: string; name: string; title: string; handler: boolean; handlerDuties: string | null }[];
      };

      it('the 保護管理者 registers one person by POST /staff and three from the HR department’s Shift_JIS CSV', async () => {
        if (!designates) {
          // 004 designates no staff per 事務: a designation is refused in the regulation's words, not another's term.
          const refused = await stack.call('POST', '/staff', {
            as: manager,
            body: {
              department: 'citizens',
              name: '安積 一郎',
              title: '主事',
              kind: 'regular',
              handler: true,
              handlerDuties: '住民基本台帳事務',
              from: '2026-04-01',
            },
          });
          expect(refused.status, refused.text).toBe(400);
          expect(refused.body.detail).toContain(p.regulation);
          expect(refused.text).not.toContain('事務取扱担当者');
        }
        const created = await stack.call('POST', '/staff', {
          as: manager,
          headers: { 'idempotency-key': randomUUID() },
          body: {
            department: 'citizens',
            name: '安積 一郎',
            title: '主事',
            kind: 'regular',
            handler: designates,
            handlerDuties: designates ? '住民基本台帳事務' : null,
            employeeNumber: 'S001',
            from: '2026-04-01',
          },
        });
        expect(created.status, created.text).toBe(201);

        const mark = designates ? '○' : '';
        const csv = [
          staffCsvHeader,
          `S002,郡山 花子,主事,会計年度任用,${mark},${designates ? '住民基本台帳事務' : ''},,,2026/4/1,`,
          `S003,熱海 次郎,主任,職員,${mark},${designates ? '印鑑登録事務' : ''},,,2026/4/1,`,
          'S004,富田 三郎,主事,派遣,,,,,2026/4/1,',
        ].join('\r\n');
        const bytes = encodeCp932(csv);
        const preview = await postCsv(stack, manager, 'department=citizens&dryRun=true', bytes);
        expect(preview.status, preview.text).toBe(200);
        expect(preview.body).toMatchObject({ encoding: 'Shift_JIS', counts: { add: 3 }, errors: [] });
        const applied = await postCsv(stack, manager, 'department=citizens', bytes, { 'idempotency-key': randomUUID() });
        expect(applied.status, applied.text).toBe(201);
        expect(applied.body).toMatchObject({ applied: true, encoding: 'Shift_JIS', counts: { add: 3 } });

        const people = await registerOn('2026-06-30');
        expect(people.map((s) => s.name).sort()).toEqual(['安積 一郎', '富田 三郎', '熱海 次郎', '郡山 花子'].sort());
        for (const s of people) ids[s.name] = s.staffId;
        expect(
          people
            .filter((s) => s.handler)
            .map((s) => s.name)
            .sort(),
        ).toEqual(designates ? ['安積 一郎', '熱海 次郎', '郡山 花子'].sort() : []);
        // Another 課's 保護管理者 does not see this register at all.
        expect((await stack.call('GET', '/staff?department=citizens', { as: 'tax-manager' })).status).toBe(404);
      });

      it('a change from a later date leaves the register of an earlier date as it was', async () => {
        const id = ids['富田 三郎'] as string;
        if (g.handlerTerm) {
          // The 事務 a designation needs, asked for in the profile's own term.
          const bare = await stack.call('PATCH', `/staff/${id}`, { as: manager, body: { handler: true, effectiveFrom: '2026-10-01' } });
          expect(bare.status, bare.text).toBe(400);
          expect(bare.body.errors).toEqual([{ path: 'handlerDuties', message: `${g.handlerTerm}には取り扱う事務を入力してください。` }]);
        }
        const changed = await stack.call('PATCH', `/staff/${id}`, {
          as: manager,
          headers: { 'if-match': '"1"' },
          body: { title: '主査', ...(designates ? { handler: true, handlerDuties: '税務事務' } : {}), effectiveFrom: '2026-10-01' },
        });
        expect(changed.status, changed.text).toBe(200);
        const before = (await registerOn('2026-09-30')).find((s) => s.staffId === id);
        expect(before).toMatchObject({ title: '主事', handler: false, handlerDuties: null });
        const after = (await registerOn('2026-10-01')).find((s) => s.staffId === id);
        expect(after).toMatchObject({ title: '主査', handler: designates, handlerDuties: designates ? '税務事務' : null });
      });

      it('the chief plans a session for the audience the regulation provides; any other is a 400', async () => {
        const body = (audience: Audience[]) => ({
          fiscalYear: 2026,
          name: '個人情報保護研修',
          timing: { from: '2026-06-01', to: '2026-06-30' },
          audience,
          method: 'classroom',
        });
        for (const a of g.refusedAudiences) {
          const r = await stack.call('POST', '/trainings', { as: chief, headers: { 'idempotency-key': randomUUID() }, body: body([a]) });
          expect(r.status, `${a}: ${r.text}`).toBe(400);
          expect(r.body.errors, a).toMatchObject([{ path: 'audience.0' }]);
          // What the regulation does provide, in its own term.
          if (g.handlerTerm && g.audience === 'handlers') expect(r.body.detail).toContain(g.handlerTerm);
          if (g.handlerTerm !== '事務取扱担当者') expect(r.text).not.toContain('事務取扱担当者');
        }
        const planned = await stack.call('POST', '/trainings', {
          as: chief,
          headers: { 'idempotency-key': randomUUID() },
          body: body([g.audience]),
        });
        expect(planned.status, planned.text).toBe(201);
        trainingId = planned.body.trainingId as string;
        // Its audience is the register of the session's last day: 富田's later designation is not in it.
        const due = await stack.call('GET', `/trainings/${trainingId}/non-attendees?department=citizens`, { as: manager });
        expect(due.status, due.text).toBe(200);
        expect(due.body.items.map((s: { name: string }) => s.name).sort()).toEqual([...audience].sort());
      });

      it('the 課 records part of its audience; the follow-up duty after the session hands its 保護管理者 one task naming the rest', async () => {
        const recorded = await stack.call('POST', `/trainings/${trainingId}/attendance`, {
          as: manager,
          body: { department: 'citizens', staffIds: present.map((n) => ids[n]), attendedOn: '2026-06-15' },
        });
        expect(recorded.status, recorded.text).toBe(200);

        const rt = jobRuntime(stack);
        expect(rt.deps.profile.id).toBe(p.id);
        expect(await runDuty(rt, { duty: 'training-followup', instant: '2026-07-01T00:35:00+09:00' })).toMatchObject({
          outcome: 'completed',
          created: 1,
        });

        const followUps = async (as: string) => {
          const r = await stack.call('GET', '/tasks?mine=true&limit=100', { as });
          expect(r.status, r.text).toBe(200);
          return (r.body.items as { kind: string; taskId: string }[]).filter((t) => t.kind === 'trainingFollowUp');
        };
        const [task, ...more] = await followUps(manager);
        expect(more).toEqual([]);
        expect(await followUps('tax-manager')).toEqual([]);
        const t = (await stack.call('GET', `/tasks/${task?.taskId}`, { as: manager })).body as {
          taskId: string;
          title: string;
          people: { staffId: string; name: string }[];
        };
        expect(t.people.map((x) => x.name).sort()).toEqual([...missing].sort());
        expect(t.people.map((x) => x.staffId).sort()).toEqual(missing.map((n) => ids[n]).sort());
        expect(t).toMatchObject({
          title: `令和8年度 個人情報保護研修 の未受講者（${t.people.map((x) => x.name).join('、')}）への${g.followUp.term}（${g.followUp.source}）`,
          source: g.followUp.source,
          assignee: { role: 'sectionManager', department: 'citizens' },
          subject: { type: 'training', id: trainingId },
          status: 'open',
        });
        taskId = t.taskId;
      });

      it('recording the attendance of those it names closes the task', async () => {
        const recorded = await stack.call('POST', `/trainings/${trainingId}/attendance`, {
          as: manager,
          body: { department: 'citizens', staffIds: missing.map((n) => ids[n]), attendedOn: '2026-07-10' },
        });
        expect(recorded.status, recorded.text).toBe(200);
        expect((await stack.call('GET', `/tasks/${taskId}`, { as: manager })).body).toMatchObject({ status: 'done', closedBy: manager });
        const session = await stack.call('GET', `/trainings/${trainingId}`, { as: manager });
        expect(session.body.completion).toEqual([
          { department: 'citizens', audience: audience.length, attended: audience.length, retaken: missing.length },
        ]);
      });

      it('the forms speak the regulation’s words (a list of designated staff only where it designates them)', async () => {
        const page = async (path: string) => stack.call('GET', path, { as: manager });
        const lists = [
          ['/staff/form1?department=citizens&asOf=2026-06-30&format=html', g.forms.form1],
          ['/staff/form2?department=citizens&asOf=2026-06-30&format=html', g.forms.form2],
        ] as const;
        for (const [path, fragments] of lists) {
          const r = await page(path);
          if (!fragments) {
            expect(r.status, `${path}: ${r.text}`).toBe(409);
            expect(r.body.type).toBe('urn:kansa:problem:handler-not-in-regulation');
            continue;
          }
          expect(r.status, `${path}: ${r.text}`).toBe(200);
          for (const f of fragments) expect(r.text, path).toContain(f);
          for (const f of g.forms.absent) expect(r.text, path).not.toContain(f);
        }
        const plan = await page('/trainings/form3?fiscalYear=2026&format=html');
        expect(plan.status, plan.text).toBe(200);
        expect(plan.text).toContain('個人情報保護研修');
        for (const f of g.forms.form3) expect(plan.text).toContain(f);
        for (const f of g.forms.absent) expect(plan.text).not.toContain(f);
      });

      it('keeps the trail of a person and of the 課’s roll, and both verify', async () => {
        const trails = [
          ['staff', ids['富田 三郎'] as string, ['staff.registered', 'staff.updated']],
          ['attendance', rollIdOf(trainingId, 'citizens'), ['attendance.recorded', 'attendance.recorded']],
        ] as const;
        for (const [entityType, entityId, actions] of trails) {
          const log = await stack.call('GET', `/audit-log?entityType=${entityType}&entityId=${entityId}`, { as: chief });
          expect(log.status, log.text).toBe(200);
          expect(log.body.items.map((e: { action: string; actor: { sub: string } }) => `${e.action}:${e.actor.sub}`)).toEqual(
            actions.map((a) => `${a}:${manager}`),
          );
          const verified = await stack.call('GET', `/audit-log/verify?entityType=${entityType}&entityId=${entityId}`, { as: chief });
          expect(verified.status, verified.text).toBe(200);
          expect(verified.body).toMatchObject({ valid: true, problems: [], events: actions.length });
        }
      });
    });
  });
}
