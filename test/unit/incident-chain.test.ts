import { describe, expect, it } from 'vitest';
import type { NoticeKind } from '#lib/domain/incident.js';
import { type Action, type Resource, decide } from '#lib/domain/permissions.js';
import { type Actor, type Role, roles } from '#lib/domain/roles.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { kuki } from '#lib/profiles/kuki.js';
import { nara } from '#lib/profiles/nara.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import { organisation } from './fakes.js';

/**
 * Who takes each step of a 事案 under each regulation, written out by hand from the texts
 * (001 第23条–第25条, 002 第9, 003 第24条・第29条, 004 第39条–第41条), not read from the
 * profiles: a change of a profile's chain that the text does not support fails here.
 */
type Step = 'update' | 'contain' | 'investigate' | 'escalate' | 'prevention' | 'ppcReport' | 'close';
const chains: Record<string, { profile: RegulationProfile; steps: Record<Step, Role[]>; notices: Partial<Record<NoticeKind, Role[]>> }> = {
  '001': {
    profile: koriyama,
    steps: {
      update: ['sectionManager', 'deputyManager'],
      contain: ['sectionManager'], // 第23条第2項
      investigate: ['sectionManager'], // 第23条第3項
      escalate: ['deputyManager'], // 第23条第3項ただし書
      prevention: ['sectionManager'], // 第23条第5項
      ppcReport: ['deputyManager'], // 第24条
      close: ['chiefManager'],
    },
    // 第24条 (本人への通知), 第23条第4項 (市長), 第25条第1項 (公表), 第25条第2項 (情報提供)
    notices: { subjects: ['deputyManager'], mayor: ['chiefManager'], publication: ['chiefManager'], ppcInformation: ['chiefManager'] },
  },
  '002': {
    profile: nara,
    steps: {
      update: ['sectionManager'],
      contain: ['sectionManager'], // 第9の2
      investigate: ['sectionManager'], // 第9の3
      escalate: ['sectionManager'], // 第9の3ただし書
      prevention: ['sectionManager'], // 第9の4
      ppcReport: ['sectionManager'], // 第9の3: 特定個人情報保護責任者 reports to the PPC
      close: ['chiefManager'],
    },
    notices: { subjects: ['sectionManager'], publication: ['sectionManager'] }, // 第9の7
  },
  '003': {
    profile: koka,
    steps: {
      update: ['sectionManager', 'chiefManager'],
      contain: ['chiefManager'], // 第29条第1号
      investigate: ['chiefManager'], // 第29条第2号・第3号
      escalate: ['sectionManager'], // 第24条第4項
      prevention: ['chiefManager'], // 第29条第4号
      ppcReport: ['chiefManager'], // 第29条第7号
      close: ['chiefManager'],
    },
    // 第29条第5号・第6号; 第24条第5項: the 総括責任者 reports a breach of the 訓令 to the 管理者.
    notices: { subjects: ['chiefManager'], publication: ['chiefManager'], mayor: ['chiefManager'] },
  },
  '004': {
    profile: kuki,
    steps: {
      update: ['sectionManager', 'chiefManager'],
      contain: ['sectionManager'], // 第39条第2項
      investigate: ['sectionManager'], // 第39条第3項
      escalate: ['sectionManager'], // 第39条第3項ただし書
      prevention: ['sectionManager'], // 第39条第5項
      ppcReport: ['chiefManager'], // 第40条 names nobody: the 総括保護管理者
      close: ['chiefManager'],
    },
    notices: { subjects: ['chiefManager'], mayor: ['chiefManager'], publication: ['chiefManager'], ppcInformation: ['chiefManager'] },
  },
};

const actor = (role: Role | undefined, department = 'shimin', sub = 'someone'): Actor => ({
  sub,
  name: sub,
  roles: role ? [role] : [],
  department,
});
const incident = (notice?: NoticeKind): Resource => ({
  type: 'incident',
  incident: { department: 'shimin', createdBy: 'reporter', sharing: [{ department: 'shiminzei' }] },
  organisation,
  ...(notice ? { notice } : {}),
});
const departmentBound: readonly Role[] = ['deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'];

describe.each(Object.entries(chains))('the chain of %s', (_id, { profile, steps, notices }) => {
  it.each(Object.entries(steps) as [Step, Role[]][])('%s: only the roles the text names, for the 事案’s own 課', (step, allowed) => {
    const action = `incident:${step}` as Action;
    for (const role of roles) {
      const own = decide(actor(role), action, incident(), profile);
      expect(own.allowed, `${role} on its own 課`).toBe(allowed.includes(role) && profile.roleTitles[role] !== undefined);
      if (departmentBound.includes(role)) expect(decide(actor(role, 'seisaku'), action, incident(), profile).allowed).toBe(false);
    }
    expect(decide(actor(undefined), action, incident(), profile).allowed).toBe(false);
  });

  it('offers only the notices the text has, each to its own role', () => {
    for (const kind of ['subjects', 'publication', 'mayor', 'ppcInformation'] as const) {
      for (const role of roles) {
        const d = decide(actor(role), 'incident:notice', incident(kind), profile);
        expect(d.allowed, `${kind} by ${role}`).toBe(notices[kind]?.includes(role) ?? false);
      }
    }
  });

  it('refusals name the regulation’s own titles and cite its own rule', () => {
    const d = decide(actor('sectionStaff'), 'incident:contain', incident(), profile);
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    const titles = steps.contain.map((r) => profile.roleTitles[r]).filter((t): t is string => t !== undefined);
    for (const t of titles) expect(d.reason).toContain(t);
    const other = decide(actor(steps.contain[0], 'seisaku'), 'incident:contain', incident(), profile);
    if (departmentBound.includes(steps.contain[0]!)) {
      expect(other.allowed).toBe(false);
      if (!other.allowed)
        expect(other.reason).toContain(
          `（${profile.provisions.incidentContainment?.basis === 'regulation' ? profile.provisions.incidentContainment.article : ''}）`,
        );
    }
  });

  it('reads: the 課, its 部長, every-課 readers, the reporter and the 課 it was shared with; nobody else', () => {
    const reads = (a: Actor) => decide(a, 'incident:read', incident(), profile).allowed;
    expect(reads(actor('sectionStaff'))).toBe(true);
    expect(reads(actor('deptHead', 'shimin-bu'))).toBe(true);
    expect(reads(actor('chiefManager', 'somu'))).toBe(true);
    expect(reads(actor(undefined, 'shimin', 'reporter'))).toBe(true);
    expect(reads(actor('sectionManager', 'shiminzei'))).toBe(true);
    expect(reads(actor(undefined, 'shimin'))).toBe(false);
    expect(reads(actor('sectionStaff', 'seisaku'))).toBe(false);
    expect(reads(actor('deptHead', 'seisaku-bu'))).toBe(false);
  });

  it('the shared 課’s 保護管理者 acknowledges; its staff and other 課 do not', () => {
    expect(decide(actor('sectionManager', 'shiminzei'), 'incident:acknowledge', incident(), profile).allowed).toBe(true);
    expect(decide(actor('sectionStaff', 'shiminzei'), 'incident:acknowledge', incident(), profile).allowed).toBe(false);
    expect(decide(actor('sectionManager', 'seisaku'), 'incident:acknowledge', incident(), profile).allowed).toBe(false);
  });

  it('anyone with a 課 may report, with or without a role', () => {
    expect(decide(actor(undefined), 'incident:create', undefined, profile).allowed).toBe(true);
  });
});
