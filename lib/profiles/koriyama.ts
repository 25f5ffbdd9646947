import type { RegulationProfile } from './types.js';

/** 郡山市保有個人情報等の取扱基準 (seed 001), the default profile. */
export const koriyama: RegulationProfile = {
  id: '001',
  organisation: '郡山市',
  regulation: '郡山市保有個人情報等の取扱基準',
  version: '001_0f77ee979364cb47',
  roleTitles: {
    chiefManager: '総括保護管理者',
    deputyManager: '総括保護副管理者',
    auditLead: '監査責任者',
    auditorDx: '監査補助者（DX戦略課長）',
    auditorKoho: '監査補助者（広報広聴課長）',
    deptHead: '保護責任者',
    sectionManager: '保護管理者',
    sectionStaff: '保護担当者',
  },
  // 第26条: 監査責任者 drafts the plan (様式第4号), 総括保護管理者 approves it.
  plans: { draftedBy: 'auditLead', approvedBy: 'chiefManager', source: '第26条' },
};
