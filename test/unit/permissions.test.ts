import { describe, expect, it } from 'vitest';
import { Forbidden } from '#lib/domain/errors.js';
import {
  type Action,
  type Resource,
  type ScopeOwner,
  actionRoles,
  authorize,
  canSeeDepartment,
  decide,
  readsEveryDepartment,
} from '#lib/domain/permissions.js';
import { type Actor, type Role, roles } from '#lib/domain/roles.js';
import type { ScopeId } from '#lib/domain/scopes.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { organisation } from './fakes.js';

const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

/**
 * Who may attempt each action, from DOMAIN.md and the API.md route table, written
 * out by hand (not read from actionRoles). Columns: the nine roles, then an actor
 * holding no role at all. The 事務取扱担当者 (affair) acts for their 課 as the 保護担当者 does. x = allowed, . = denied.
 */
const columns = [
  'chiefManager',
  'deputyManager',
  'auditLead',
  'auditorDx',
  'auditorKoho',
  'deptHead',
  'sectionManager',
  'sectionStaff',
  'affairStaff',
  'none',
] as const;
const matrix = `
                 chief deputy lead dx koho deptHead secMgr secStaff affair none
  me:read          x     x     x   x   x     x       x       x      x      x
  profile:read     x     x     x   x   x     x       x       x      x      x
  openapi:read     x     x     x   x   x     x       x       x      x      x
  plan:create      .     .     x   .   .     .       .       .      .      .
  plan:list        x     x     x   x   x     .       .       .      .      .
  plan:read        x     x     x   x   x     .       .       .      .      .
  plan:update      .     .     x   .   .     .       .       .      .      .
  plan:submit      .     .     x   .   .     .       .       .      .      .
  plan:approve     x     .     .   .   .     .       .       .      .      .
  plan:return      x     .     .   .   .     .       .       .      .      .
  plan:start       .     .     x   .   .     .       .       .      .      .
  plan:revise      .     .     x   .   .     .       .       .      .      .
  plan:report      .     .     x   .   .     .       .       .      .      .
  plan:close       x     .     .   .   .     .       .       .      .      .
  finding:create   .     .     x   x   x     .       .       .      .      .
  finding:list     x     x     x   x   x     x       x       .      .      .
  finding:read     x     x     x   x   x     x       x       .      .      .
  finding:update   .     .     x   x   x     .       .       .      .      .
  action:create    .     .     x   x   x     .       .       .      .      .
  action:list      x     x     x   x   x     x       x       x      x      .
  action:read      x     x     x   x   x     x       x       x      x      .
  action:work      .     .     .   .   .     .       x       x      x      .
  action:verify    .     .     x   x   x     .       .       .      .      .
  action:acceptRisk x    .     .   .   .     .       .       .      .      .
  evidence:create  .     .     x   x   x     .       x       x      x      .
  evidence:read    x     x     x   x   x     x       x       x      x      .
  disposal:create  .     .     x   .   .     .       x       x      x      .
  disposal:list    x     x     x   x   x     x       x       x      x      .
  disposal:read    x     x     x   x   x     x       x       x      x      .
  auditLog:read    x     x     x   .   .     .       .       .      .      .
  task:list        x     x     x   x   x     x       x       x      x      x
  task:read        x     x     x   x   x     x       x       x      x      .
  inspection:list  x     x     x   x   x     x       x       x      x      .
  inspection:read  x     x     x   x   x     x       x       x      x      .
  inspection:update .    .     .   .   .     .       x       x      x      .
  inspection:submit .    .     .   .   .     .       x       .      .      .
  inspection:review x    .     .   .   .     .       .       .      .      .
  contractor:create .    .     .   .   .     .       x       .      .      .
  contractor:list  x     x     x   x   x     x       x       x      x      .
  contractor:read  x     x     x   x   x     x       x       x      x      .
  contractor:update .    .     .   .   .     .       x       .      .      .
  contractorCheck:list x x     x   x   x     x       x       x      x      .
  contractorCheck:read x x     x   x   x     x       x       x      x      .
  contractorCheck:complete . . .   .   .     .       x       .      .      .
  incident:create  x     x     x   x   x     x       x       x      x      x
  incident:list    x     x     x   x   x     x       x       x      x      x
  incident:read    x     x     x   x   x     x       x       x      x      x
  incident:update  .     x     .   .   .     .       x       .      .      .
  incident:contain .     .     .   .   .     .       x       .      .      .
  incident:investigate . .     .   .   .     .       x       .      .      .
  incident:escalate .    x     .   .   .     .       .       .      .      .
  incident:prevention . .      .   .   .     .       x       .      .      .
  incident:acknowledge . .     .   .   .     .       x       .      .      .
  incident:ppcReport .   x     .   .   .     .       .       .      .      .
  incident:notice  x     x     .   .   .     .       .       .      .      .
  incident:close   x     .     .   .   .     .       .       .      .      .
  incident:review  x     x     x   .   x     .       .       .      .      .
  staff:create     .     .     .   .   .     .       x       .      .      .
  staff:update     .     .     .   .   .     .       x       .      .      .
  staff:import     .     .     .   .   .     .       x       .      .      .
  staff:list       x     x     x   x   x     x       x       x      x      .
  staff:read       x     x     x   x   x     x       x       x      x      .
  training:create  x     .     .   .   .     .       .       .      .      .
  training:update  x     .     .   .   .     .       .       .      .      .
  training:list    x     x     x   x   x     x       x       x      x      x
  training:read    x     x     x   x   x     x       x       x      x      x
  attendance:record x    .     .   .   .     .       x       .      .      .
  attendance:read  x     x     x   x   x     x       x       x      x      .
`;

const expected = new Map<Action, Map<(typeof columns)[number], boolean>>(
  matrix
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [action, ...cells] = line.trim().split(/\s+/);
      if (cells.length !== columns.length) throw new Error(`matrix row ${action} has ${cells.length} cells`);
      return [action as Action, new Map(columns.map((c, i) => [c, cells[i] === 'x']))];
    }),
);

const actorWith = (sub: string, ...r: Role[]): Actor => ({ sub, name: sub, roles: r, department: 'seisaku' });

describe('decide: every action for every single role and for no role', () => {
  it('the table lists every action and the columns every role', () => {
    expect([...expected.keys()].sort()).toEqual(Object.keys(actionRoles).sort());
    expect(columns.slice(0, -1)).toEqual([...roles]);
  });

  const cases = [...expected].flatMap(([action, row]) => [...row].map(([who, allowed]) => [action, who, allowed] as const));

  it.each(cases)('%s by %s → %s', (action, who, allowed) => {
    const actor = who === 'none' ? actorWith('nobody') : actorWith('someone', who);
    const d = decide(actor, action, undefined, koriyama);
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) {
      expect(d.reason).toMatch(japanese);
      expect(d.reason).toContain('のみが行えます');
    }
  });

  it('names the role that may do it when denying', () => {
    const d = decide(actorWith('x', 'auditLead'), 'plan:approve', undefined, koriyama);
    expect(d).toEqual({ allowed: false, reason: expect.stringContaining('総括保護管理者') });
    const e = decide(actorWith('x', 'chiefManager'), 'plan:create', undefined, koriyama);
    expect(e).toEqual({ allowed: false, reason: expect.stringContaining('監査責任者') });
  });

  it('a second role adds what it allows (政策開発部長: deputyManager + auditLead)', () => {
    const both = actorWith('seisaku-bucho', 'deputyManager', 'auditLead');
    expect(decide(both, 'plan:create', undefined, koriyama).allowed).toBe(true);
    expect(decide(both, 'auditLog:read', undefined, koriyama).allowed).toBe(true);
    expect(decide(both, 'plan:approve', undefined, koriyama).allowed).toBe(false);
  });
});

describe('decide: 職務の分離 on approving and returning a plan', () => {
  // One person holding both roles, so that the role check alone would let them through.
  const both = actorWith('me', 'chiefManager', 'auditLead');
  const others = { createdBy: 'lead-1', lastEditedBy: 'lead-2', submittedBy: 'lead-3' };
  const planResource = (plan: Extract<Resource, { type: 'plan' }>['plan']): Resource => ({ type: 'plan', plan });

  const cases = (['plan:approve', 'plan:return'] as const).flatMap((action) =>
    (['createdBy', 'lastEditedBy', 'submittedBy'] as const).map((field) => [action, field] as const),
  );

  it.each(cases)('%s is denied when %s is the actor', (action, field) => {
    const d = decide(both, action, planResource({ ...others, [field]: 'me' }), koriyama);
    expect(d.allowed).toBe(false);
    if (!d.allowed) {
      expect(d.reason).toContain('職務の分離');
      expect(d.reason).toContain(action === 'plan:approve' ? '承認' : '差戻し');
      expect(d.reason).toMatch(japanese);
    }
  });

  it.each(['plan:approve', 'plan:return'] as const)('%s is allowed when all three are other people', (action) => {
    expect(decide(both, action, planResource(others), koriyama)).toEqual({ allowed: true });
  });

  it.each(['plan:approve', 'plan:return'] as const)('%s is allowed on a plan not yet submitted by anyone', (action) => {
    expect(decide(both, action, planResource({ createdBy: 'lead-1', lastEditedBy: 'lead-1' }), koriyama)).toEqual({ allowed: true });
  });

  it('applies to a chiefManager without auditLead too (e.g. edited through another channel)', () => {
    const chief = actorWith('chief-1', 'chiefManager');
    const d = decide(chief, 'plan:approve', planResource({ ...others, lastEditedBy: 'chief-1' }), koriyama);
    expect(d).toEqual({ allowed: false, reason: expect.stringContaining('職務の分離') });
  });

  it.each(['plan:read', 'plan:update', 'plan:submit', 'plan:start', 'plan:revise'] as const)(
    '%s of their own plan stays allowed for its author',
    (action) => {
      expect(decide(both, action, planResource({ createdBy: 'me', lastEditedBy: 'me', submittedBy: 'me' }), koriyama)).toEqual({
        allowed: true,
      });
    },
  );

  it('the role check comes first: a plain auditor gets the role reason, not 職務の分離', () => {
    const d = decide(actorWith('me', 'auditorDx'), 'plan:approve', planResource({ ...others, createdBy: 'me' }), koriyama);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).not.toContain('職務の分離');
  });
});

describe('authorize', () => {
  it('returns quietly when allowed', () => {
    expect(() => authorize(actorWith('lead-1', 'auditLead'), 'plan:create', undefined, koriyama)).not.toThrow();
  });

  it('throws Forbidden (403) with the reason of decide when denied by role', () => {
    const actor = actorWith('staff-1', 'sectionStaff');
    const d = decide(actor, 'plan:read', undefined, koriyama);
    expect(d.allowed).toBe(false);
    let err: unknown;
    try {
      authorize(actor, 'plan:read', undefined, koriyama);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Forbidden);
    expect(err).toMatchObject({ kind: 'forbidden', code: 'forbidden', message: d.allowed ? undefined : d.reason });
  });

  it('throws Forbidden for 職務の分離', () => {
    const both = actorWith('me', 'chiefManager', 'auditLead');
    expect(() => authorize(both, 'plan:approve', { type: 'plan', plan: { createdBy: 'me', lastEditedBy: 'me' } }, koriyama)).toThrow(
      /職務の分離/,
    );
    expect(() => authorize(both, 'plan:approve', { type: 'plan', plan: { createdBy: 'me', lastEditedBy: 'me' } }, koriyama)).toThrow(
      Forbidden,
    );
  });
});

/**
 * The two 監査補助者 of 001 as the scope check sees them, written out from 第7条の2第3項
 * (lib/app/scope-owners.ts derives the same from the profile; scopes.test.ts checks that).
 */
const owners: ScopeOwner[] = [
  {
    scope: 'dx',
    role: 'auditorDx',
    title: '監査補助者（DX戦略課長）',
    articles: '第8条、第9条、第11条第1項及び第5項、第13条、第14条、第16条から第18条まで、第20条、第22条',
  },
  {
    scope: 'koho',
    role: 'auditorKoho',
    title: '監査補助者（広報広聴課長）',
    articles: '第3条から第7条の2まで、第10条、第11条（第1項及び第5項を除く）、第15条、第19条、第19条の2、第21条、第23条から第25条まで',
  },
];
const [dxOwner, kohoOwner] = owners as [ScopeOwner, ScopeOwner];

describe('decide: recording a finding inside an auditor scope (第7条の2第3項)', () => {
  const labelOf: Record<ScopeId, string> = { dx: '第17条の2', koho: '第23条', lead: '第26条' };
  const scopeResource = (scope: ScopeId): Resource => ({ type: 'scope', scope, articleLabel: labelOf[scope], owners });

  // [who, roles, dx, koho, lead]
  const table: [string, Role[], boolean, boolean, boolean][] = [
    ['auditorDx', ['auditorDx'], true, false, false],
    ['auditorKoho', ['auditorKoho'], false, true, false],
    ['auditLead', ['auditLead'], true, true, true],
    ['auditLead + deputyManager (政策開発部長)', ['auditLead', 'deputyManager'], true, true, true],
    ['auditorDx + sectionManager (DX戦略課長)', ['auditorDx', 'sectionManager'], true, false, false],
    ['auditorDx + auditorKoho', ['auditorDx', 'auditorKoho'], true, true, false],
  ];
  const cases = table.flatMap(([who, r, dx, koho, lead]) =>
    (
      [
        ['dx', dx],
        ['koho', koho],
        ['lead', lead],
      ] as const
    ).map(([scope, allowed]) => [who, r, scope, allowed] as const),
  );

  it.each(cases)('%s on a %s article → %s', (_who, r, scope, allowed) => {
    const d = decide(actorWith('a', ...r), 'finding:create', scopeResource(scope), koriyama);
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) {
      expect(d.reason).toContain(labelOf[scope]);
      expect(d.reason).toContain('第7条の2第3項');
    }
  });

  it('auditorDx on 第23条: names the 広報広聴 owner and the DX auditor’s own articles', () => {
    const d = decide(actorWith('dx-1', 'auditorDx'), 'finding:create', scopeResource('koho'), koriyama);
    expect(d).toEqual({
      allowed: false,
      reason: `第23条は監査補助者（広報広聴課長）の監査範囲です。監査補助者（DX戦略課長）の監査範囲は${dxOwner.articles}です（第7条の2第3項）。`,
    });
  });

  it('auditorKoho on 第17条の2: names the DX owner and the 広報広聴 auditor’s own articles', () => {
    const d = decide(actorWith('koho-1', 'auditorKoho'), 'finding:create', scopeResource('dx'), koriyama);
    expect(d.allowed).toBe(false);
    if (!d.allowed) {
      expect(d.reason).toContain('第17条の2は監査補助者（DX戦略課長）の監査範囲です');
      expect(d.reason).toContain(`監査補助者（広報広聴課長）の監査範囲は${kohoOwner.articles}`);
      expect(d.reason).toContain('第7条の2第3項');
    }
  });

  it('an article in no assistant’s scope says only the 監査責任者 may record on it', () => {
    const d = decide(actorWith('dx-1', 'auditorDx'), 'finding:create', scopeResource('lead'), koriyama);
    expect(d.allowed).toBe(false);
    if (!d.allowed) {
      expect(d.reason).toContain('第26条は監査補助者の監査範囲外で、監査責任者のみが監査所見を記録できる条項です');
      expect(d.reason).toContain(dxOwner.articles);
    }
  });

  it.each(['chiefManager', 'deptHead', 'sectionManager'] as const)('%s is refused by role before the scope is looked at', (r) => {
    const d = decide(actorWith('x', r), 'finding:create', scopeResource('lead'), koriyama);
    expect(d).toEqual({ allowed: false, reason: expect.stringContaining('のみが行えます') });
  });
});

describe('decide: what belongs to a 課 (department visibility)', () => {
  const departments = ['shimin', 'shiminzei', 'shimin-bu', 'seisaku', 'dx-senryaku', 'koho-kocho', 'unknown-ka'] as const;
  // [who, roles, department of the actor, then one cell per department above]
  const table: [string, Role[], string, string][] = [
    //                                                          shimin zei bu  seisaku dx koho unknown
    ['sectionManager of 市民課', ['sectionManager'], 'shimin', 'x . . . . . .'],
    ['sectionStaff of 市民課', ['sectionStaff'], 'shimin', 'x . . . . . .'],
    ['sectionStaff of 市民税課', ['sectionStaff'], 'shiminzei', '. x . . . . .'],
    ['affairStaff of 市民課', ['affairStaff'], 'shimin', 'x . . . . . .'],
    ['affairStaff of 市民税課', ['affairStaff'], 'shiminzei', '. x . . . . .'],
    ['deptHead of 市民部', ['deptHead'], 'shimin-bu', 'x x x . . . .'],
    ['deptHead of 政策開発部', ['deptHead'], 'seisaku-bu', '. . . x x x .'],
    ['chiefManager', ['chiefManager'], 'fukushicho', 'x x x x x x x'],
    ['deputyManager', ['deputyManager'], 'seisaku', 'x x x x x x x'],
    ['auditLead', ['auditLead'], 'seisaku', 'x x x x x x x'],
    ['auditorDx', ['auditorDx'], 'dx-senryaku', 'x x x x x x x'],
    ['auditorKoho', ['auditorKoho'], 'koho-kocho', 'x x x x x x x'],
    ['auditorDx + sectionManager (DX戦略課長)', ['auditorDx', 'sectionManager'], 'dx-senryaku', 'x x x x x x x'],
  ];
  const cases = table.flatMap(([who, r, dept, row]) => {
    const cells = row.split(' ');
    if (cells.length !== departments.length) throw new Error(`row ${who} has ${cells.length} cells`);
    return departments.map((d, i) => [who, r, dept, d, cells[i] === 'x'] as const);
  });

  it.each(cases)('%s (%s, in %s) reading %s → %s', (_who, r, dept, department, allowed) => {
    const a: Actor = { sub: 'a', name: 'a', roles: r, department: dept };
    expect(canSeeDepartment(a, department, organisation)).toBe(allowed);
    const d = decide(a, 'action:read', { type: 'department', department, organisation }, koriyama);
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) expect(d.reason).toContain('自分の所属する課');
  });

  it('readsEveryDepartment: auditors, 総括保護管理者 and 総括保護副管理者 only', () => {
    const readers = roles.filter((r) => readsEveryDepartment(actorWith('a', r)));
    expect(readers).toEqual(['chiefManager', 'deputyManager', 'auditLead', 'auditorDx', 'auditorKoho']);
    expect(readsEveryDepartment(actorWith('a'))).toBe(false);
  });

  it('a 保護担当者 may not read findings even of their own 課 (role first)', () => {
    const staff: Actor = { sub: 's', name: 's', roles: ['sectionStaff'], department: 'shimin' };
    const d = decide(staff, 'finding:read', { type: 'department', department: 'shimin', organisation }, koriyama);
    expect(d).toEqual({ allowed: false, reason: expect.stringContaining('のみが行えます') });
  });
});

describe('decide: changing a finding or adding an action to it', () => {
  const finding = (createdBy: string, scope: ScopeId): Resource => ({ type: 'finding', finding: { createdBy, scope }, owners });

  // [who, actor, finding author, finding scope, allowed]
  const table: [string, Actor, string, ScopeId, boolean][] = [
    ['its author (auditorDx)', actorWith('dx-1', 'auditorDx'), 'dx-1', 'dx', true],
    ['another holder of auditorDx', actorWith('dx-2', 'auditorDx'), 'dx-1', 'dx', true],
    ['auditLead, not the author', actorWith('lead-1', 'auditLead'), 'dx-1', 'dx', true],
    ['auditorKoho on a DX finding', actorWith('koho-1', 'auditorKoho'), 'dx-1', 'dx', false],
    ['auditorDx on a 広報広聴 finding', actorWith('dx-1', 'auditorDx'), 'koho-1', 'koho', false],
    ['its author (auditorKoho)', actorWith('koho-1', 'auditorKoho'), 'koho-1', 'koho', true],
    ['auditorDx on a finding of the 監査責任者', actorWith('dx-1', 'auditorDx'), 'lead-1', 'lead', false],
    ['auditorKoho on a finding of the 監査責任者', actorWith('koho-1', 'auditorKoho'), 'lead-1', 'lead', false],
    ['auditLead on a finding of the 監査責任者', actorWith('lead-2', 'auditLead'), 'lead-1', 'lead', true],
  ];
  const cases = (['finding:update', 'action:create'] as const).flatMap((action) => table.map((row) => [action, ...row] as const));

  it.each(cases)('%s by %s', (action, _who, a, author, scope, allowed) => {
    const d = decide(a, action, finding(author, scope), koriyama);
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) {
      expect(d.reason).toContain(action === 'finding:update' ? '監査所見を編集できるのは' : '改善措置を登録できるのは');
      expect(d.reason).toContain('監査責任者');
    }
  });

  it.each(['finding:update', 'action:create'] as const)('%s is refused by role to non-auditors, even the author', (action) => {
    const d = decide(actorWith('dx-1', 'sectionManager'), action, finding('dx-1', 'dx'), koriyama);
    expect(d).toEqual({ allowed: false, reason: expect.stringContaining('のみが行えます') });
  });
});

describe('decide: working on and verifying a follow-up action', () => {
  const action = (over: { department?: string; submittedBy?: string; createdBy?: string; scope?: ScopeId } = {}): Resource => ({
    type: 'action',
    action: {
      department: over.department ?? 'shimin',
      submittedBy: over.submittedBy,
      finding: { createdBy: over.createdBy ?? 'dx-1', scope: over.scope ?? 'dx' },
    },
    owners,
  });
  const person = (sub: string, department: string, ...r: Role[]): Actor => ({ sub, name: sub, roles: r, department });

  const work: [string, Actor, boolean][] = [
    ['sectionManager of the 課', person('m', 'shimin', 'sectionManager'), true],
    ['sectionStaff of the 課', person('s', 'shimin', 'sectionStaff'), true],
    ['sectionManager of another 課', person('m2', 'shiminzei', 'sectionManager'), false],
    ['sectionStaff of another 課', person('s2', 'shiminzei', 'sectionStaff'), false],
    ['affairStaff of the 課', person('a', 'shimin', 'affairStaff'), true],
    ['affairStaff of another 課', person('a2', 'shiminzei', 'affairStaff'), false],
    ['auditorDx + sectionManager of another 課', person('dx-1', 'dx-senryaku', 'auditorDx', 'sectionManager'), false],
  ];
  it.each(work)('action:work by %s', (_who, a, allowed) => {
    const d = decide(a, 'action:work', action(), koriyama);
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) expect(d.reason).toContain('措置を担当する課の保護管理者・保護担当者・事務取扱担当者のみ');
  });

  it.each([
    ['deptHead of the 部', person('h', 'shimin-bu', 'deptHead')],
    ['auditLead', person('lead-1', 'seisaku', 'auditLead')],
    ['chiefManager', person('chief-1', 'fukushicho', 'chiefManager')],
  ] as const)('action:work by %s is refused by role', (_who, a) => {
    expect(decide(a, 'action:work', action(), koriyama)).toEqual({ allowed: false, reason: expect.stringContaining('のみが行えます') });
  });

  // [who, actor, resource overrides, allowed, reason fragment]
  const verify: [string, Actor, Parameters<typeof action>[0], boolean, string?][] = [
    ['auditLead, not the submitter', person('lead-1', 'seisaku', 'auditLead'), { submittedBy: 'm' }, true],
    ['the finding’s author (auditorDx)', person('dx-1', 'dx-senryaku', 'auditorDx'), { submittedBy: 'm' }, true],
    ['another holder of the scope’s role', person('dx-2', 'dx-senryaku', 'auditorDx'), { submittedBy: 'm' }, true],
    [
      'auditorKoho on a DX finding',
      person('koho-1', 'koho-kocho', 'auditorKoho'),
      { submittedBy: 'm' },
      false,
      '監査責任者か、この監査所見の監査補助者',
    ],
    [
      'auditorDx on a finding of the 監査責任者',
      person('dx-1', 'dx-senryaku', 'auditorDx'),
      { submittedBy: 'm', createdBy: 'lead-1', scope: 'lead' },
      false,
      '監査責任者か',
    ],
    [
      'the submitter holding auditLead',
      person('both', 'shimin', 'auditLead', 'sectionManager'),
      { submittedBy: 'both' },
      false,
      '職務の分離',
    ],
    [
      'the submitter who is the finding’s auditor (DX戦略課長 on an action of DX戦略課)',
      person('dx-1', 'dx-senryaku', 'auditorDx', 'sectionManager'),
      { department: 'dx-senryaku', submittedBy: 'dx-1' },
      false,
      '職務の分離',
    ],
  ];
  it.each(verify)('action:verify by %s', (_who, a, over, allowed, fragment) => {
    const d = decide(a, 'action:verify', action(over), koriyama);
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) expect(d.reason).toContain(fragment);
  });

  it('職務の分離 holds even for an actor holding every role', () => {
    const everything = person('all', 'shimin', ...roles);
    expect(decide(everything, 'action:verify', action({ submittedBy: 'all' }), koriyama)).toEqual({
      allowed: false,
      reason: '自分が完了報告した改善措置は確認できません（職務の分離）。',
    });
    expect(decide(everything, 'action:verify', action({ submittedBy: 'someone-else' }), koriyama)).toEqual({ allowed: true });
  });

  it('only the 総括保護管理者 accepts a risk', () => {
    expect(decide(person('chief-1', 'fukushicho', 'chiefManager'), 'action:acceptRisk', action(), koriyama)).toEqual({ allowed: true });
    expect(decide(person('lead-1', 'seisaku', 'auditLead'), 'action:acceptRisk', action(), koriyama).allowed).toBe(false);
  });
});

describe('decide: a joint 点検 (003 第30条: 総括責任者及び事務取扱責任者が…点検し、…見直す)', () => {
  const chiefOf = actorWith('chief', 'chiefManager');
  const deputy = actorWith('deputy', 'deputyManager');
  const manager: Actor = { sub: 'm', name: 'm', roles: ['sectionManager'], department: 'shimin' };
  const of = (jointWith?: Role): Resource => ({ type: 'department', department: 'shimin', organisation, jointWith });
  const target = (jointWith?: Role): Resource => ({
    type: 'evidenceTarget',
    target: { type: 'inspection', department: 'shimin', jointWith },
    owners: [],
    organisation,
  });
  const review = (jointWith?: Role): Resource => ({
    type: 'inspectionReview',
    inspection: { submittedBy: 'chief', lastEditedBy: 'chief', jointWith },
  });

  it('its jointWith role fills in the checklist and attaches evidence; on any other 点検 it does neither', () => {
    expect(decide(chiefOf, 'inspection:update', of('chiefManager'), koka)).toEqual({ allowed: true });
    expect(decide(chiefOf, 'evidence:create', target('chiefManager'), koka)).toEqual({ allowed: true });
    expect(decide(chiefOf, 'inspection:update', of(), koriyama).allowed).toBe(false);
    expect(decide(chiefOf, 'evidence:create', target(), koriyama).allowed).toBe(false);
    // Without a resource the role alone decides, as before: the chief is no section role.
    expect(decide(chiefOf, 'inspection:update', undefined, koka).allowed).toBe(false);
  });

  it('submitting stays the 課’s; others are refused, naming both owners', () => {
    expect(decide(chiefOf, 'inspection:submit', of('chiefManager'), koka).allowed).toBe(false);
    expect(decide(manager, 'inspection:update', of('chiefManager'), koka)).toEqual({ allowed: true });
    expect(decide(deputy, 'inspection:update', of('chiefManager'), koka)).toEqual({
      allowed: false,
      reason: '点検結果の記入は事務取扱責任者、事務取扱担当者、総括責任者のみが行えます。',
    });
    const elsewhere: Actor = { ...manager, department: 'shiminzei' };
    expect(decide(elsewhere, 'inspection:update', of('chiefManager'), koka)).toEqual({
      allowed: false,
      reason: '点検結果の記入は、その課の事務取扱責任者・事務取扱担当者か、総括責任者のみが行えます（第30条）。',
    });
    expect(decide(deputy, 'evidence:create', target('chiefManager'), koka).allowed).toBe(false);
  });

  it('its 見直し is recorded by the jointWith role that filled it in; a reported 点検 keeps 職務の分離', () => {
    expect(decide(chiefOf, 'inspection:review', review('chiefManager'), koka)).toEqual({ allowed: true });
    expect(decide(chiefOf, 'inspection:review', review(), koriyama)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('職務の分離'),
    });
    expect(decide(manager, 'inspection:review', review('chiefManager'), koka).allowed).toBe(false);
  });
});
