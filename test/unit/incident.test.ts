import { describe, expect, it } from 'vitest';
import { Conflict, InvalidInput } from '#lib/domain/errors.js';
import {
  noFlags,
  type CreateIncidentInput,
  type Incident,
  acknowledgeSharing,
  closeBlockers,
  closeIncident,
  contain,
  createIncidentSchema,
  escalate,
  investigate,
  openDeadlines,
  preventionSchema,
  recordNotice,
  recordPpcReport,
  recordPrevention,
} from '#lib/domain/incident.js';
import { newIncident, updateIncident } from '#lib/domain/incident-assessment.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { nara } from '#lib/profiles/nara.js';

/** The transitions of an 事案 (lib/domain/incident.ts) under the real profiles' chains. */

const chain = koriyama.incidents;
const now = new Date('2026-06-02T09:00:00+09:00');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

const input = (over: Partial<CreateIncidentInput['records']> = {}): CreateIncidentInput =>
  createIncidentSchema.parse({
    department: 'shimin',
    discoveredAt: '2026-06-01T10:00:00+09:00',
    summary: '住民票の写しを別人に誤送付した',
    category: 'leak',
    records: {
      items: ['氏名', '住所'],
      subjects: 1,
      ...noFlags,
      ...over,
    },
  });

const reported = (over: Partial<CreateIncidentInput['records']> = {}) =>
  newIncident('01J0INCIDENT0000000000000A', input(over), chain, 'u-staff', now);
const prevented = (i: Incident): Incident => {
  const c = contain(i, { measures: '回収した' }, 'u-mgr', later(1));
  const v = investigate(c, { findings: '宛名の確認漏れ' }, 'u-mgr', later(2));
  return recordPrevention(v, { measures: '二人で確認する', shareWith: [] }, 'u-mgr', later(3), new Set(['shimin']));
};
const ppc = (stage: 'preliminary' | 'final', minutes = 10) => ({ stage, submittedAt: later(minutes - 1).toISOString() });

const caught = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
};

describe('newIncident / updateIncident', () => {
  it('a new 事案 is reported, with its assessment computed from the facts', () => {
    const i = reported({ subjects: 101 });
    expect(i).toMatchObject({ status: 'reported', fiscalYear: 2026, version: 1, sharing: [], ppcReports: {}, notices: {} });
    expect(i.records).toMatchObject({ inSystem: false, publiclyViewable: false });
    expect(i.assessment.deadlines).toEqual({ preliminary: '2026-06-05', final: '2026-06-30' });
  });

  it('a discovery in the future is refused', () => {
    const bad = { ...input(), discoveredAt: '2026-06-03T09:00:00+09:00' };
    expect(caught(() => newIncident('01J0INCIDENT0000000000000A', bad, chain, 'u', now))).toBeInstanceOf(InvalidInput);
  });

  it('correcting the facts recomputes the assessment; the 年度 follows discoveredAt', () => {
    const i = reported();
    expect(i.assessment.reportToPPC).toBe(false);
    const u = updateIncident(i, { records: { subjects: 150 } }, chain, later(5));
    expect(u.assessment).toMatchObject({ reportToPPC: true, criteria: ['appi-over100'] });
    expect(u.version).toBe(2);
    const earlier = updateIncident(u, { discoveredAt: '2026-03-31T10:00:00+09:00' }, chain, later(6));
    expect(earlier.fiscalYear).toBe(2025);
    // Day 30 is 2026-04-29, 昭和の日: the 確報 moves to 2026-04-30.
    expect(earlier.assessment.deadlines).toEqual({ preliminary: '2026-04-04', final: '2026-04-30' });
  });

  it('contractorId null removes it', () => {
    const i = newIncident('01J0INCIDENT0000000000000A', { ...input(), contractorId: '01J0CONTRACTOR000000000000' }, chain, 'u', now);
    expect(i.contractorId).toBe('01J0CONTRACTOR000000000000');
    expect('contractorId' in updateIncident(i, { contractorId: null }, chain, later(1))).toBe(false);
  });
});

describe('the chain steps, in order, each once', () => {
  it('contain → investigate → prevention moves the status', () => {
    const i = prevented(reported());
    expect(i.status).toBe('prevented');
    expect(i.containment).toMatchObject({ by: 'u-mgr', measures: '回収した' });
    expect(i.investigation).toMatchObject({ findings: '宛名の確認漏れ' });
    expect(i.prevention).toMatchObject({ measures: '二人で確認する' });
    expect(i.version).toBe(4);
  });

  it('investigating before containing is refused as out of order', () => {
    const err = caught(() => investigate(reported(), { findings: 'x' }, 'u', later(1)));
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Conflict).code).toBe('incident-step-order');
    expect((err as Error).message).toContain('被害拡大防止の措置を記録してください');
  });

  it('containing twice is refused as already recorded', () => {
    const c = contain(reported(), { measures: 'x' }, 'u', later(1));
    expect((caught(() => contain(c, { measures: 'y' }, 'u', later(2))) as Error).message).toContain('記録済み');
  });

  it('escalation at any status, once', () => {
    const e = escalate(reported(), { reason: '100人を超える' }, 'u-mgr', later(1));
    expect(e.escalation).toMatchObject({ by: 'u-mgr', reason: '100人を超える' });
    expect(e.status).toBe('reported');
    expect((caught(() => escalate(e, { reason: 'again' }, 'u', later(2))) as Conflict).code).toBe('incident-escalated');
  });

  it('prevention shares with known 課 other than its own, each once, and they acknowledge once', () => {
    const c = contain(reported(), { measures: 'x' }, 'u', later(1));
    const v = investigate(c, { findings: 'y' }, 'u', later(2));
    const known = new Set(['shimin', 'zeimu', 'fukushi']);
    expect(caught(() => recordPrevention(v, { measures: 'z', shareWith: ['nowhere'] }, 'u', later(3), known))).toBeInstanceOf(InvalidInput);
    const p = recordPrevention(v, { measures: 'z', shareWith: ['zeimu', 'shimin', 'zeimu', 'fukushi'] }, 'u', later(3), known);
    expect(p.sharing).toEqual([{ department: 'zeimu' }, { department: 'fukushi' }]);
    const a = acknowledgeSharing(p, 'zeimu', 'u-zeimu', later(4));
    expect(a.sharing[0]).toMatchObject({ department: 'zeimu', acknowledgedBy: 'u-zeimu' });
    expect((caught(() => acknowledgeSharing(a, 'zeimu', 'u', later(5))) as Conflict).code).toBe('incident-acknowledged');
    expect((caught(() => acknowledgeSharing(a, 'shimin', 'u', later(5))) as Conflict).code).toBe('incident-not-shared');
  });

  it('prevention is shared with at most 40 課 at once: each is a task and its event in the one transaction', () => {
    const codes = (n: number) => Array.from({ length: n }, (_, k) => `ka-${k}`);
    expect(preventionSchema.safeParse({ measures: 'z', shareWith: codes(40) }).success).toBe(true);
    const tooMany = preventionSchema.safeParse({ measures: 'z', shareWith: codes(41) });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['shareWith', expect.stringContaining('一度に共有できる課は40までです')],
    ]);
  });

  it('a notice is recorded once and not in the future', () => {
    const n = recordNotice(reported(), { kind: 'subjects', at: later(0).toISOString() }, 'u', later(1));
    expect(n.notices.subjects).toMatchObject({ by: 'u' });
    expect((caught(() => recordNotice(n, { kind: 'subjects', at: later(0).toISOString() }, 'u', later(2))) as Conflict).code).toBe(
      'incident-notice-recorded',
    );
    expect(caught(() => recordNotice(reported(), { kind: 'mayor', at: later(10).toISOString() }, 'u', later(1)))).toBeInstanceOf(
      InvalidInput,
    );
  });
});

describe('PPC reports and openDeadlines', () => {
  it('both deadlines are open until filed; the 速報 closes its own', () => {
    const i = reported({ sensitive: true });
    expect(openDeadlines(i)).toEqual([
      { stage: 'preliminary', date: '2026-06-05' },
      { stage: 'final', date: '2026-06-30' },
    ]);
    const p = recordPpcReport(i, ppc('preliminary'), 'u-deputy', later(10));
    expect(p.ppcReports.preliminary).toMatchObject({ by: 'u-deputy' });
    expect(openDeadlines(p)).toEqual([{ stage: 'final', date: '2026-06-30' }]);
    expect(openDeadlines(recordPpcReport(p, ppc('final', 20), 'u-deputy', later(20)))).toEqual([]);
  });

  it('a 確報 filed first also serves as the 速報, after which a 速報 is refused', () => {
    const f = recordPpcReport(reported({ sensitive: true }), ppc('final'), 'u-deputy', later(10));
    expect(openDeadlines(f)).toEqual([]);
    expect((caught(() => recordPpcReport(f, ppc('preliminary', 20), 'u', later(20))) as Error).message).toBe(
      '確報の後に速報は記録できません。',
    );
  });

  it('a stage is recorded once and not in the future', () => {
    const p = recordPpcReport(reported({ sensitive: true }), ppc('preliminary'), 'u', later(10));
    expect((caught(() => recordPpcReport(p, ppc('preliminary', 20), 'u', later(20))) as Conflict).code).toBe('incident-reported-to-ppc');
    const future = { stage: 'final' as const, submittedAt: later(30).toISOString() };
    expect(caught(() => recordPpcReport(p, future, 'u', later(20)))).toBeInstanceOf(InvalidInput);
  });

  it('no deadline runs when nothing is to be reported', () => {
    expect(openDeadlines(reported())).toEqual([]);
  });

  it('002: 特に重大 has its 速報 due on day 1; a 002-only report has no deadline', () => {
    const grave = newIncident('01J0INCIDENT0000000000000B', input({ myNumber: true, inSystem: true }), nara.incidents, 'u', now);
    expect(openDeadlines(grave)).toEqual([
      { stage: 'preliminary', date: '2026-06-01' },
      { stage: 'final', date: '2026-06-30' },
    ]);
    const own = newIncident('01J0INCIDENT0000000000000C', input({ myNumber: true }), nara.incidents, 'u', now);
    expect(own.assessment.reportToPPC).toBe(true);
    expect(openDeadlines(own)).toEqual([]);
  });
});

describe('closeBlockers / closeIncident', () => {
  it('prevention missing blocks; without a report to make, prevention is enough', () => {
    expect(closeBlockers(reported())).toEqual(['再発防止策が記録されていません']);
    const p = prevented(reported());
    expect(closeBlockers(p)).toEqual([]);
    const c = closeIncident(p, { comment: '完了' }, 'u-chief', later(10));
    expect(c).toMatchObject({ status: 'closed', closure: { by: 'u-chief', comment: '完了' } });
  });

  it('a required report blocks until the 確報 is filed (a 速報 is not enough)', () => {
    const p = prevented(reported({ subjects: 101 }));
    expect(closeBlockers(p)).toEqual(['個人情報保護委員会への確報が記録されていません']);
    const err = caught(() => closeIncident(p, {}, 'u', later(10)));
    expect((err as Conflict).code).toBe('incident-not-ready');
    expect((err as Error).message).toBe('まだ完了できません: 個人情報保護委員会への確報が記録されていません。');
    const s = recordPpcReport(p, ppc('preliminary'), 'u', later(10));
    expect(closeBlockers(s)).toHaveLength(1);
    const f = recordPpcReport(s, ppc('final', 20), 'u', later(20));
    expect(closeBlockers(f)).toEqual([]);
    expect(closeIncident(f, {}, 'u', later(30)).status).toBe('closed');
  });

  it('both blockers at once, in Japanese', () => {
    expect(closeBlockers(reported({ sensitive: true }))).toEqual([
      '再発防止策が記録されていません',
      '個人情報保護委員会への確報が記録されていません',
    ]);
  });

  it('a closed 事案 has no open deadline and cannot change', () => {
    const c = closeIncident(prevented(reported()), {}, 'u', later(10));
    expect(openDeadlines(c)).toEqual([]);
    for (const f of [
      () => updateIncident(c, { summary: 'x' }, chain, later(11)),
      () => escalate(c, { reason: 'x' }, 'u', later(11)),
      () => recordNotice(c, { kind: 'subjects', at: later(0).toISOString() }, 'u', later(11)),
      () => recordPpcReport(c, ppc('final', 11), 'u', later(11)),
      () => closeIncident(c, {}, 'u', later(11)),
    ])
      expect((caught(f) as Conflict).code).toBe('incident-closed');
  });
});
