import * as z from './zod.js';

/**
 * Role code names (Koriyama 第3条–第8条). Cognito groups carry exactly these names.
 * `affairStaff` is the 事務取扱担当者 (第3条第8号, 第8条): staff handling 特定個人情報, a post
 * of its own beside the 保護担当者 (第6条); in kansa both act for their own 課.
 */
export const roles = [
  'chiefManager',
  'deputyManager',
  'auditLead',
  'auditorDx',
  'auditorKoho',
  'deptHead',
  'sectionManager',
  'sectionStaff',
  'affairStaff',
] as const;

export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Japanese titles of the roles under the default profile (001). */
export const roleTitles: Record<Role, string> = {
  chiefManager: '総括保護管理者',
  deputyManager: '総括保護副管理者',
  auditLead: '監査責任者',
  auditorDx: '監査補助者（DX戦略課長）',
  auditorKoho: '監査補助者（広報広聴課長）',
  deptHead: '保護責任者',
  sectionManager: '保護管理者',
  sectionStaff: '保護担当者',
  affairStaff: '事務取扱担当者',
};

/** Who is acting: read from the verified token's claims, never from the body. */
export interface Actor {
  sub: string;
  name: string;
  roles: readonly Role[];
  /** 課 code (or 部 code for a 保護責任者). */
  department: string;
}

export const actorSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  name: z.string(),
  roles: z.array(roleSchema),
  department: z.string(),
});

/** A role's title without the post it names in brackets: 監査補助者（DX戦略課長） → 監査補助者. */
export function roleKind(title: string): string {
  return title.replace(/（[^）]*）$/, '');
}

export function hasRole(actor: Actor, ...wanted: Role[]): boolean {
  return actor.roles.some((r) => wanted.includes(r));
}

/** The roles of a plan's 監査実施体制 (team). */
export const teamRoles = ['auditLead', 'auditorDx', 'auditorKoho'] as const satisfies readonly Role[];
