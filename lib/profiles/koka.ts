import { chapter } from './entries.js';
import { lawClock, lawCriteria } from './law.js';
import type { RegulationProfile } from './types.js';

/**
 * 甲賀広域行政組合特定個人情報等管理規程 (seed 003, /work/shared/regulations/003_b0fa13baa938f6ca.txt).
 *
 * The catalogue is the text as given: it has no 第9条, 第12条, 第15条, 第17条, 第19条,
 * 第20条 or 第25条, 第21条 goes from its first 項 to 第3項 and 第38条 from 第2項 to 第4項.
 * An article the text does not have is not in the catalogue; the 項 count of an article
 * is its highest 項 number.
 *
 * The regulation has no 監査 and no 監査責任者: its review is the 点検 of 第30条, by the
 * 総括責任者 and the 事務取扱責任者, at least once a year.
 */
export const koka: RegulationProfile = {
  id: '003',
  organisation: '甲賀広域行政組合',
  regulation: '甲賀広域行政組合特定個人情報等管理規程',
  version: '003_b0fa13baa938f6ca',
  referenceStyle: 'article',
  // 第7章 組織及び体制. No 部 level, no deputy, no 監査補助者.
  roleTitles: {
    chiefManager: '総括責任者', // 第22条: 事務局長; 安全管理に関する承認 (第2項第1号), receives reports (第21条第3項第7号)
    // No 監査責任者 (see above): a deployment that audits as its practice names its own (lib/profiles/practices.ts).
    sectionManager: '事務取扱責任者', // 第21条第3項, 別表: the 課長 in charge of the 事務
    // No 保護担当者: the staff are the 事務取扱担当者 of each 事務 (第21条第1項, 別表).
    affairStaff: '事務取扱担当者', // 第21条第1項
  },
  // No 監査計画 in the regulation. Only where a deployment audits as its practice (`audits`) does
  // its 監査責任者 draft plans, approved by and reported to the 総括責任者 (第22条第2項第1号:
  // 安全管理に関する承認).
  plans: { draftedBy: 'auditLead', approvedBy: 'chiefManager', reportedTo: 'chiefManager' },
  // No audit, plan, approval, report or gate: lib/profiles/practices.ts adds them, as practice,
  // to a deployment that turns `audits` on.
  provisions: {
    review: { basis: 'regulation', article: '第30条' },
    overdueEscalation: { basis: 'practice' },
    // 第30条: 総括責任者及び事務取扱責任者が、少なくとも毎年1回、取扱状況を点検し…見直す.
    inspection: { basis: 'regulation', article: '第30条' },
    inspectionFrequency: { basis: 'regulation', article: '第30条' },
    contractor: { basis: 'regulation', article: '第26条' },
    // 第26条第2項: 再委託 needs the 組合's 許諾, and the 組合 supervises the 委託先's supervision.
    subcontracting: { basis: 'regulation', article: '第26条第2項' },
    subcontractPermission: { basis: 'regulation', article: '第26条第2項' },
    disposal: { basis: 'regulation', article: '第35条' },
    disposalRecord: { basis: 'regulation', article: '第35条第2項' },
    // 第35条第2項: 委託先が確実に削除又は廃棄したことについて、証明書等により確認する.
    disposalCompleteness: { basis: 'regulation', article: '第35条第2項' },
    incident: { basis: 'regulation', article: '第24条第2項' },
    incidentContainment: { basis: 'regulation', article: '第29条第1号' },
    incidentInvestigation: { basis: 'regulation', article: '第29条第2号' },
    incidentEscalation: { basis: 'regulation', article: '第24条第4項' },
    // 第24条第5項: a breach of the 訓令 found by the 総括責任者's inquiry goes to the 管理者 遅滞なく.
    incidentMayor: { basis: 'regulation', article: '第24条第5項' },
    incidentPrevention: { basis: 'regulation', article: '第29条第4号' },
    ppcReport: { basis: 'regulation', article: '第29条第7号' },
    subjectNotice: { basis: 'regulation', article: '第29条第5号' },
    incidentPublication: { basis: 'regulation', article: '第29条第6号' },
    // Closing a 事案 is the chief's, once prevention (and a required 確報) are recorded: practice.
    incidentClose: { basis: 'practice' },
    // 第21条第1項 and its 別表: the 組合 names the 事務取扱担当者 of each 事務 (no form).
    handlerDesignation: { basis: 'regulation', article: '第21条第1項' },
    // 第22条第2項第3号: the 総括責任者 plans (企画) the training of the 事務取扱担当者, which each
    // 事務取扱責任者 holds (第21条第3項第6号). The text asks nothing of those who missed it: giving
    // them another chance is the municipality's practice.
    handlerTraining: { basis: 'regulation', article: '第22条第2項第3号' },
    trainingPlan: { basis: 'regulation', article: '第22条第2項第3号' },
    trainingFollowUp: { basis: 'practice' },
  },
  practices: { audits: false, inspectionFrequency: 'yearly', disposalProof: 'certificate' },
  // 第24条第2項–第4項: the 職員 tells the 事務取扱責任者 (or the 総括責任者), who tells the 総括責任者
  // at once, so the 総括責任者, who acts under 第29条, has the task from the report on; 第29条: the 総括責任者 contains (第1号), investigates (第2号・第3号), prevents a
  // recurrence (第4号), contacts the people concerned (第5号), publishes (第6号) and reports to the
  // PPC (第7号); a breach of the 訓令 it finds goes to the 管理者 (第24条第5項: the report kansa
  // records as 首長への報告). No 情報提供 in the text. Closing is practice.
  staff: { handlerTerm: '事務取扱担当者', auditedBy: ['auditLead'] },
  training: { followUpTerm: '再受講の機会の付与', auditedBy: ['auditLead'] },
  incidents: {
    receivedBy: 'chiefManager',
    investigationTo: 'chiefManager',
    escalateTo: 'chiefManager',
    auditedBy: ['auditLead'],
    sharesPrevention: false,
    edit: ['sectionManager', 'chiefManager'],
    steps: {
      contain: { roles: ['chiefManager'], provision: 'incidentContainment' },
      investigate: { roles: ['chiefManager'], provision: 'incidentInvestigation' },
      escalate: { roles: ['sectionManager'], provision: 'incidentEscalation' },
      prevention: { roles: ['chiefManager'], provision: 'incidentPrevention' },
      ppcReport: { roles: ['chiefManager'], provision: 'ppcReport' },
      close: { roles: ['chiefManager'], provision: 'incidentClose' },
    },
    notices: {
      subjects: { roles: ['chiefManager'], provision: 'subjectNotice' },
      publication: { roles: ['chiefManager'], provision: 'incidentPublication' },
      mayor: { roles: ['chiefManager'], provision: 'incidentMayor' },
    },
    criteria: lawCriteria,
    clock: lawClock,
  },
  articles: [
    ...chapter('第1章 総則', [
      [1, '目的'],
      [2, '用語の定義'],
      [3, '組合の責務'],
    ]),
    ...chapter('第2章 特定個人情報等の取得', [
      [4, '利用目的の特定'],
      [5, '取得に際しての利用目的の通知等', 3],
      [6, '取得の制限', 2],
      [7, '個人番号の提供の求めの制限'],
      [8, '本人確認'],
    ]),
    ...chapter('第3章 特定個人情報等の利用', [
      [10, '利用目的外の利用の制限'],
      [11, '特定個人情報ファイルの作成の制限'],
    ]),
    ...chapter('第4章 特定個人情報等の保存', [
      [13, '特定個人情報等の保管'],
      [14, 'データ内容の正確性の確保'],
    ]),
    ...chapter('第5章 特定個人情報等の提供', [[16, '特定個人情報等の提供']]),
    ...chapter('第6章 特定個人情報等の削除・廃棄', [[18, '特定個人情報等の削除・廃棄']]),
    ...chapter('第7章 組織及び体制', [
      [21, '事務取扱担当者・事務取扱責任者', 3, [2]], // the text has 第1項 and 第3項 only
      [22, '総括責任者', 2],
      [23, '苦情対応'],
      [24, '職員の義務', 5],
    ]),
    // 第1節 総則 … 第5節 技術的安全管理措置
    ...chapter('第8章 安全管理措置', [
      [26, '委託先の監督', 2],
      [27, '特定個人情報等の取扱状況の記録'],
      [28, 'この訓令に基づく運用状況の記録'],
      [29, '情報漏えい等事案への対応'],
      [30, '取扱状況の把握及び安全管理措置の見直し'],
      [31, '職員の監督・教育'],
      [32, '特定個人情報等を取り扱う区域の管理'],
      [33, '機器及び電子媒体等の盗難等の防止'],
      [34, '電子媒体等を持ち出す場合の漏えい等の防止'],
      [35, '個人番号の削除、機器及び電子媒体等の廃棄', 2],
      [36, '技術的安全管理措置', 5],
    ]),
    ...chapter('第9章 特定個人情報等の開示、訂正等、利用停止等', [
      [37, '特定個人情報等の開示等', 3],
      [38, '特定個人情報等の訂正等', 4, [3]], // the text has 第1項, 第2項 and 第4項
      [39, '特定個人情報等の利用停止等', 2],
    ]),
    ...chapter('第10章 その他', [[40, '細則']]),
  ],
  // No 監査補助者: the whole regulation is the audit lead's.
  auditorScopes: [],
  duties: [
    // No 監査: no annual plan, unless a deployment audits as its practice.
    { duty: 'annual-plan', enabled: false, source: '運用上のルール', frequency: 'yearly', assignee: 'auditLead' },
    // 第30条 (少なくとも毎年1回) for the 点検; what to check is the 取扱状況 that 第27条 has
    // recorded, its nine items word for word.
    {
      duty: 'section-inspection',
      enabled: true,
      source: '第30条',
      frequency: 'yearly',
      assignee: 'sectionManager',
      checklist: [
        '特定個人情報ファイルの種類、名称',
        '対象者及び個人情報の項目',
        '明示、公表等を行った利用目的',
        '責任者、取扱部署',
        'アクセス権を有する者',
        '保管場所',
        '保管方法',
        '保存期間',
        '削除、廃棄状況',
      ],
    },
    // 第26条 requires 必要、かつ、適切な監督 of 委託先 (by the 事務取扱責任者, 第21条第3項第5号)
    // but sets no periodic check: disabled.
    { duty: 'contractor-check', enabled: false, source: '第26条', frequency: 'yearly', assignee: 'sectionManager' },
    // Overdue follow-up actions are the 監査's, and escalating them is practice: none without 監査.
    { duty: 'overdue-actions', enabled: false, source: '運用上のルール', frequency: 'daily', assignee: 'chiefManager' },
  ],
  inspections: {
    // 第30条: 総括責任者及び事務取扱責任者が…点検し、安全管理措置を見直す.
    jointWith: 'chiefManager',
    // 別表（第21条関係）, word for word. The text breaks off in row 2 after its 特定個人情報等の範囲:
    // it names no 事務取扱担当者 and no 事務取扱責任者 there, so row 2 decides no 課.
    affairs: [
      {
        row: 1,
        affair: '職員、その扶養親族等及び第3号被保険者に関する事務',
        items: [
          '源泉徴収に関する事務',
          '個人住民税に関する事務',
          '財産形成貯蓄関連の届出事務',
          '健康保険関連の届出事務',
          '厚生年金保険関連の届出事務',
          '雇用保険関連の届出事務',
          '労働者災害補償保険関連の届出事務',
          '団体保険関連の届出事務',
          '上記(1)から(8)に関連する事務',
        ],
        information: '職員の氏名、住所及び個人番号並びにその扶養親族等の氏名及び個人番号',
        staff: '総務課総務係及び出納係',
        manager: '総務課長',
      },
      {
        row: 2,
        affair: '報酬の支払先、不動産使用料に関する事務',
        items: [
          '給与所得の源泉徴取票作成事務',
          '報酬、料金、契約金及び賞金の支払調書作成事務',
          '不動産の使用料等、不動産等の譲受けの対価の支払調書作成事務',
          '上記(1)から(3)に関連する事務',
        ],
        information: '支払先の氏名、住所及び個人番号',
      },
    ],
  },
};
