import { describe, expect, it } from 'vitest';
import { cite, practiceLabel, sourceOf } from '#lib/domain/provisions.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { kuki } from '#lib/profiles/kuki.js';
import { practicesSchema, withPractices } from '#lib/profiles/practices.js';

describe('provisions: the article a rule comes from, or 運用上のルール, or nothing', () => {
  it('cites the regulation, names practice as such, and says nothing where the regulation has no such rule', () => {
    expect(cite(kuki.provisions, 'inspection')).toBe('（第43条）');
    expect(cite(kuki.provisions, 'planApproval')).toBe(`（${practiceLabel}）`);
    expect(cite(kuki.provisions, 'planForm')).toBe('');
    expect(sourceOf(koka.provisions, 'auditPlan')).toBe('');
  });
});

describe('practices per deployment (PRACTICES_JSON)', () => {
  it('leaves a profile as it is without overrides', () => {
    expect(withPractices(koriyama, {})).toEqual(koriyama);
  });

  it('turns audits on for 003 as practice: plans, approval and report cite 運用上のルール, never an article', () => {
    const p = withPractices(koka, { audits: true });
    expect(p.provisions.audit).toEqual({ basis: 'practice' });
    expect(p.provisions.planApproval).toEqual({ basis: 'practice' });
    expect(p.provisions.inspection).toEqual({ basis: 'regulation', article: '第30条' });
    expect(p.duties.find((d) => d.duty === 'annual-plan')).toMatchObject({ enabled: true, source: practiceLabel });
    expect(p.roleTitles.auditLead).toBe('監査責任者');
    expect(koka.duties.find((d) => d.duty === 'annual-plan')?.enabled).toBe(false);
  });

  it('sets what the regulation leaves open and refuses what it fixes', () => {
    expect(withPractices(kuki, { inspectionFrequency: 'yearly' }).duties.find((d) => d.duty === 'section-inspection')?.frequency).toBe(
      'yearly',
    );
    expect(() => withPractices(kuki, { audits: false })).toThrow(/監査/);
    expect(() => withPractices(koka, { disposalProof: 'witnessOrPhoto' })).toThrow(/消去・廃棄/);
    expect(withPractices(koriyama, { disposalProof: 'certificate' }).practices.disposalProof).toBe('certificate');
  });

  it('lets 003 inspect more often than 第30条 asks (少なくとも毎年1回), as its practice', () => {
    const p = withPractices(koka, { inspectionFrequency: 'quarterly' });
    expect(p.duties.find((d) => d.duty === 'section-inspection')?.frequency).toBe('quarterly');
    expect(p.provisions.inspectionFrequency).toEqual({ basis: 'practice' });
    expect(p.provisions.inspection).toEqual({ basis: 'regulation', article: '第30条' });
  });

  it('refuses a setting it does not know', () => {
    expect(practicesSchema.safeParse({ audit: true }).success).toBe(false);
    expect(practicesSchema.safeParse({ inspectionFrequency: 'daily' }).success).toBe(false);
  });
});
