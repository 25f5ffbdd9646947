import { chapter } from './entries.js';
import { type IncidentCriterion, leakCategories } from '#lib/domain/ppc.js';
import { lawClock, lawCriteria } from './law.js';
import type { RegulationProfile } from './types.js';

/**
 * 第9の3: every 漏えい等 of 特定個人情報等 is investigated and reported to the PPC (the regulation's
 * own rule, beyond the law's 事態), and the 特に重大 事態 of its (1)–(4) at once. The regulation
 * holds only 特定個人情報等, so its rules do not ask for the `myNumber` fact.
 */
const naraCriteria: readonly IncidentCriterion[] = [
  {
    id: 'nara-every-leak',
    basis: 'regulation',
    categories: leakCategories,
    facts: [],
    exemptWhenEncrypted: false,
    reason: '特定個人情報等の漏えい等の事案は、調査して個人情報保護委員会に報告する',
    source: '第9の3',
  },
  {
    id: 'nara-grave-system',
    basis: 'regulation',
    categories: leakCategories,
    facts: ['inSystem'],
    exemptWhenEncrypted: false,
    atOnce: true,
    reason: '特に重大な事態：情報提供ネットワークシステム又は個人番号利用事務等の情報システムの特定個人情報等の漏えい等',
    source: '第9の3(1)',
  },
  {
    id: 'nara-grave-over100',
    basis: 'regulation',
    categories: [...leakCategories, 'misuse'],
    facts: [],
    subjectsOver: 100,
    exemptWhenEncrypted: false,
    atOnce: true,
    reason: '特に重大な事態：本人の数が100人を超える特定個人情報等の漏えい等、違法な利用又は提供',
    source: '第9の3(2)',
  },
  {
    id: 'nara-grave-public',
    basis: 'regulation',
    categories: [...leakCategories, 'misuse'],
    facts: ['publiclyViewable', 'viewed'],
    exemptWhenEncrypted: false,
    atOnce: true,
    reason: '特に重大な事態：特定個人情報等が電磁的方法により不特定多数の者に閲覧された',
    source: '第9の3(3)',
  },
  {
    id: 'nara-grave-wrongful',
    basis: 'regulation',
    // (4) 利用し、又は提供した者がいる事態: someone did misuse or provide it, not a leak that may have had a wrongful purpose.
    categories: ['misuse'],
    facts: ['wrongfulPurpose'],
    exemptWhenEncrypted: false,
    atOnce: true,
    reason: '特に重大な事態：不正の目的をもって特定個人情報等を利用し、又は提供した者がいる',
    source: '第9の3(4)',
  },
];

/**
 * 奈良県特定個人情報の保護に関する管理規程 (seed 002, /work/shared/regulations/002_453a1efbbd3f3f1c.txt).
 *
 * The regulation is numbered in sections 第1–第10 with items 1, 2, … inside each; an item
 * is cited 第MのN and held as `{ article: M, branch: N }` (第5の7 is 媒体の管理等).
 */
export const nara: RegulationProfile = {
  id: '002',
  organisation: '奈良県',
  regulation: '奈良県特定個人情報の保護に関する管理規程',
  version: '002_453a1efbbd3f3f1c',
  referenceStyle: 'sectionItem',
  // 第2 管理体制. There is no 部 level (保護責任者) and no 監査補助者: a single 監査責任者 (第2の6).
  roleTitles: {
    chiefManager: '特定個人情報保護総括責任者', // 第2の1: 総務部長; receives the audit results (第10の1)
    deputyManager: 'デジタル管理室長', // 第2の1: 特定個人情報保護総括責任者の事務を補佐する
    auditLead: '監査責任者', // 第2の6 (必要な事項は別に定める), 第10の1
    sectionManager: '特定個人情報保護責任者', // 第2の2: 課室等の長; 点検 (第10の2)
    sectionStaff: '特定個人情報保護主任', // 第2の3, 第2の4: assists the 特定個人情報保護責任者
    affairStaff: '特定個人情報取扱担当者', // 第2の5: named by the 特定個人情報保護責任者
  },
  // 第10の1: the 監査責任者 audits and reports the results to the 特定個人情報保護総括責任者.
  // The regulation says nothing about audit plans or their approval (第2の6 leaves the
  // 監査責任者's matters to a separate rule), so the plan is approved by whoever receives
  // the report: the 特定個人情報保護総括責任者.
  plans: { draftedBy: 'auditLead', approvedBy: 'chiefManager', reportedTo: 'chiefManager' },
  provisions: {
    audit: { basis: 'regulation', article: '第10の1' },
    // 第10の1 says only: audit, report to the 特定個人情報保護総括責任者. Plans, their approval
    // and the gates are the prefecture's practice; there is no 様式 and no 監査補助者.
    auditPlan: { basis: 'practice' },
    planApproval: { basis: 'practice' },
    auditReport: { basis: 'regulation', article: '第10の1' },
    reportGate: { basis: 'practice' },
    closeGate: { basis: 'practice' },
    review: { basis: 'regulation', article: '第10の3' },
    overdueEscalation: { basis: 'practice' },
    inspection: { basis: 'regulation', article: '第10の2' },
    inspectionFrequency: { basis: 'practice' },
    inspectionReport: { basis: 'regulation', article: '第10の2' },
    contractor: { basis: 'regulation', article: '第8の2' },
    // 第8の5: 年1回以上の定期的検査等 (no 実地検査 rule).
    contractorCheck: { basis: 'regulation', article: '第8の5' },
    // 第8の7: 委託先を通じて又は委託元自らが「6に規定する措置」(監督) を実施する: not the 第8の5 check.
    subcontracting: { basis: 'regulation', article: '第8の7', appliesTo: '第8の6の監督' },
    subcontractPermission: { basis: 'regulation', article: '第8の8' },
    disposal: { basis: 'regulation', article: '第5の8' },
    disposalWitness: { basis: 'regulation', article: '第5の8' },
    disposalCompleteness: { basis: 'practice' },
    incident: { basis: 'regulation', article: '第9の1' },
    incidentContainment: { basis: 'regulation', article: '第9の2' },
    incidentInvestigation: { basis: 'regulation', article: '第9の3' },
    incidentEscalation: { basis: 'regulation', article: '第9の3' },
    incidentPrevention: { basis: 'regulation', article: '第9の4' },
    ppcReport: { basis: 'regulation', article: '第9の3' },
    subjectNotice: { basis: 'regulation', article: '第9の7' },
    incidentPublication: { basis: 'regulation', article: '第9の7' },
    // Closing a 事案 is the chief's, once prevention (and a required 確報) are recorded: practice.
    incidentClose: { basis: 'practice' },
    // 第2の5: the 特定個人情報保護責任者 names the 特定個人情報取扱担当者 of the 課室等 (no form).
    handlerDesignation: { basis: 'regulation', article: '第2の5' },
    // 第3: training for the 特定個人情報取扱担当者 including 派遣 (1), system administrators (2), the
    // 責任者・主任 (3, with the 取扱担当者); the 責任者 gives the chance to attend (4). No training
    // for every 職員 and no plan or form: the plan is the municipality's practice.
    handlerTraining: { basis: 'regulation', article: '第3の1' },
    systemAdminTraining: { basis: 'regulation', article: '第3の2' },
    managerTraining: { basis: 'regulation', article: '第3の3' },
    trainingFollowUp: { basis: 'regulation', article: '第3の4' },
    trainingPlan: { basis: 'practice' },
  },
  practices: { audits: true, inspectionFrequency: 'quarterly', disposalProof: 'witnessOrPhoto' },
  // Items without a heading of their own take the heading above them; sections 第3 and 第4
  // have no item headings at all, so their items take the section's name.
  // 第9: the 職員 tells the 特定個人情報保護責任者 at once (1), who contains (2), investigates and
  // reports to the 特定個人情報保護総括責任者 and the PPC (3; 特に重大 (1)–(4): 直ちに), reports the
  // recurrence prevention to both (4) and, as the 総括責任者 directs (5), publishes and deals with
  // the people concerned (7). There is no 市長 report nor 情報提供 in the text. Closing is practice.
  staff: { handlerTerm: '特定個人情報取扱担当者', auditedBy: ['auditLead'] },
  training: { followUpTerm: '研修への参加の機会の付与', auditedBy: ['auditLead'] },
  incidents: {
    receivedBy: 'sectionManager',
    investigationTo: 'chiefManager',
    escalateTo: 'chiefManager',
    auditedBy: ['auditLead'],
    sharesPrevention: false,
    edit: ['sectionManager'],
    steps: {
      contain: { roles: ['sectionManager'], provision: 'incidentContainment' },
      investigate: { roles: ['sectionManager'], provision: 'incidentInvestigation' },
      escalate: { roles: ['sectionManager'], provision: 'incidentEscalation' },
      prevention: { roles: ['sectionManager'], provision: 'incidentPrevention' },
      ppcReport: { roles: ['sectionManager'], provision: 'ppcReport' },
      close: { roles: ['chiefManager'], provision: 'incidentClose' },
    },
    notices: {
      subjects: { roles: ['sectionManager'], provision: 'subjectNotice' },
      publication: { roles: ['sectionManager'], provision: 'incidentPublication' },
    },
    criteria: [...lawCriteria, ...naraCriteria],
    clock: lawClock,
  },
  articles: [
    ...chapter('第1 総則', [
      ['1の1', '趣旨'],
      ['1の2', '定義'],
      ['1の3', '適用範囲'],
    ]),
    ...chapter('第2 管理体制', [
      ['2の1', '特定個人情報保護総括責任者'],
      ['2の2', '特定個人情報保護責任者'],
      ['2の3', '特定個人情報保護主任'],
      ['2の4', '特定個人情報保護主任'],
      ['2の5', '特定個人情報取扱担当者'],
      ['2の6', '監査責任者'],
      ['2の7', '組織体制'],
      ['2の8', '特定個人情報連絡調整会議'],
      ['2の9', '特定個人情報連絡調整会議の事務局'],
    ]),
    ...chapter('第3 教育研修', [
      ['3の1', '教育研修'],
      ['3の2', '教育研修'],
      ['3の3', '教育研修'],
      ['3の4', '教育研修'],
    ]),
    ...chapter('第4 職員の責務', [
      ['4の1', '職員の責務'],
      ['4の2', '職員の責務'],
    ]),
    ...chapter('第5 特定個人情報等の取扱い', [
      ['5の1', 'アクセス制限'],
      ['5の2', 'アクセス制限'],
      ['5の3', 'アクセス制限'],
      ['5の4', '複製等の制限'],
      ['5の5', '複製等の制限'],
      ['5の6', '誤りの訂正等'],
      ['5の7', '媒体の管理等'],
      ['5の8', '廃棄等'],
      ['5の9', '取扱状況の記録'],
      ['5の10', '利用の制限'],
      ['5の11', '提供の求めの制限'],
      ['5の12', '特定個人情報ファイルの作成の制限'],
      ['5の13', '特定個人情報等の収集・保管の制限'],
      ['5の14', '取扱区域'],
    ]),
    ...chapter('第6 情報システムにおける安全の確保等', [
      ['6の1', 'アクセス制御'],
      ['6の2', 'アクセス状況の記録等'],
      ['6の3', 'アクセス状況の記録等'],
      ['6の4', 'アクセス状況の監視'],
      ['6の5', '管理者権限の設定'],
      ['6の6', '外部からの不正アクセスの防止'],
      ['6の7', '不正プログラムによる漏えい等の防止'],
      ['6の8', '情報システムにおける保有個人情報の処理'],
      ['6の9', '暗号化のための措置'],
      ['6の10', '記録機能を有する機器・媒体の接続制限'],
      ['6の11', '端末の限定'],
      ['6の12', '端末の盗難防止等'],
      ['6の13', '端末の盗難防止等'],
      ['6の14', '第三者の閲覧防止'],
      ['6の15', '入力情報の照合等'],
      ['6の16', 'バックアップの作成等'],
      ['6の17', '情報システム設計書等の管理'],
    ]),
    ...chapter('第7 情報システム室等の安全管理', [
      ['7の1', '情報システム室の入退管理'],
      ['7の2', '情報システム室等の管理'],
      ['7の3', '情報システム室等の管理'],
    ]),
    ...chapter('第8 特定個人情報等の提供及び業務の委託等', [
      ['8の1', '特定個人情報等の提供'],
      ['8の2', '業務の委託等'],
      ['8の3', '業務の委託等'],
      ['8の4', '業務の委託等'],
      ['8の5', '委託先に対する定期的検査等'],
      ['8の6', '委託先に対する監督'],
      ['8の7', '再委託等の場合の措置'],
      ['8の8', '再委託等の場合の措置'],
      ['8の9', '派遣労働者に係る契約書の記載事項'],
    ]),
    ...chapter('第9 安全確保上の問題への対応', [
      ['9の1', '事案の報告及び再発防止措置'],
      ['9の2', '事案の報告及び再発防止措置'],
      ['9の3', '事案の報告及び再発防止措置'],
      ['9の4', '事案の報告及び再発防止措置'],
      ['9の5', '事案の報告及び再発防止措置'],
      ['9の6', '違反者に対する厳正な対処'],
      ['9の7', '公表等'],
    ]),
    ...chapter('第10 監査及び点検の実施', [
      ['10の1', '監査'],
      ['10の2', '点検'],
      ['10の3', '評価及び見直し'],
    ]),
  ],
  // No 監査補助者: the 監査責任者 audits the whole regulation.
  auditorScopes: [],
  duties: [
    // 第10の1: 監査責任者 audits 定期に及び必要に応じ隨時に; a yearly plan to draft is the prefecture's practice.
    { duty: 'annual-plan', enabled: true, source: '運用上のルール', frequency: 'yearly', assignee: 'auditLead' },
    // 第10の2: 特定個人情報保護責任者 inspects 記録媒体、処理経路、保管方法等 定期に (no
    // interval given, as in 郡山市 第27条: quarterly).
    {
      duty: 'section-inspection',
      enabled: true,
      source: '第10の2',
      frequency: 'quarterly',
      assignee: 'sectionManager',
      checklist: ['記録媒体', '処理経路', '保管方法'],
    },
    // 第8の5: 特定個人情報保護責任者 checks each 委託先 by 年1回以上の定期的検査等.
    { duty: 'contractor-check', enabled: true, source: '第8の5', frequency: 'yearly', assignee: 'sectionManager' },
    // 第10の3 評価及び見直し: 特定個人情報保護総括責任者 (with 保護責任者 and 取扱担当者) act on
    // the results of 監査 and 点検; the daily escalation of overdue actions is practice.
    { duty: 'overdue-actions', enabled: true, source: '運用上のルール', frequency: 'daily', assignee: 'chiefManager' },
  ],
};
