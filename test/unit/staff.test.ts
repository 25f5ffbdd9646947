import { describe, expect, it } from 'vitest';
import { createStaff, getStaff, importStaff, listStaff, updateStaffMember } from '#lib/app/staff.js';
import { Conflict, Forbidden, InvalidInput, NotFound } from '#lib/domain/errors.js';
import { type Staff, asOf, createStaffSchema, maxRegister, newStaff, updateStaff } from '#lib/domain/staff.js';
import { getProfile } from '#lib/profiles/index.js';
import { chief, dxAuditor, fakeDeps, kohoAuditor, shiminHead, shiminManager, shiminStaff, zeiManager } from './fakes.js';

/**
 * The staff register (001 第8条): who was on a 課's register, and who was a 事務取扱担当者 on any
 * past date, over changes from later dates and ends; its use cases against the fakes.
 */

const at = '2026-04-01T00:00:00Z';
const person = (over: Record<string, unknown> = {}): Staff =>
  newStaff(
    createStaffSchema.parse({
      department: 'shimin',
      name: '安積 一郎',
      title: '主事',
      kind: 'regular',
      handler: false,
      from: '2026-04-01',
      ...over,
    }),
    { staffId: 'S1' },
    { sub: 'u', at },
  );

describe('asOf: the register on a date, over changes from later dates and ends', () => {
  it('a change from a later date keeps what held before as a period; each date sees what held then', () => {
    const s0 = person();
    const first = updateStaff(s0, { handler: true, handlerDuties: '住民基本台帳事務', effectiveFrom: '2026-07-01' }, at);
    const second = updateStaff(first.after, { title: '主査', effectiveFrom: '2026-10-01' }, at);
    const periods = [first.closed!, second.closed!];
    expect(periods.map((p) => [p.validFrom, p.validTo])).toEqual([
      ['2026-04-01', '2026-06-30'],
      ['2026-07-01', '2026-09-30'],
    ]);
    const on = (date: string) => asOf([second.after], periods, date)[0];
    expect(on('2026-03-31')).toBeUndefined();
    expect(on('2026-06-30')).toMatchObject({ handler: false, handlerDuties: null, title: '主事' });
    expect(on('2026-07-01')).toMatchObject({ handler: true, handlerDuties: '住民基本台帳事務', title: '主事' });
    expect(on('2026-10-01')).toMatchObject({ handler: true, title: '主査' });
  });

  it('a start corrected to an earlier day after a change from a date: they are on the register from it, with what held first', () => {
    const s0 = person();
    const changed = updateStaff(s0, { title: '主査', effectiveFrom: '2026-07-01' }, at);
    const moved = updateStaff(changed.after, { from: '2026-03-01' }, at);
    expect(moved.closed).toBeNull();
    const on = (date: string) => asOf([moved.after], [changed.closed!], date)[0];
    expect(on('2026-02-28')).toBeUndefined();
    expect(on('2026-03-15')).toMatchObject({ staffId: 'S1', title: '主事' });
    expect(on('2026-05-01')).toMatchObject({ title: '主事' });
    expect(on('2026-07-01')).toMatchObject({ title: '主査' });
  });

  it('an end takes the person off the register from the next day, and keeps their past', () => {
    const changed = updateStaff(person(), { handler: true, handlerDuties: '税務事務', effectiveFrom: '2026-05-01' }, at);
    const ended = updateStaff(changed.after, { to: '2026-08-31' }, at);
    expect(ended.closed).toBeNull();
    expect(asOf([ended.after], [changed.closed!], '2026-08-31')[0]).toMatchObject({ handler: true });
    expect(asOf([ended.after], [changed.closed!], '2026-09-01')).toEqual([]);
    expect(asOf([ended.after], [changed.closed!], '2026-04-15')[0]).toMatchObject({ handler: false });
  });
});

describe('updateStaff rules', () => {
  it('a correction (no effectiveFrom) rewrites the current attributes and keeps no period', () => {
    const { after, closed } = updateStaff(person(), { title: '主任' }, at);
    expect(closed).toBeNull();
    expect(after).toMatchObject({ title: '主任', since: '2026-04-01', version: 2 });
  });

  it('an effective date on or before the current attributes’ first day is a 409', () => {
    const s = updateStaff(person(), { title: '主任', effectiveFrom: '2026-06-01' }, at).after;
    expect(() => updateStaff(s, { title: '主査', effectiveFrom: '2026-06-01' }, at)).toThrow(Conflict);
    expect(() => updateStaff(s, { title: '主査', effectiveFrom: '2026-05-01' }, at)).toThrow(/2026-06-01/);
  });

  it('an effective date after the end is a 409; an end before the start a 400', () => {
    const ended = updateStaff(person(), { to: '2026-09-30' }, at).after;
    expect(() => updateStaff(ended, { title: '主査', effectiveFrom: '2026-10-01' }, at)).toThrow(Conflict);
    expect(() => updateStaff(person(), { to: '2026-03-31' }, at)).toThrow(InvalidInput);
  });

  it('a handler names their 事務; one who stops being a handler drops them', () => {
    expect(() => updateStaff(person(), { handler: true }, at)).toThrow(InvalidInput);
    const handler = updateStaff(person(), { handler: true, handlerDuties: '国民健康保険事務' }, at).after;
    expect(updateStaff(handler, { handler: false }, at).after.handlerDuties).toBeNull();
    expect(() => updateStaff(handler, { handler: false, handlerDuties: '別の事務' }, at)).toThrow(InvalidInput);
  });

  it('names the designated staff in the term given (the profile’s), else neutrally (a request’s schema)', () => {
    const problem = (term?: string) => {
      try {
        updateStaff(person(), { handler: true }, at, term);
      } catch (e) {
        return (e as InvalidInput).errors;
      }
      return [];
    };
    expect(problem('特定個人情報取扱担当者')).toEqual([
      { path: 'handlerDuties', message: '特定個人情報取扱担当者には取り扱う事務を入力してください。' },
    ]);
    expect(problem()).toEqual([{ path: 'handlerDuties', message: '取扱担当者には取り扱う事務を入力してください。' }]);
  });
});

const body = (over: Record<string, unknown> = {}) =>
  createStaffSchema.parse({
    department: 'shimin',
    name: '安積 一郎',
    title: '主事',
    kind: 'regular',
    handler: true,
    handlerDuties: '住民基本台帳事務',
    employeeNumber: 'A001',
    from: '2026-04-01',
    ...over,
  });

describe('the register’s use cases', () => {
  it('the 課’s 保護管理者 adds a person: one transaction with its event', async () => {
    const deps = fakeDeps();
    const s = await createStaff(deps, shiminManager, body());
    expect(deps.store.commits).toHaveLength(1);
    expect(deps.store.commits[0]!.map((c) => c.event.action)).toEqual(['staff.registered']);
    expect(await getStaff(deps, shiminStaff, s.staffId)).toMatchObject({ name: '安積 一郎', handler: true });
  });

  it('a 職員番号 already on the 課’s current register is a 409; one that left before today is free', async () => {
    const deps = fakeDeps('2026-06-01T00:00:00Z');
    const s = await createStaff(deps, shiminManager, body());
    await expect(createStaff(deps, shiminManager, body({ name: '別人' }))).rejects.toThrow(Conflict);
    // Another 課 may hold the same number.
    await createStaff(deps, zeiManager, body({ department: 'shiminzei' }));
    await updateStaffMember(deps, shiminManager, s.staffId, { to: '2026-05-31' }, {});
    await expect(createStaff(deps, shiminManager, body({ name: '再任用' }))).resolves.toMatchObject({ employeeNumber: 'A001' });
  });

  it('a 課’s register holds at most maxRegister people at once (so an audience, its roll and a follow-up task stay bounded): a 409; one who left frees a place', async () => {
    const deps = fakeDeps('2026-06-01T00:00:00Z');
    const base = newStaff(createStaffSchema.parse(body({ employeeNumber: null })), { staffId: 'X' }, { sub: 'u', at });
    for (let i = 0; i < maxRegister; i++) {
      const staffId = `01J000000000000000000${String(i).padStart(5, '0')}`;
      deps.store.staffById.set(staffId, { ...base, staffId });
    }
    const full = await createStaff(deps, shiminManager, body({ employeeNumber: 'B001' })).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(Conflict);
    expect(full).toMatchObject({ code: 'register-full', message: expect.stringContaining(`${maxRegister}人`) });
    const csv = new TextEncoder().encode('職員番号,氏名,役職,区分\nB002,須賀川 二郎,主事,職員\n');
    const refused = await importStaff(deps, shiminManager, { department: 'shimin', dryRun: false }, csv).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'register-full' });
    const first = deps.store.staffById.get('01J00000000000000000000000')!;
    deps.store.staffById.set(first.staffId, { ...first, to: '2026-05-31' });
    await expect(createStaff(deps, shiminManager, body({ employeeNumber: 'B001' }))).resolves.toMatchObject({ employeeNumber: 'B001' });
  });

  it('a 課 of the organisation only (400); another 課’s register is a 404; its 保護担当者 may not add (403)', async () => {
    const deps = fakeDeps();
    await expect(createStaff(deps, shiminManager, body({ department: 'shimin-bu' }))).rejects.toThrow(InvalidInput);
    await expect(createStaff(deps, zeiManager, body())).rejects.toThrow(NotFound);
    await expect(createStaff(deps, shiminStaff, body())).rejects.toThrow(Forbidden);
  });

  it('004 designates no 事務取扱担当者: handler true is a 400 saying so', async () => {
    const deps = { ...fakeDeps(), profile: getProfile('004') };
    const err = await createStaff(deps, shiminManager, body()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).message).toBe(
      '久喜市の保有する個人情報の適切な管理のための措置に関する規程には、事務ごとに取り扱う職員を指定する定めがありません。handler は false にしてください。',
    );
    expect((err as InvalidInput).message).not.toContain('事務取扱担当者');
    await expect(createStaff(deps, shiminManager, body({ handler: false, handlerDuties: null }))).resolves.toBeDefined();
  });

  it('a change from a later date writes the period beside the person in the same transaction; the list reads any date', async () => {
    const deps = fakeDeps('2026-06-01T00:00:00Z');
    const s = await createStaff(deps, shiminManager, body({ handler: false, handlerDuties: null }));
    await updateStaffMember(
      deps,
      shiminManager,
      s.staffId,
      { handler: true, handlerDuties: '戸籍事務', effectiveFrom: '2026-07-01' },
      { ifMatch: 1 },
    );
    const commit = deps.store.commits.at(-1)!;
    expect(commit).toHaveLength(1);
    expect(commit[0]!.children).toEqual([
      {
        kind: 'period',
        id: '2026-04-01',
        body: expect.objectContaining({ validFrom: '2026-04-01', validTo: '2026-06-30', handler: false }),
      },
    ]);
    const on = async (date: string) => (await listStaff(deps, shiminManager, { limit: 20, asOf: date })).items.map((p) => p.handler);
    expect(await on('2026-05-01')).toEqual([false]);
    expect(await on('2026-07-01')).toEqual([true]);
    expect(await on('2026-03-31')).toEqual([]);
  });

  it('If-Match names a stale version: 412; another 課’s 保護管理者: 404', async () => {
    const deps = fakeDeps();
    const s = await createStaff(deps, shiminManager, body());
    await expect(updateStaffMember(deps, shiminManager, s.staffId, { title: '主任' }, { ifMatch: 7 })).rejects.toMatchObject({
      kind: 'staleVersion',
    });
    await expect(updateStaffMember(deps, zeiManager, s.staffId, { title: '主任' }, {})).rejects.toThrow(NotFound);
    await expect(getStaff(deps, zeiManager, s.staffId)).rejects.toThrow(NotFound);
  });

  it('the list: the caller’s own 課 by default; another 課 is a 404 (not a 403), as its people are', async () => {
    const deps = fakeDeps();
    await createStaff(deps, shiminManager, body());
    expect((await listStaff(deps, shiminStaff, { limit: 20 })).items).toHaveLength(1);
    expect((await listStaff(deps, shiminHead, { limit: 20, department: 'shimin' })).items).toHaveLength(1);
    const err = await listStaff(deps, zeiManager, { limit: 20, department: 'shimin' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFound);
    expect((err as NotFound).message).toBe('指定された課の職員名簿は見つかりません。');
    // 001: the DX戦略課長 audits 第8条 and reads every 課's register; the 広報広聴課長 does not.
    expect((await listStaff(deps, dxAuditor, { limit: 20, department: 'shimin' })).items).toHaveLength(1);
    await expect(listStaff(deps, kohoAuditor, { limit: 20, department: 'shimin' })).rejects.toThrow(NotFound);
    await expect(listStaff(deps, chief, { limit: 20 })).rejects.toThrow(/department を指定してください/);
  });

  it('pages over the computed register by staffId', async () => {
    const deps = fakeDeps();
    for (const n of ['A001', 'A002', 'A003']) await createStaff(deps, shiminManager, body({ employeeNumber: n }));
    const first = await listStaff(deps, shiminManager, { limit: 2 });
    expect(first.items).toHaveLength(2);
    const rest = await listStaff(deps, shiminManager, { limit: 2, cursor: first.nextCursor! });
    expect(rest).toMatchObject({ items: [{ employeeNumber: 'A003' }], nextCursor: null });
  });
});
