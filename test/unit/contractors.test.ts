import { describe, expect, it } from 'vitest';
import { completeContractorCheck, createContractor, updateContractor } from '#lib/app/contractors.js';
import {
  type Subcontractor,
  assertRemoteReason,
  checkCitation,
  completeContractorCheckSchema,
  createContractorSchema,
  maxSubcontractors,
  permissionRequired,
  subcontractorChecksOf,
  subcontractorsOf,
  updateContractorSchema,
} from '#lib/domain/contractor.js';
import { InvalidInput } from '#lib/domain/errors.js';
import { getProfile } from '#lib/profiles/index.js';
import { type FakeDeps, fakeDeps, shiminManager } from './fakes.js';

/**
 * 委託先 as each regulation writes it: 001 第22条 (第4項 yearly, 原則として実地検査; 第5項
 * 再委託先 checked 委託先を通じて又は委託元自ら; 第9項 諾否), 002 第8の5 (年1回以上の定期的検査等,
 * no 実地検査 rule), 第8の7, 第8の8, 003 第26条第2項 (再委託には組合の許諾; no yearly
 * check), 004 第36条第3項 and 第4項 (第1項第2号: 事前承認等 in the contract).
 */

const provisionsOf = (id: string) => getProfile(id).provisions;

/** The articles a message cites (「第22条第4項」, 「第8の5」). */
const articlesIn = (text: string) => text.match(/第[0-9０-９]+(?:条(?:の[0-9]+)?(?:第[0-9]+項)?|の[0-9]+)/g) ?? [];

/** The 400 `fn` throws. */
function invalid(fn: () => unknown): InvalidInput {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidInput) return err;
    throw err;
  }
  throw new Error('expected an InvalidInput');
}

const sub = (over: Partial<Subcontractor> = {}) => ({ name: '株式会社△△', handles: 'データ入力', ...over });

describe('the yearly check cites the regulation in force', () => {
  it.each([
    ['001', '（第22条第4項: 原則として実地検査）'],
    ['002', '（第8の5）'],
    ['003', ''],
    ['004', '（第36条第3項: 原則として実地検査）'],
  ])('%s: %s', (id, citation) => {
    expect(checkCitation(provisionsOf(id))).toBe(citation);
  });
});

describe('実地検査によらない理由: only where the regulation says 原則として実地検査', () => {
  const remote = { method: 'remote' as const, remoteReason: undefined };

  it('the schema no longer decides it (it depends on the profile)', () => {
    const body = { method: 'remote', checkedOn: '2027-06-01', result: 'compliant' };
    expect(completeContractorCheckSchema.safeParse(body).success).toBe(true);
    expect(completeContractorCheckSchema.safeParse({ ...body, result: 'issues' }).success).toBe(false);
  });

  it.each([
    ['001', '第22条第4項'],
    ['004', '第36条第3項'],
  ])('%s asks for it, citing %s', (id, article) => {
    const err = invalid(() => assertRemoteReason(provisionsOf(id), remote));
    expect(err.errors.map((e) => e.path)).toEqual(['remoteReason']);
    expect(err.message).toContain(`（${article}: 原則として実地検査）`);
    expect(articlesIn(err.message)).toEqual([article]);
    expect(() => assertRemoteReason(provisionsOf(id), { method: 'remote', remoteReason: '県外のため映像で確認' })).not.toThrow();
    expect(() => assertRemoteReason(provisionsOf(id), { method: 'onSite', remoteReason: undefined })).not.toThrow();
  });

  it.each(['002', '003'])('%s does not (002 第8の5: 定期的検査等)', (id) => {
    expect(() => assertRemoteReason(provisionsOf(id), remote)).not.toThrow();
  });
});

describe('再委託先 and their 許諾', () => {
  it.each([
    ['001', false], // 第22条第9項: 個人番号利用事務等 only
    ['002', true], // 第8の8
    ['003', true],
    ['004', false],
  ])('%s: a 許諾 is required for each 再委託先: %s', (id, required) => {
    expect(permissionRequired(provisionsOf(id))).toBe(required);
  });

  it('002 (第8の8): a 再委託先 without its 許諾 is refused, citing 第8の8 only', () => {
    const err = invalid(() => subcontractorsOf(provisionsOf('002'), [sub()], [], () => 'X'));
    expect(err.errors.map((e) => e.path)).toEqual(['subcontractors.0.permission']);
    expect(articlesIn(err.message)).toEqual(['第8の8']);
  });

  it('003 (第26条第2項): a 再委託先 without its 許諾 is refused, citing 第26条第2項 only', () => {
    const err = invalid(() => subcontractorsOf(provisionsOf('003'), [sub()], [], () => 'X'));
    expect(err.errors.map((e) => e.path)).toEqual(['subcontractors.0.permission']);
    expect(articlesIn(err.message)).toEqual(['第26条第2項']);
    const permitted = subcontractorsOf(
      provisionsOf('003'),
      [sub({ permission: { grantedOn: '2027-04-01', grantedBy: '事務局長' } })],
      [],
      () => 'X',
    );
    expect(permitted).toEqual([{ subcontractorId: 'X', ...sub(), permission: { grantedOn: '2027-04-01', grantedBy: '事務局長' } }]);
  });

  it.each(['001'])('%s (第22条第9項: 個人番号利用事務等 only): a 許諾 is recorded when given, not required', (id) => {
    const ids = ['A', 'B'];
    const list = subcontractorsOf(
      provisionsOf(id),
      [sub(), sub({ name: '株式会社□□', permission: { grantedOn: '2027-04-01', grantedBy: '課長' } })],
      [],
      () => ids.shift() ?? '',
    );
    expect(list.map((s) => [s.subcontractorId, s.permission?.grantedBy])).toEqual([
      ['A', undefined],
      ['B', '課長'],
    ]);
  });

  it('004 (第36条第1項第2号: the contract states 事前承認等): a 許諾 is recorded when given, not required', () => {
    const permission = { grantedOn: '2027-04-01', grantedBy: '課長' };
    expect(subcontractorsOf(provisionsOf('004'), [sub({ permission })], [], () => 'X')).toEqual([
      { subcontractorId: 'X', ...sub(), permission },
    ]);
    expect(subcontractorsOf(provisionsOf('004'), [sub()], [], () => 'X')).toEqual([{ subcontractorId: 'X', ...sub() }]);
  });

  it('a profile without a 許諾 rule refuses one, citing nothing', () => {
    const { subcontractPermission: _none, ...provisions } = provisionsOf('004');
    const err = invalid(() =>
      subcontractorsOf(provisions, [sub({ permission: { grantedOn: '2027-04-01', grantedBy: '課長' } })], [], () => 'X'),
    );
    expect(err.errors.map((e) => e.path)).toEqual(['subcontractors.0.permission']);
    expect(articlesIn(err.message)).toEqual([]);
  });

  it('an edit keeps the ids of recorded entries; an id not recorded is a 400', () => {
    const recorded: Subcontractor[] = [{ subcontractorId: '01KANSA0000000000000000001', ...sub() }];
    const kept = subcontractorsOf(
      provisionsOf('001'),
      [{ ...sub({ name: '改称' }), subcontractorId: '01KANSA0000000000000000001' }, sub()],
      recorded,
      () => 'N',
    );
    expect(kept.map((s) => [s.subcontractorId, s.name])).toEqual([
      ['01KANSA0000000000000000001', '改称'],
      ['N', '株式会社△△'],
    ]);
    const err = invalid(() =>
      subcontractorsOf(provisionsOf('001'), [{ ...sub(), subcontractorId: '01KANSA0000000000000000009' }], recorded, () => 'N'),
    );
    expect(err.errors.map((e) => e.path)).toEqual(['subcontractors.0.subcontractorId']);
  });

  it(`the list is bounded (${maxSubcontractors}) and names an entry once`, () => {
    const body = {
      name: '株式会社○○',
      department: 'shimin',
      handles: '住民票データ',
      contractFrom: '2027-04-01',
      contractTo: '2028-03-31',
    };
    const many = Array.from({ length: maxSubcontractors + 1 }, (_, i) => sub({ name: `再委託先${i}` }));
    expect(createContractorSchema.safeParse({ ...body, subcontractors: many.slice(0, maxSubcontractors) }).success).toBe(true);
    const over = createContractorSchema.safeParse({ ...body, subcontractors: many });
    expect(over.error?.issues.map((i) => i.path.join('.'))).toEqual(['subcontractors']);
    const id = '01KANSA0000000000000000001';
    const twice = updateContractorSchema.safeParse({
      subcontractors: [
        { ...sub(), subcontractorId: id },
        { ...sub(), subcontractorId: id },
      ],
    });
    expect(twice.error?.issues.map((i) => i.path.join('.'))).toEqual(['subcontractors.1.subcontractorId']);
    const halfPermission = createContractorSchema.safeParse({
      ...body,
      subcontractors: [sub({ permission: { grantedOn: '2027-04-01' } as never })],
    });
    expect(halfPermission.error?.issues.map((i) => i.path.join('.'))).toEqual(['subcontractors.0.permission.grantedBy']);
  });
});

describe('the yearly check covers each 再委託先 (委託先を通じて又は委託元自ら)', () => {
  const named: Subcontractor[] = [
    { subcontractorId: '01KANSA0000000000000000001', ...sub() },
    { subcontractorId: '01KANSA0000000000000000002', ...sub({ name: '株式会社□□' }) },
  ];
  const answer = (subcontractorId: string) => ({ subcontractorId, via: 'throughContractor' as const, result: 'compliant' as const });

  it('002 (第8の7 extends the 監督 of 第8の6, not the 第8の5 check): an answer is recorded when given, none demanded', () => {
    expect(subcontractorChecksOf(provisionsOf('002'), named, [answer('01KANSA0000000000000000001')])).toEqual([
      { ...answer('01KANSA0000000000000000001'), name: '株式会社△△' },
    ]);
  });

  it.each([
    ['001', '第22条第5項'],
    ['004', '第36条第4項'],
  ])('%s: a 再委託先 without its answer is a 400 citing %s', (id, article) => {
    const err = invalid(() => subcontractorChecksOf(provisionsOf(id), named, [answer('01KANSA0000000000000000001')]));
    expect(err.errors).toEqual([{ path: 'subcontractors', message: expect.stringContaining('株式会社□□') }]);
    expect(articlesIn(err.message)).toEqual([article]);
  });

  it('answers name only the contract’s 再委託先, once each; the 再委託先 name is kept with the answer', () => {
    const p = provisionsOf('001');
    const stranger = invalid(() =>
      subcontractorChecksOf(p, named, [...named.map((s) => answer(s.subcontractorId)), answer('01KANSA0000000000000000009')]),
    );
    expect(stranger.errors.map((e) => e.path)).toEqual(['subcontractors.2.subcontractorId']);
    const twice = invalid(() =>
      subcontractorChecksOf(p, named, [...named.map((s) => answer(s.subcontractorId)), answer('01KANSA0000000000000000001')]),
    );
    expect(twice.errors.map((e) => e.path)).toEqual(['subcontractors.2.subcontractorId']);
    const direct = {
      subcontractorId: '01KANSA0000000000000000002',
      via: 'direct' as const,
      result: 'issues' as const,
      notes: '鍵の管理に不備',
    };
    expect(subcontractorChecksOf(p, named, [answer('01KANSA0000000000000000001'), direct])).toEqual([
      { ...answer('01KANSA0000000000000000001'), name: '株式会社△△' },
      { ...direct, name: '株式会社□□' },
    ]);
    expect(subcontractorChecksOf(p, [], [])).toEqual([]);
  });

  it('an answer with issues needs its notes', () => {
    const body = { method: 'onSite', checkedOn: '2027-06-01', result: 'compliant' };
    const r = completeContractorCheckSchema.safeParse({
      ...body,
      subcontractors: [{ ...answer('01KANSA0000000000000000001'), result: 'issues' }],
    });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['subcontractors.0.notes']);
  });
});

describe('use cases under each profile', () => {
  const withProfile = (id: string): FakeDeps => ({ ...fakeDeps(), profile: getProfile(id) });
  const input = (over: Record<string, unknown> = {}) => ({
    name: '株式会社○○',
    department: 'shimin',
    handles: '住民票データ',
    contractFrom: '2026-04-01',
    contractTo: '2027-03-31',
    ...over,
  });
  const checkOf = (d: FakeDeps) => [...d.store.checksById.values()][0];

  it.each([
    ['001', '委託先「株式会社○○」の令和8年度の検査（第22条第4項: 原則として実地検査）'],
    ['002', '委託先「株式会社○○」の令和8年度の検査（第8の5）'],
    ['004', '委託先「株式会社○○」の令和8年度の検査（第36条第3項: 原則として実地検査）'],
  ])("%s: the check's task says %s", async (id, title) => {
    const d = withProfile(id);
    await createContractor(d, shiminManager, input());
    expect([...d.store.tasksById.values()].map((t) => t.title)).toEqual([title]);
  });

  it('003: no 再委託先 without its 許諾 (nothing is stored); with it, the contractor is registered and no check opens', async () => {
    const d = withProfile('003');
    await expect(createContractor(d, shiminManager, input({ subcontractors: [sub()] }))).rejects.toBeInstanceOf(InvalidInput);
    expect(d.store.contractorsById.size).toBe(0);
    const c = await createContractor(
      d,
      shiminManager,
      input({ subcontractors: [sub({ permission: { grantedOn: '2026-05-01', grantedBy: '事務局長' } })] }),
    );
    expect(c.subcontractors).toEqual([
      expect.objectContaining({ name: '株式会社△△', permission: { grantedOn: '2026-05-01', grantedBy: '事務局長' } }),
    ]);
    expect(d.store.checksById.size).toBe(0);
  });

  it('001: completing the check needs an answer for each 再委託先 added since it opened; a 002 remote check needs no reason', async () => {
    const d = withProfile('001');
    const c = await createContractor(d, shiminManager, input());
    const edited = await updateContractor(d, shiminManager, c.contractorId, { subcontractors: [sub()] }, { ifMatch: 1 });
    const check = checkOf(d);
    if (!check) throw new Error('no check');
    const body = { method: 'onSite' as const, checkedOn: '2026-05-31', result: 'compliant' as const, evidenceIds: [] };
    await expect(completeContractorCheck(d, shiminManager, check.checkId, { ...body, subcontractors: [] }, {})).rejects.toThrow(
      /株式会社△△.*第22条第5項/,
    );
    const [s] = edited.subcontractors ?? [];
    const done = await completeContractorCheck(
      d,
      shiminManager,
      check.checkId,
      { ...body, subcontractors: [{ subcontractorId: s?.subcontractorId ?? '', via: 'direct', result: 'compliant' }] },
      {},
    );
    expect(done.subcontractors).toEqual([{ subcontractorId: s?.subcontractorId, name: '株式会社△△', via: 'direct', result: 'compliant' }]);

    const nara = withProfile('002');
    await createContractor(nara, shiminManager, input());
    const remote = await completeContractorCheck(
      nara,
      shiminManager,
      checkOf(nara)?.checkId ?? '',
      { method: 'remote', checkedOn: '2026-05-31', result: 'compliant', evidenceIds: [], subcontractors: [] },
      {},
    );
    expect(remote).toMatchObject({ status: 'completed', method: 'remote' });
    expect(remote.remoteReason).toBeUndefined();
  });
});
