import type { Department } from '#lib/domain/organisation.js';
import { type Role, roleKind } from '#lib/domain/roles.js';
import { defaultProfileId, type RegulationProfile } from '#lib/profiles/index.js';
import { practicesSchema, practisedProfile } from '#lib/profiles/practices.js';

/**
 * Demo users of the local runtime: a small 郡山市 with every role of DOMAIN.md.
 * In AWS the same people are Cognito users whose groups are the role code names.
 */
export interface DemoUser {
  id: string;
  name: string;
  /** The post (職), e.g. 副市長; the roles are named in the active regulation's words by {@link demoTitle}. */
  post: string;
  roles: Role[];
  /** 課 code (部 code for a 保護責任者). */
  department: string;
}

/** 部 and 課 of the demo organisation (codes are data, not part of the product); a 部 names itself as division. */
export const demoDepartments: readonly Department[] = [
  { code: 'vice-mayor-office', name: '副市長室', division: 'policy-development' },
  { code: 'policy-development', name: '政策開発部', division: 'policy-development' },
  { code: 'policy-planning', name: '政策開発課', division: 'policy-development' },
  { code: 'dx-strategy', name: 'DX戦略課', division: 'policy-development' },
  { code: 'public-relations', name: '広報広聴課', division: 'policy-development' },
  { code: 'citizen-affairs', name: '市民部', division: 'citizen-affairs' },
  { code: 'citizens', name: '市民課', division: 'citizen-affairs' },
  { code: 'resident-tax', name: '市民税課', division: 'citizen-affairs' },
  // 総務課: the 課 of the 事務取扱責任者 (総務課長) that 003's 別表 names, so that its 点検 opens.
  { code: 'general-administration', name: '総務部', division: 'general-administration' },
  { code: 'general-affairs', name: '総務課', division: 'general-administration' },
];

export const demoUsers: readonly DemoUser[] = [
  { id: 'vice-mayor', name: '郡山 一郎', post: '副市長', roles: ['chiefManager'], department: 'vice-mayor-office' },
  {
    id: 'policy-director',
    name: '安積 花子',
    post: '政策開発部長',
    roles: ['auditLead', 'deputyManager'],
    department: 'policy-planning',
  },
  {
    id: 'dx-manager',
    name: '逢瀬 健',
    post: 'DX戦略課長',
    roles: ['auditorDx', 'sectionManager'],
    department: 'dx-strategy',
  },
  {
    id: 'pr-manager',
    name: '熱海 明美',
    post: '広報広聴課長',
    roles: ['auditorKoho', 'sectionManager'],
    department: 'public-relations',
  },
  { id: 'citizen-director', name: '田村 誠', post: '市民部長', roles: ['deptHead'], department: 'citizen-affairs' },
  { id: 'citizens-manager', name: '富田 由紀', post: '市民課長', roles: ['sectionManager'], department: 'citizens' },
  { id: 'citizens-staff', name: '大槻 翔', post: '市民課 主任', roles: ['sectionStaff'], department: 'citizens' },
  { id: 'tax-manager', name: '片平 直樹', post: '市民税課長', roles: ['sectionManager'], department: 'resident-tax' },
  { id: 'tax-staff', name: '日和田 葵', post: '市民税課 主事', roles: ['affairStaff'], department: 'resident-tax' },
  { id: 'general-manager', name: '三穂田 聡', post: '総務課長', roles: ['sectionManager'], department: 'general-affairs' },
  { id: 'clerk', name: '喜久田 守', post: '市民課 会計年度任用職員', roles: [], department: 'citizens' },
];

/**
 * The post and the roles under the active regulation: 「副市長（総括保護管理者）」 under 001,
 * 「副市長（総括責任者）」 under 003. An assistant auditor's title loses its own post
 * (監査補助者（DX戦略課長） → 監査補助者); roles the regulation lacks are left out.
 */
export function demoTitle(user: DemoUser, roleTitles: Partial<Record<Role, string>>): string {
  const names = [...new Set(user.roles.flatMap((r) => (roleTitles[r] ? [roleKind(roleTitles[r])] : [])))];
  return `${user.post}（${names.join('・') || '監査上の役割なし'}）`;
}

export function demoUser(id: string): DemoUser | undefined {
  return demoUsers.find((u) => u.id === id);
}

/** The one password of every demo user at the local sign-in page (printed by `npm start`). */
export const demoPassword = 'kansa-demo';

/** The regulation the local runtime runs under, as practised: PROFILE_ID and PRACTICES_JSON of the environment. */
export function localProfile(): RegulationProfile {
  return practisedProfile(
    process.env.PROFILE_ID ?? defaultProfileId,
    practicesSchema.parse(JSON.parse(process.env.PRACTICES_JSON ?? '{}')),
  );
}
