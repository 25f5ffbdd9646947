import { chapter } from './entries.js';
import { lawClock, lawCriteria } from './law.js';
import type { RegulationProfile } from './types.js';

/**
 * 郡山市保有個人情報等の取扱基準 (seed 001, /work/shared/regulations/001_0f77ee979364cb47.txt),
 * the default profile.
 */
export const koriyama: RegulationProfile = {
  id: '001',
  organisation: '郡山市',
  regulation: '郡山市保有個人情報等の取扱基準',
  version: '001_0f77ee979364cb47',
  referenceStyle: 'article',
  // 第3条 lists the posts; 第4条–第8条 say who holds them.
  roleTitles: {
    chiefManager: '総括保護管理者', // 第4条: the vice-mayor in charge of 政策開発部
    deputyManager: '総括保護副管理者', // 第4条の2: 政策開発部長
    auditLead: '監査責任者', // 第7条: 政策開発部長
    auditorDx: '監査補助者（DX戦略課長）', // 第7条の2第1項, 第3項第1号
    auditorKoho: '監査補助者（広報広聴課長）', // 第7条の2第1項, 第3項第2号
    deptHead: '保護責任者', // 第4条の3: 部の長 等
    sectionManager: '保護管理者', // 第5条: 課等の長
    sectionStaff: '保護担当者', // 第6条: assists the 保護管理者
    affairStaff: '事務取扱担当者', // 第3条第8号, 第8条: designated by the 保護管理者 (様式第1号・第2号), supervised (第9条), trained (第11条第2項)
  },
  // 第26条第2項: 監査責任者 drafts the plan (様式第4号) and gets the 総括保護管理者's approval;
  // 第26条第1項: the results are reported to the 総括保護管理者.
  plans: { draftedBy: 'auditLead', approvedBy: 'chiefManager', reportedTo: 'chiefManager' },
  provisions: {
    audit: { basis: 'regulation', article: '第26条第1項' },
    // 第26条第2項: 特定個人情報等に関する事務の監査を行うに当たり、監査計画（様式第4号）を立案し、
    // 総括保護管理者の承認を得る. kansa asks it of every audit.
    auditPlan: { basis: 'regulation', article: '第26条第2項', appliesTo: '特定個人情報等に関する事務の監査' },
    planApproval: { basis: 'regulation', article: '第26条第2項', appliesTo: '特定個人情報等に関する事務の監査' },
    planForm: { basis: 'regulation', article: '第26条', form: '様式第4号' },
    auditReport: { basis: 'regulation', article: '第26条第1項' },
    auditScope: { basis: 'regulation', article: '第7条の2第3項' },
    // The texts say nothing about when a report may go or a plan be closed: kansa's gates.
    reportGate: { basis: 'practice' },
    closeGate: { basis: 'practice' },
    review: { basis: 'regulation', article: '第28条' },
    overdueEscalation: { basis: 'practice' },
    inspection: { basis: 'regulation', article: '第27条' },
    // 第27条: 定期的に又は随時に; the interval is the municipality's.
    inspectionFrequency: { basis: 'practice' },
    // 第27条: 必要があると認めるときは、その結果を総括保護管理者に報告する.
    inspectionReport: { basis: 'regulation', article: '第27条' },
    contractor: { basis: 'regulation', article: '第22条' },
    contractorCheck: { basis: 'regulation', article: '第22条第4項' },
    contractorOnSite: { basis: 'regulation', article: '第22条第4項' },
    subcontracting: { basis: 'regulation', article: '第22条第5項' },
    // 第22条第9項: 個人番号利用事務等の再委託は、安全管理を確認した上で諾否を判断する.
    subcontractPermission: { basis: 'regulation', article: '第22条第9項', appliesTo: '個人番号利用事務等' },
    disposal: { basis: 'regulation', article: '第18条' },
    disposalRecord: { basis: 'regulation', article: '第18条第3項' },
    disposalWitness: { basis: 'regulation', article: '第18条第4項' },
    // 第18条第4項 says 必要に応じて…など: what completes a record is the municipality's rule.
    disposalCompleteness: { basis: 'practice' },
    incident: { basis: 'regulation', article: '第23条第1項' },
    incidentContainment: { basis: 'regulation', article: '第23条第2項' },
    incidentInvestigation: { basis: 'regulation', article: '第23条第3項' },
    incidentEscalation: { basis: 'regulation', article: '第23条第3項' },
    incidentMayor: { basis: 'regulation', article: '第23条第4項' },
    incidentPrevention: { basis: 'regulation', article: '第23条第5項' },
    ppcReport: { basis: 'regulation', article: '第24条' },
    subjectNotice: { basis: 'regulation', article: '第24条' },
    incidentPublication: { basis: 'regulation', article: '第25条第1項' },
    ppcInformation: { basis: 'regulation', article: '第25条第2項' },
    // Closing a 事案 is the chief's, once prevention (and a required 確報) are recorded: practice.
    incidentClose: { basis: 'practice' },
    // 第8条: the 保護管理者 designates the 事務取扱担当者 and their roles on 様式第1号及び様式第2号.
    handlerDesignation: { basis: 'regulation', article: '第8条', form: '様式第1号・様式第2号' },
    // 第11条: training for every 職員 including 派遣 (1項), the 事務取扱担当者 (2項), system
    // administrators (3項), 保護管理者 and 保護担当者 (4項); 再受講 (5項); the plan on 様式第3号 (6項).
    training: { basis: 'regulation', article: '第11条第1項' },
    handlerTraining: { basis: 'regulation', article: '第11条第2項' },
    systemAdminTraining: { basis: 'regulation', article: '第11条第3項' },
    managerTraining: { basis: 'regulation', article: '第11条第4項' },
    trainingFollowUp: { basis: 'regulation', article: '第11条第5項' },
    trainingPlan: { basis: 'regulation', article: '第11条第6項', form: '様式第3号' },
  },
  practices: { audits: true, inspectionFrequency: 'quarterly', disposalProof: 'witnessOrPhoto' },
  // 第23条–第25条: the 職員 tells the 保護管理者 at once; the 保護管理者 contains, investigates and
  // reports to the 総括保護副管理者, who tells the 総括保護管理者 at once of a 特に重大 事案; the
  // 総括保護管理者 reports to the 市長; the 保護管理者 prevents a recurrence and shares it. In
  // parallel (第24条) the 総括保護副管理者 reports to the PPC and notifies the people concerned;
  // 第25条: 公表 and 情報提供 by the 総括保護管理者. Closing is kansa's practice, the chief's.
  // 第7条の2第3項: the DX戦略課長 audits 第8条 (and 第11条第1項・第5項), the 広報広聴課長 the rest of
  // 第11条; the 監査責任者 audits every article.
  staff: {
    handlerTerm: '事務取扱担当者',
    forms: { byPerson: '様式第1号', bySection: '様式第2号' },
    auditedBy: ['auditLead', 'auditorDx'],
  },
  training: { form: '様式第3号', followUpTerm: '再受講の機会の付与', auditedBy: ['auditLead', 'auditorDx', 'auditorKoho'] },
  incidents: {
    receivedBy: 'sectionManager',
    investigationTo: 'deputyManager',
    escalateTo: 'chiefManager',
    auditedBy: ['auditLead', 'auditorKoho'],
    sharesPrevention: true,
    edit: ['sectionManager', 'deputyManager'],
    steps: {
      contain: { roles: ['sectionManager'], provision: 'incidentContainment' },
      investigate: { roles: ['sectionManager'], provision: 'incidentInvestigation' },
      escalate: { roles: ['deputyManager'], provision: 'incidentEscalation' },
      prevention: { roles: ['sectionManager'], provision: 'incidentPrevention' },
      ppcReport: { roles: ['deputyManager'], provision: 'ppcReport' },
      close: { roles: ['chiefManager'], provision: 'incidentClose' },
    },
    notices: {
      subjects: { roles: ['deputyManager'], provision: 'subjectNotice' },
      mayor: { roles: ['chiefManager'], provision: 'incidentMayor' },
      publication: { roles: ['chiefManager'], provision: 'incidentPublication' },
      ppcInformation: { roles: ['chiefManager'], provision: 'ppcInformation' },
    },
    criteria: lawCriteria,
    clock: lawClock,
  },
  articles: [
    ...chapter('第1章 総則', [
      [1, '趣旨'],
      [2, '定義'],
    ]),
    ...chapter('第2章 管理体制', [
      [3, '管理体制'],
      [4, '総括保護管理者', 2],
      ['4の2', '総括保護副管理者', 5],
      ['4の3', '保護責任者', 2],
      [5, '保護管理者', 2],
      [6, '保護担当者', 2],
      [7, '監査責任者', 2],
      ['7の2', '監査補助者', 3],
      [8, '事務取扱担当者の指定等', 4],
      [9, '事務取扱担当者の監督'],
      [10, '保有個人情報の適切な管理のための会議'],
    ]),
    ...chapter('第3章 教育研修', [[11, '教育研修', 6]]),
    ...chapter('第4章 職員の責務', [[12, '職員の責務', 2]]),
    ...chapter('第5章 保有個人情報等の取扱い', [
      [13, 'アクセス制限', 3],
      [14, '複製等の制限'],
      [15, '誤りの訂正等'],
      [16, '取扱区域'],
      [17, '媒体の管理等', 2],
      ['17の2', '誤送付等の防止'],
      [18, '廃棄等', 4],
      [19, '保有個人情報等の取扱状況の記録'],
      ['19の2', '外的環境の把握'],
      [20, '情報システムにおける安全の確保', 3],
    ]),
    ...chapter('第6章 保有個人情報の提供及び業務の委託等', [
      [21, '保有個人情報の提供', 3],
      [22, '業務の委託等', 9],
    ]),
    ...chapter('第7章 安全確保上の問題への対応', [
      [23, '事案の報告及び再発防止措置', 5],
      [24, '法に基づく報告及び通知'],
      [25, '公表等', 3],
    ]),
    ...chapter('第8章 監査及び点検の実施', [
      [26, '監査', 2],
      [27, '点検'],
      [28, '評価及び見直し'],
    ]),
    ...chapter('第9章 事務の流れの整理', [[29, '事務の流れの整理']]),
    ...chapter('第10章 その他', [
      [30, 'サイバーセキュリティに関する対策の基準等'],
      [31, '細則'],
    ]),
  ],
  // 第7条の2第3項: each 監査補助者 audits a fixed list of articles; the rest (第1条, 第2条,
  // 第12条, 第26条–第31条) is the 監査責任者's alone.
  auditorScopes: [
    {
      scope: 'dx',
      role: 'auditorDx',
      title: '監査補助者（DX戦略課長）',
      source: '第7条の2第3項第1号',
      // 第8条、第9条、第11条第1項及び第5項、第13条、第14条、第16条から第18条まで、第20条及び第22条
      rules: [
        { from: { article: 8 } },
        { from: { article: 9 } },
        { from: { article: 11 }, paragraphs: [1, 5] },
        { from: { article: 13 } },
        { from: { article: 14 } },
        { from: { article: 16 }, to: { article: 18 } },
        { from: { article: 20 } },
        { from: { article: 22 } },
      ],
    },
    {
      scope: 'koho',
      role: 'auditorKoho',
      title: '監査補助者（広報広聴課長）',
      source: '第7条の2第3項第2号',
      // 第3条から第7条の2まで、第10条、第11条(第1項及び第5項を除く。)、第15条、第19条、
      // 第19条の2、第21条、第23条から第25条まで
      rules: [
        { from: { article: 3 }, to: { article: 7, branch: 2 } },
        { from: { article: 10 } },
        { from: { article: 11 }, exceptParagraphs: [1, 5] },
        { from: { article: 15 } },
        { from: { article: 19 } },
        { from: { article: 19, branch: 2 } },
        { from: { article: 21 } },
        { from: { article: 23 }, to: { article: 25 } },
      ],
    },
  ],
  duties: [
    // 第26条第1項: 監査責任者 audits 定期的に (hence yearly); the task is the plan of 第26条第2項, approved beforehand.
    { duty: 'annual-plan', enabled: true, source: '第26条第2項', frequency: 'yearly', assignee: 'auditLead' },
    // 第27条: 保護管理者 inspects 記録媒体、処理経路、保管方法等 定期的に (the frequency is ours: quarterly).
    {
      duty: 'section-inspection',
      enabled: true,
      source: '第27条',
      frequency: 'quarterly',
      assignee: 'sectionManager',
      checklist: ['記録媒体', '処理経路', '保管方法'],
    },
    // 第22条第4項: 保護管理者 checks each 委託先 少なくとも年1回以上、原則として実地検査により.
    { duty: 'contractor-check', enabled: true, source: '第22条第4項', frequency: 'yearly', assignee: 'sectionManager' },
    // 第28条 has the 総括保護管理者等 evaluate the results and take 見直し等の措置; escalating
    // overdue follow-ups to the 総括保護管理者 daily is the municipality's practice.
    { duty: 'overdue-actions', enabled: true, source: '運用上のルール', frequency: 'daily', assignee: 'chiefManager' },
  ],
};
