import { chapter } from './entries.js';
import { lawClock, lawCriteria } from './law.js';
import type { RegulationProfile } from './types.js';

/**
 * 久喜市の保有する個人情報の適切な管理のための措置に関する規程
 * (seed 004, /work/shared/regulations/004_4ac222674e68289e.txt).
 */
export const kuki: RegulationProfile = {
  id: '004',
  organisation: '久喜市',
  regulation: '久喜市の保有する個人情報の適切な管理のための措置に関する規程',
  version: '004_4ac222674e68289e',
  referenceStyle: 'article',
  // 第2章 管理体制 (第3条–第6条). No deputy, no 部 level, no 監査補助者.
  roleTitles: {
    chiefManager: '総括保護管理者', // 第3条: 副市長; receives the audit results (第42条)
    auditLead: '監査責任者', // 第6条: 総務部長; audits and reports (第42条)
    sectionManager: '保護管理者', // 第4条: 各課等の長; 点検 (第43条)
    sectionStaff: '保護担当者', // 第5条 (no 事務取扱担当者 in the text)
  },
  // 第42条: the 監査責任者 audits and reports the results to the 総括保護管理者. The
  // regulation says nothing about audit plans or their approval, so the plan is approved
  // by whoever receives the report: the 総括保護管理者.
  plans: { draftedBy: 'auditLead', approvedBy: 'chiefManager', reportedTo: 'chiefManager' },
  provisions: {
    audit: { basis: 'regulation', article: '第42条' },
    // 第42条 says only: audit, report to the 総括保護管理者. Plans, their approval and the gates
    // are the city's practice; there is no 様式 and no 監査補助者.
    auditPlan: { basis: 'practice' },
    planApproval: { basis: 'practice' },
    auditReport: { basis: 'regulation', article: '第42条' },
    reportGate: { basis: 'practice' },
    closeGate: { basis: 'practice' },
    review: { basis: 'regulation', article: '第44条' },
    overdueEscalation: { basis: 'practice' },
    inspection: { basis: 'regulation', article: '第43条' },
    inspectionFrequency: { basis: 'practice' },
    inspectionReport: { basis: 'regulation', article: '第43条' },
    contractor: { basis: 'regulation', article: '第36条' },
    contractorCheck: { basis: 'regulation', article: '第36条第3項' },
    contractorOnSite: { basis: 'regulation', article: '第36条第3項' },
    subcontracting: { basis: 'regulation', article: '第36条第4項' },
    // 第36条第1項第2号: the contract states 再委託の制限又は事前承認等; a 事前承認 given is recorded.
    subcontractPermission: { basis: 'regulation', article: '第36条第1項', appliesTo: '契約に定める再委託の事前承認等' },
    disposal: { basis: 'regulation', article: '第15条' },
    disposalWitness: { basis: 'regulation', article: '第15条第2項' },
    disposalCompleteness: { basis: 'practice' },
    incident: { basis: 'regulation', article: '第39条第1項' },
    incidentContainment: { basis: 'regulation', article: '第39条第2項' },
    incidentInvestigation: { basis: 'regulation', article: '第39条第3項' },
    incidentEscalation: { basis: 'regulation', article: '第39条第3項' },
    incidentMayor: { basis: 'regulation', article: '第39条第4項' },
    incidentPrevention: { basis: 'regulation', article: '第39条第5項' },
    ppcReport: { basis: 'regulation', article: '第40条' },
    subjectNotice: { basis: 'regulation', article: '第40条' },
    incidentPublication: { basis: 'regulation', article: '第41条第1項' },
    ppcInformation: { basis: 'regulation', article: '第41条第2項' },
    // Closing a 事案 is the chief's, once prevention (and a required 確報) are recorded: practice.
    incidentClose: { basis: 'practice' },
    // 第8条: training for every 職員 including 派遣 (1項), system administrators (2項), the 保護管理者
    // and 保護担当者 (3項); the 保護管理者 gives the chance to attend (4項). No 事務取扱担当者 and no
    // plan or form in the text: the plan is the municipality's practice.
    training: { basis: 'regulation', article: '第8条第1項' },
    systemAdminTraining: { basis: 'regulation', article: '第8条第2項' },
    managerTraining: { basis: 'regulation', article: '第8条第3項' },
    trainingFollowUp: { basis: 'regulation', article: '第8条第4項' },
    trainingPlan: { basis: 'practice' },
  },
  practices: { audits: true, inspectionFrequency: 'quarterly', disposalProof: 'witnessOrPhoto' },
  // 第8条 and 第35条 have no heading of their own: they take their 章's name.
  // 第39条: the 職員 tells the 保護管理者 at once; the 保護管理者 contains, investigates and reports
  // to the 総括保護管理者 (特に重大: 直ちに), who reports to the 市長; the 保護管理者 prevents a
  // recurrence and shares it. 第40条 and 第41条 name nobody for the PPC report, the notice, the
  // 公表 and the 情報提供: the 総括保護管理者, who receives the 第39条第3項 report, does them.
  // No 事務取扱担当者 in the text: the register lists the 職員 (for training) without designations.
  staff: { auditedBy: ['auditLead'] },
  training: { followUpTerm: '研修への参加の機会の付与', auditedBy: ['auditLead'] },
  incidents: {
    receivedBy: 'sectionManager',
    investigationTo: 'chiefManager',
    escalateTo: 'chiefManager',
    auditedBy: ['auditLead'],
    sharesPrevention: true,
    edit: ['sectionManager', 'chiefManager'],
    steps: {
      contain: { roles: ['sectionManager'], provision: 'incidentContainment' },
      investigate: { roles: ['sectionManager'], provision: 'incidentInvestigation' },
      escalate: { roles: ['sectionManager'], provision: 'incidentEscalation' },
      prevention: { roles: ['sectionManager'], provision: 'incidentPrevention' },
      ppcReport: { roles: ['chiefManager'], provision: 'ppcReport' },
      close: { roles: ['chiefManager'], provision: 'incidentClose' },
    },
    notices: {
      subjects: { roles: ['chiefManager'], provision: 'subjectNotice' },
      mayor: { roles: ['chiefManager'], provision: 'incidentMayor' },
      publication: { roles: ['chiefManager'], provision: 'incidentPublication' },
      ppcInformation: { roles: ['chiefManager'], provision: 'ppcInformation' },
    },
    criteria: lawCriteria,
    clock: lawClock,
  },
  articles: [
    ...chapter('第1章 総則', [
      [1, '目的'],
      [2, '用語の定義'],
    ]),
    ...chapter('第2章 管理体制', [
      [3, '総括保護管理者', 2],
      [4, '保護管理者', 2],
      [5, '保護担当者', 2],
      [6, '監査責任者', 2],
      [7, '保有個人情報の適切な管理のための会議'],
    ]),
    ...chapter('第3章 教育研修', [[8, '教育研修', 4]]),
    ...chapter('第4章 職員の責務', [[9, '適切な取扱の義務']]),
    ...chapter('第5章 保有個人情報の取扱い', [
      [10, 'アクセス制限', 4],
      [11, '複製等の制限'],
      [12, '誤りの訂正等'],
      [13, '媒体の管理等', 2],
      [14, '誤送付等の防止'],
      [15, '廃棄等', 2],
      [16, '保有個人情報の取扱状況の記録'],
      [17, '外的環境の把握'],
    ]),
    ...chapter('第6章 情報システムにおける安全の確保等', [
      [18, 'アクセス制御', 2],
      [19, 'アクセス記録', 2],
      [20, 'アクセス状況の監視'],
      [21, '管理者権限の設定'],
      [22, '外部からの不正アクセスの防止'],
      [23, '不正プログラムによる漏えい等の防止'],
      [24, '情報システムにおける保有個人情報の処理'],
      [25, '暗号化'],
      [26, '記録機能を有する機器・媒体の接続制限'],
      [27, '端末の限定等', 2],
      [28, '端末の盗難防止'],
      [29, '第三者の閲覧防止'],
      [30, '入力情報の照合等'],
      [31, 'バックアップ'],
      [32, '情報システム設計書等の管理'],
    ]),
    ...chapter('第7章 情報システム室等の安全管理', [
      [33, '入退管理', 3],
      [34, '情報システム室等の管理', 2],
    ]),
    ...chapter('第8章 保有個人情報の提供', [[35, '保有個人情報の提供', 3]]),
    ...chapter('第9章 個人情報の取扱いの委託', [
      [36, '業務の委託等', 5],
      [37, 'その他'],
    ]),
    ...chapter('第10章 サイバーセキュリティの確保', [[38, 'サイバーセキュリティに関する対策の基準等']]),
    ...chapter('第11章 安全確保上の問題への対応', [
      [39, '事案の報告及び再発防止措置', 5],
      [40, '法に基づく報告及び通知'],
      [41, '公表等', 2],
    ]),
    ...chapter('第12章 監査及び点検の実施', [
      [42, '監査'],
      [43, '点検'],
      [44, '評価及び見直し'],
    ]),
    ...chapter('第13章 その他', [[45, '細則']]),
  ],
  // No 監査補助者: the 監査責任者 audits the whole regulation.
  auditorScopes: [],
  duties: [
    // 第42条: 監査責任者 audits 定期に及び必要に応じ随時に; a yearly plan to draft is the city's practice.
    { duty: 'annual-plan', enabled: true, source: '運用上のルール', frequency: 'yearly', assignee: 'auditLead' },
    // 第43条: 保護管理者 inspects 記録媒体、処理経路、保管方法等 定期に (no interval given, as in
    // 郡山市 第27条: quarterly).
    {
      duty: 'section-inspection',
      enabled: true,
      source: '第43条',
      frequency: 'quarterly',
      assignee: 'sectionManager',
      checklist: ['記録媒体', '処理経路', '保管方法'],
    },
    // 第36条第3項: 委託先 少なくとも年1回以上、原則として実地検査により確認する. The paragraph
    // names no subject; the 委託 is the 課's (保護管理者, 第4条第2項).
    { duty: 'contractor-check', enabled: true, source: '第36条第3項', frequency: 'yearly', assignee: 'sectionManager' },
    // 第44条 評価及び見直し: 総括保護管理者、保護管理者等 act on the results of 監査 and 点検; the
    // daily escalation of overdue actions is practice.
    { duty: 'overdue-actions', enabled: true, source: '運用上のルール', frequency: 'daily', assignee: 'chiefManager' },
  ],
};
