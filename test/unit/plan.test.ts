import { describe, expect, it } from 'vitest';
import { Conflict } from '#lib/domain/errors.js';
import {
  type PlanStatus,
  type PlanTransition,
  assertEditable,
  assertRevisable,
  createPlanSchema,
  nextStatus,
  planStatusLabels,
  planStatuses,
  updatePlanSchema,
} from '#lib/domain/plan.js';
// The app sets zod's Japanese locale where requests are parsed; the schemas' built-in
// messages (unknown keys, missing objects) are Japanese only with it.
import '#lib/http/request.js';

const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** The labels users see, written out here rather than read from the module. */
const labels: Record<PlanStatus, string> = {
  draft: '起案中',
  submitted: '承認待ち',
  returned: '差戻し',
  approved: '承認済み',
  inProgress: '監査実施中',
  reported: '報告済み',
  closed: '完了',
};

/** Every transition; a Record so the compiler fails when one is added and not listed here. */
const allTransitions = Object.keys({
  submit: true,
  approve: true,
  return: true,
  start: true,
  report: true,
  close: true,
} satisfies Record<PlanTransition, true>) as PlanTransition[];

/** DOMAIN.md: draft → submitted → approved → inProgress → reported → closed; submitted → returned → submitted. */
const allowed: Partial<Record<`${PlanStatus}:${PlanTransition}`, PlanStatus>> = {
  'draft:submit': 'submitted',
  'returned:submit': 'submitted',
  'submitted:approve': 'approved',
  'submitted:return': 'returned',
  'approved:start': 'inProgress',
  'inProgress:report': 'reported',
  'reported:close': 'closed',
};

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('planStatusLabels', () => {
  it('labels every status in Japanese', () => {
    expect(planStatusLabels).toEqual(labels);
  });
});

describe('nextStatus: every (status, transition) pair', () => {
  const pairs = planStatuses.flatMap((status) => allTransitions.map((t) => [status, t] as const));

  it('covers the full cross product', () => {
    expect(pairs).toHaveLength(7 * 6);
  });

  it.each(pairs)('%s + %s', (status, t) => {
    const to = allowed[`${status}:${t}`];
    if (to) {
      expect(nextStatus({ status }, t)).toBe(to);
      return;
    }
    const err = caught(() => nextStatus({ status }, t));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ kind: 'conflict', code: 'illegal-transition' });
    expect((err as Conflict).message).toContain(`「${labels[status]}」`);
    expect((err as Conflict).message).toMatch(japanese);
  });

  it('refuses to start an approved plan that a revision has superseded', () => {
    const err = caught(() => nextStatus({ status: 'approved', supersededBy: '01KANSA0000000000000000002' }, 'start'));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'plan-superseded' });
    expect((err as Conflict).message).toContain('改訂版');
  });

  it('refuses to start an approved plan while a revision of it is pending', () => {
    const err = caught(() => nextStatus({ status: 'approved', pendingRevisionId: '01KANSA0000000000000000002' }, 'start'));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'revision-pending' });
    expect((err as Conflict).message).toContain('改訂版');
  });
});

describe('assertEditable', () => {
  it.each(['draft', 'returned'] as const)('%s may be edited', (status) => {
    expect(() => assertEditable({ status })).not.toThrow();
  });

  it.each(['approved', 'inProgress', 'reported', 'closed'] as const)('%s is frozen: a change needs a 改訂版', (status) => {
    const err = caught(() => assertEditable({ status }));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'plan-frozen' });
    expect((err as Conflict).message).toContain('改訂版');
    expect((err as Conflict).message).toContain(labels[status]);
  });

  it('submitted may not be edited (waiting for approval)', () => {
    const err = caught(() => assertEditable({ status: 'submitted' }));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'plan-not-editable' });
    expect((err as Conflict).message).toContain(labels.submitted);
  });

  it('covers every status', () => {
    const tried = ['draft', 'returned', 'approved', 'inProgress', 'reported', 'closed', 'submitted'];
    expect([...tried].sort()).toEqual([...planStatuses].sort());
  });
});

describe('assertRevisable', () => {
  it('an approved plan with no open revision may be revised', () => {
    expect(() => assertRevisable({ status: 'approved' })).not.toThrow();
  });

  it.each(planStatuses.filter((s) => s !== 'approved'))('%s may not be revised', (status) => {
    const err = caught(() => assertRevisable({ status }));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'plan-not-revisable' });
    expect((err as Conflict).message).toContain(labels[status]);
  });

  it.each([
    ['supersededBy', { supersededBy: '01KANSA0000000000000000009' }, 'plan-superseded'],
    ['pendingRevisionId', { pendingRevisionId: '01KANSA0000000000000000009' }, 'revision-pending'],
  ] as const)('an approved plan with %s may not be revised again', (_field, extra, code) => {
    const err = caught(() => assertRevisable({ status: 'approved', ...extra }));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code });
    expect((err as Conflict).message).toMatch(japanese);
  });
});

/** The example body of API.md (POST /plans), with real-looking 課 codes. */
const apiExample = {
  fiscalYear: 2026,
  purpose: '保有個人情報等の適切な管理を検証する',
  scope: '第2章から第7章までに規定する措置の実施状況',
  auditedDepartments: ['dx-senryaku', 'koho-kocho'],
  methods: ['document', 'onSite'],
  schedule: { from: '2026-10-01', to: '2026-11-30' },
  team: [
    { role: 'auditLead', userId: 'lead-1' },
    { role: 'auditorDx', userId: 'dx-1' },
    { role: 'auditorKoho', userId: 'koho-1' },
  ],
  criteria: '郡山市保有個人情報等の取扱基準',
};

type Body = Record<string, unknown>;
const without = (key: string): Body => Object.fromEntries(Object.entries(apiExample).filter(([k]) => k !== key));
const withBody = (patch: Body): Body => ({ ...apiExample, ...patch });

describe('createPlanSchema', () => {
  it('accepts the API.md example as it is', () => {
    expect(createPlanSchema.parse(apiExample)).toEqual(apiExample);
  });

  it.each([
    ['team and criteria omitted', { team: undefined, criteria: undefined }, { team: [] }],
    ['a 年度 from its first to its last day', { schedule: { from: '2026-04-01', to: '2027-03-31' } }, {}],
    ['a one-day schedule', { schedule: { from: '2026-10-01', to: '2026-10-01' } }, {}],
    [
      'per-department dates inside the schedule',
      {
        schedule: {
          from: '2026-10-01',
          to: '2026-11-30',
          byDepartment: [{ department: 'dx-senryaku', from: '2026-10-01', to: '2026-10-02' }],
        },
      },
      {},
    ],
    ['text is trimmed', { purpose: '  監査目的  ' }, { purpose: '監査目的' }],
    ['all three methods', { methods: ['document', 'onSite', 'external'] }, {}],
  ])('accepts %s', (_name, patch, expected) => {
    const body = Object.fromEntries(Object.entries(withBody(patch)).filter(([, v]) => v !== undefined));
    const r = createPlanSchema.safeParse(body);
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject(expected);
  });

  it.each<[string, Body, string, string?]>([
    ['fiscalYear missing', without('fiscalYear'), 'fiscalYear'],
    ['purpose missing', without('purpose'), 'purpose'],
    ['scope missing', without('scope'), 'scope'],
    ['auditedDepartments missing', without('auditedDepartments'), 'auditedDepartments'],
    ['methods missing', without('methods'), 'methods'],
    ['schedule missing', without('schedule'), 'schedule'],
    ['fiscalYear a string', withBody({ fiscalYear: '2026' }), 'fiscalYear'],
    ['fiscalYear not an integer', withBody({ fiscalYear: 2026.5 }), 'fiscalYear'],
    ['fiscalYear out of range', withBody({ fiscalYear: 1999 }), 'fiscalYear'],
    ['purpose blank', withBody({ purpose: '   ' }), 'purpose', '監査目的を入力してください。'],
    ['purpose too long', withBody({ purpose: 'あ'.repeat(2001) }), 'purpose'],
    ['auditedDepartments empty', withBody({ auditedDepartments: [] }), 'auditedDepartments', '被監査部門を1つ以上指定してください。'],
    [
      'auditedDepartments duplicated',
      withBody({ auditedDepartments: ['dx-senryaku', 'dx-senryaku'] }),
      'auditedDepartments',
      '被監査部門が重複しています。',
    ],
    ['a department code with a space', withBody({ auditedDepartments: ['dx senryaku'] }), 'auditedDepartments.0'],
    ['an unknown method', withBody({ methods: ['document', 'interview'] }), 'methods.1'],
    ['methods empty', withBody({ methods: [] }), 'methods'],
    ['methods duplicated', withBody({ methods: ['document', 'document'] }), 'methods', '監査方法が重複しています。'],
    ['schedule from after to', withBody({ schedule: { from: '2026-11-30', to: '2026-10-01' } }), 'schedule.to'],
    [
      'schedule starting before the 年度',
      withBody({ schedule: { from: '2026-03-31', to: '2026-10-01' } }),
      'schedule',
      '監査実施日程は計画の年度（4月1日〜翌年3月31日）の範囲内にしてください。',
    ],
    ['schedule ending after the 年度', withBody({ schedule: { from: '2027-03-01', to: '2027-04-01' } }), 'schedule'],
    ['schedule of another 年度', withBody({ fiscalYear: 2025 }), 'schedule'],
    ['schedule with a date that does not exist', withBody({ schedule: { from: '2026-02-29', to: '2026-10-01' } }), 'schedule.from'],
    ['schedule with a date in another format', withBody({ schedule: { from: '2026/10/01', to: '2026-10-02' } }), 'schedule.from'],
    [
      'per-department dates outside the schedule',
      withBody({
        schedule: {
          from: '2026-10-01',
          to: '2026-11-30',
          byDepartment: [{ department: 'dx-senryaku', from: '2026-09-30', to: '2026-10-02' }],
        },
      }),
      'schedule.byDepartment',
    ],
    ['an unknown key in schedule', withBody({ schedule: { from: '2026-10-01', to: '2026-11-30', note: 'x' } }), 'schedule'],
    ['a team role that is not an audit role', withBody({ team: [{ role: 'chiefManager', userId: 'chief-1' }] }), 'team.0.role'],
    ['a team member without userId', withBody({ team: [{ role: 'auditLead' }] }), 'team.0.userId'],
    ['an unknown top-level key', withBody({ status: 'approved' }), ''],
    ['server-owned fields in the body', withBody({ createdBy: 'someone-else' }), ''],
  ])('rejects %s', (_name, body, path, message) => {
    const r = createPlanSchema.safeParse(body);
    expect(r.success).toBe(false);
    const issues = r.error?.issues ?? [];
    const atPath = issues.filter((i) => i.path.join('.') === path);
    expect(atPath, JSON.stringify(issues)).not.toHaveLength(0);
    if (message) expect(atPath.map((i) => i.message)).toContain(message);
    for (const i of issues) expect(i.message).toMatch(japanese);
  });

  it('rejects something that is not an object', () => {
    for (const body of [null, [], 'plan', 42]) {
      const r = createPlanSchema.safeParse(body);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(japanese);
    }
  });
});

describe('updatePlanSchema', () => {
  it('rejects an empty object: nothing to change', () => {
    const r = updatePlanSchema.safeParse({});
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual(['変更する項目を1つ以上指定してください。']);
  });

  it.each<[string, Body]>([
    ['purpose only', { purpose: '目的を改めた' }],
    ['schedule only', { schedule: { from: '2026-12-01', to: '2026-12-20' } }],
    ['an empty team', { team: [] }],
    ['methods and departments', { methods: ['external'], auditedDepartments: ['soumu'] }],
  ])('accepts a partial body: %s', (_name, body) => {
    const r = updatePlanSchema.safeParse(body);
    expect(r.success).toBe(true);
    // Omitted fields stay omitted (no defaults filled in that would overwrite the plan).
    expect(r.data).toEqual(body);
  });

  it.each<[string, Body, string]>([
    ['an unknown key', { purpose: 'x', status: 'approved' }, ''],
    ['schedule from after to', { schedule: { from: '2026-12-20', to: '2026-12-01' } }, 'schedule.to'],
    ['empty auditedDepartments', { auditedDepartments: [] }, 'auditedDepartments'],
    ['a blank purpose', { purpose: ' ' }, 'purpose'],
  ])('rejects %s', (_name, body, path) => {
    const r = updatePlanSchema.safeParse(body);
    expect(r.success).toBe(false);
    const issues = r.error?.issues ?? [];
    expect(issues.map((i) => i.path.join('.'))).toContain(path);
    for (const i of issues) expect(i.message).toMatch(japanese);
  });
});
