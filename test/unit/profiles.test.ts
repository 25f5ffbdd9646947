import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ArticleRef, compareArticles, formatArticleRef, parseArticleRef } from '#lib/domain/articles.js';
import { practiceLabel } from '#lib/domain/provisions.js';
import { roles } from '#lib/domain/roles.js';
import { extractArticleHeadings, extractArticles } from '#lib/profiles/catalogue.js';
import { defaultProfileId, getProfile, profileIds, profiles } from '#lib/profiles/index.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { kuki } from '#lib/profiles/kuki.js';
import { nara } from '#lib/profiles/nara.js';
import type { ArticleEntry, RegulationProfile, ScopeRule } from '#lib/profiles/types.js';

/** The regulation text a profile was read from; CI clones the repo with shared/ beside it. */
function regulationText(p: RegulationProfile): string {
  return readFileSync(new URL(`../../../shared/regulations/${p.version}.txt`, import.meta.url), 'utf8');
}

const key = (r: ArticleRef) => `${r.article}.${r.branch ?? 0}`;

function entry(p: RegulationProfile, ref: string): ArticleEntry | undefined {
  const r = parseArticleRef(ref);
  return p.articles.find((a) => compareArticles(a, r) === 0);
}

/**
 * Checks that a cited source exists: its article is in the catalogue and its 項 (if any)
 * is within the article's 項 count. A trailing 号 (第7条の2第3項第1号) is not part of an
 * article reference and is dropped first.
 */
function expectSourceExists(p: RegulationProfile, source: string): void {
  const ref = parseArticleRef(source.replace(/第\s*\d+\s*号$/, ''));
  const e = p.articles.find((a) => compareArticles(a, ref) === 0);
  expect(e, `${source} is in the catalogue of ${p.id}`).toBeDefined();
  if (ref.paragraph !== undefined) expect(ref.paragraph).toBeLessThanOrEqual(e?.paragraphs ?? 0);
}

/**
 * 項 counts read by hand from the texts (not from the extractor), a handful per profile,
 * including the awkward ones: OCR-spaced numbers, full-width digits, lost 項.
 */
const paragraphCounts: Record<string, [string, number][]> = {
  '001': [
    ['第3条', 1], // (1)–(8) are 号
    ['第4条の2', 5],
    ['第7条の2', 3],
    ['第8条', 4],
    ['第11条', 6],
    ['第17条の2', 1],
    ['第18条', 4],
    ['第 19 条の 2', 1],
    ['第20条', 3],
    ['第22条', 9],
    ['第23条', 5], // 項 lines without the "- " bullet
    ['第26条', 2],
    ['第27条', 1],
  ],
  '002': [
    ['第2の4', 1],
    ['第5の7', 1],
    ['第5の10', 1],
    ['第9の3', 1],
  ],
  '003': [
    ['第5条', 3],
    ['第21条', 3], // the text has the article line and 3 (第2項 is lost)
    ['第24条', 5],
    ['第27条', 1], // nine 号
    ['第36条', 5],
    ['第38条', 4], // 1, 2 and 4
  ],
  '004': [
    ['第３条', 2],
    ['第８条', 4],
    ['第１０条', 4],
    ['第３３条', 3],
    ['第３６条', 5],
    ['第３９条', 5],
    ['第４２条', 1],
  ],
};

describe.each(profiles.map((p) => [p.id, p] as const))('profile %s', (_id, p) => {
  const text = regulationText(p);

  it('has the article headings of its regulation text, in order, no duplicates', () => {
    const headings = extractArticleHeadings(text, p.referenceStyle);
    expect(headings.length).toBeGreaterThan(0);
    const catalogue = p.articles.map(({ article, branch }) => (branch === undefined ? { article } : { article, branch }));
    expect(catalogue).toEqual(headings);
    expect(new Set(p.articles.map(key)).size).toBe(p.articles.length);
    for (let i = 1; i < p.articles.length; i += 1) {
      expect(compareArticles(p.articles[i - 1] as ArticleEntry, p.articles[i] as ArticleEntry)).toBeLessThan(0);
    }
  });

  it('has the titles, 項 counts and chapters the text gives', () => {
    const read = extractArticles(text, p.referenceStyle).map(({ written: _w, ...e }) => e);
    expect(p.articles).toEqual(read);
  });

  it('has the 項 counts read by hand from the text', () => {
    const expected = paragraphCounts[p.id] ?? [];
    expect(expected.length).toBeGreaterThan(0);
    for (const [ref, count] of expected) expect([ref, entry(p, ref)?.paragraphs]).toEqual([ref, count]);
  });

  it('names its roles, at least the approver and the auditor', () => {
    expect(p.roleTitles.chiefManager).toMatch(/\S/);
    // A regulation with 監査 names who audits; 003 has none.
    if (p.provisions.audit) expect(p.roleTitles.auditLead).toMatch(/\S/);
    else expect(p.roleTitles.auditLead).toBeUndefined();
    for (const [role, title] of Object.entries(p.roleTitles)) {
      expect(roles).toContain(role);
      expect(title).toMatch(/\S/);
    }
    const used = [
      ...(p.provisions.audit ? [p.plans.draftedBy, p.plans.approvedBy, p.plans.reportedTo] : []),
      ...p.duties.filter((d) => d.enabled).map((d) => d.assignee),
      ...p.auditorScopes.map((s) => s.role),
    ];
    for (const role of used) expect(p.roleTitles[role], role).toBeDefined();
    expect(p.plans.draftedBy).not.toBe(p.plans.approvedBy);
  });

  it('names the staff of a 課 in the text’s own words, and only the posts the text has', () => {
    const text = regulationText(p);
    for (const role of ['sectionManager', 'sectionStaff', 'affairStaff'] as const) {
      const title = p.roleTitles[role];
      if (title !== undefined) expect(text, `${role}: ${title}`).toContain(title);
    }
    // The staff who handle 特定個人情報 are a post of their own where the text names them.
    const affair = ['事務取扱担当者', '特定個人情報取扱担当者'].find((t) => text.includes(t));
    expect(p.roleTitles.affairStaff).toBe(affair);
  });

  it('cites sources that parse and exist in its catalogue', () => {
    for (const [id, provision] of Object.entries(p.provisions))
      if (provision.basis === 'regulation') {
        expectSourceExists(p, provision.article);
        expect(id).toMatch(/\S/);
      }
    for (const d of p.duties) if (d.source !== practiceLabel) expectSourceExists(p, d.source);
    for (const s of p.auditorScopes) {
      expectSourceExists(p, s.source);
      for (const rule of s.rules) {
        for (const ref of [rule.from, rule.to].filter((r) => r !== undefined)) expect(entry(p, formatArticleRef(ref))).toBeDefined();
        const max = entry(p, formatArticleRef(rule.from))?.paragraphs ?? 0;
        for (const n of [...(rule.paragraphs ?? []), ...(rule.exceptParagraphs ?? [])]) expect(n).toBeLessThanOrEqual(max);
      }
    }
  });

  it('defines each periodic duty once', () => {
    expect(p.duties.map((d) => d.duty).sort()).toEqual(['annual-plan', 'contractor-check', 'overdue-actions', 'section-inspection']);
    const inspection = p.duties.find((d) => d.duty === 'section-inspection');
    expect(inspection?.checklist?.length).toBeGreaterThan(0);
    expect(p.duties.find((d) => d.duty === 'overdue-actions')?.frequency).toBe('daily');
  });

  it('formats and parses back every catalogue reference', () => {
    for (const a of p.articles) {
      const ref = a.branch === undefined ? { article: a.article } : { article: a.article, branch: a.branch };
      expect(parseArticleRef(formatArticleRef(ref, p.referenceStyle))).toEqual(ref);
    }
  });
});

describe('profile registry', () => {
  it('lists the four seeds with 001 as the default', () => {
    expect(profileIds).toEqual(['001', '002', '003', '004']);
    expect(defaultProfileId).toBe('001');
    expect(getProfile(defaultProfileId)).toBe(koriyama);
  });

  it('returns a profile by id and throws on an unknown one', () => {
    expect(getProfile('002')).toBe(nara);
    expect(getProfile('003')).toBe(koka);
    expect(getProfile('004')).toBe(kuki);
    expect(getProfile('004').organisation).toBe('久喜市');
    expect(() => getProfile('999')).toThrow(/999/);
    expect(() => getProfile('toString')).toThrow();
    expect(() => getProfile('__proto__')).toThrow();
  });
});

describe('001 郡山市', () => {
  const p = koriyama;

  /** The scopes covering an article's 項 under the profile's rules. */
  function scopesOf(ref: ArticleRef, paragraph: number): string[] {
    const covers = (r: ScopeRule) =>
      compareArticles(ref, r.from) >= 0 &&
      compareArticles(ref, r.to ?? r.from) <= 0 &&
      (r.paragraphs === undefined || r.paragraphs.includes(paragraph)) &&
      !(r.exceptParagraphs ?? []).includes(paragraph);
    return p.auditorScopes.filter((s) => s.rules.some(covers)).map((s) => s.scope);
  }

  it('has 36 articles, 第1条 to 第31条 with five branch articles', () => {
    expect(p.articles).toHaveLength(36);
    expect(p.articles.filter((a) => a.branch !== undefined).map((a) => formatArticleRef(a))).toEqual([
      '第4条の2',
      '第4条の3',
      '第7条の2',
      '第17条の2',
      '第19条の2',
    ]);
    expect(entry(p, '第17条')?.title).toBe('媒体の管理等');
  });

  it('splits the articles between the two 監査補助者 as 第7条の2第3項 says', () => {
    expect(p.auditorScopes.map((s) => [s.scope, s.role, s.title, s.source])).toEqual([
      ['dx', 'auditorDx', '監査補助者（DX戦略課長）', '第7条の2第3項第1号'],
      ['koho', 'auditorKoho', '監査補助者（広報広聴課長）', '第7条の2第3項第2号'],
    ]);
    const dx = ['第8条', '第9条', '第13条', '第14条', '第16条', '第17条', '第17条の2', '第18条', '第20条', '第22条'];
    const koho = [
      '第3条',
      '第4条',
      '第4条の2',
      '第4条の3',
      '第5条',
      '第6条',
      '第7条',
      '第7条の2',
      '第10条',
      '第15条',
      '第19条',
      '第19条の2',
      '第21条',
      '第23条',
      '第24条',
      '第25条',
    ];
    const leadOnly = ['第1条', '第2条', '第12条', '第26条', '第27条', '第28条', '第29条', '第30条', '第31条'];
    for (const a of p.articles) {
      const ref = formatArticleRef(a);
      for (let n = 1; n <= a.paragraphs; n += 1) {
        const expected =
          ref === '第11条' ? ([1, 5].includes(n) ? ['dx'] : ['koho']) : dx.includes(ref) ? ['dx'] : koho.includes(ref) ? ['koho'] : [];
        expect([ref, n, scopesOf(a, n)]).toEqual([ref, n, expected]);
      }
    }
    expect(new Set([...dx, ...koho, ...leadOnly, '第11条']).size).toBe(p.articles.length);
  });

  it('has the duties of 第26条, 第27条, 第22条第4項 and 第28条', () => {
    expect(p.duties.map((d) => [d.duty, d.source, d.frequency, d.assignee, d.enabled])).toEqual([
      ['annual-plan', '第26条第2項', 'yearly', 'auditLead', true],
      ['section-inspection', '第27条', 'quarterly', 'sectionManager', true],
      ['contractor-check', '第22条第4項', 'yearly', 'sectionManager', true],
      ['overdue-actions', practiceLabel, 'daily', 'chiefManager', true],
    ]);
    expect(p.duties.find((d) => d.duty === 'section-inspection')?.checklist).toEqual(['記録媒体', '処理経路', '保管方法']);
    expect(p.plans).toEqual({ draftedBy: 'auditLead', approvedBy: 'chiefManager', reportedTo: 'chiefManager' });
    expect([p.provisions.auditPlan, p.provisions.planApproval, p.provisions.planForm]).toEqual([
      // 第26条第2項 says it of 特定個人情報等に関する事務の監査; kansa asks it of every audit.
      { basis: 'regulation', article: '第26条第2項', appliesTo: '特定個人情報等に関する事務の監査' },
      { basis: 'regulation', article: '第26条第2項', appliesTo: '特定個人情報等に関する事務の監査' },
      { basis: 'regulation', article: '第26条', form: '様式第4号' },
    ]);
  });
});

describe('002 奈良県', () => {
  it('numbers items within sections: 第5の7 is 媒体の管理等', () => {
    expect(nara.referenceStyle).toBe('sectionItem');
    expect(formatArticleRef({ article: 5, branch: 7 }, 'sectionItem')).toBe('第5の7');
    expect(entry(nara, '第5の7')?.title).toBe('媒体の管理等');
    expect(entry(nara, '第５の７')?.chapter).toBe('第5 特定個人情報等の取扱い');
    expect(nara.articles).toHaveLength(71);
    expect(nara.articles.every((a) => a.paragraphs === 1 && a.branch !== undefined)).toBe(true);
    expect(entry(nara, '第6の10')?.title).toBe('記録機能を有する機器・媒体の接続制限');
    expect(entry(nara, '第10の4')).toBeUndefined();
  });

  it('has a single 監査責任者 and no 監査補助者 or 部 level', () => {
    expect(nara.auditorScopes).toEqual([]);
    expect(Object.keys(nara.roleTitles).sort()).toEqual([
      'affairStaff',
      'auditLead',
      'chiefManager',
      'deputyManager',
      'sectionManager',
      'sectionStaff',
    ]);
    expect(nara.roleTitles.chiefManager).toBe('特定個人情報保護総括責任者');
    expect(nara.roleTitles.sectionManager).toBe('特定個人情報保護責任者');
    // 第2の3 and 第2の5: the 特定個人情報保護主任 and the 特定個人情報取扱担当者 are two posts.
    expect(nara.roleTitles.sectionStaff).toBe('特定個人情報保護主任');
    expect(nara.roleTitles.affairStaff).toBe('特定個人情報取扱担当者');
  });

  it('checks 委託先 yearly (第8の5) and inspects by 特定個人情報保護責任者 (第10の2)', () => {
    expect(nara.duties.map((d) => [d.duty, d.source, d.frequency, d.assignee, d.enabled])).toEqual([
      ['annual-plan', practiceLabel, 'yearly', 'auditLead', true],
      ['section-inspection', '第10の2', 'quarterly', 'sectionManager', true],
      ['contractor-check', '第8の5', 'yearly', 'sectionManager', true],
      ['overdue-actions', practiceLabel, 'daily', 'chiefManager', true],
    ]);
    // 第10の1 says only: audit and report. Plans and their approval are the prefecture's practice.
    expect([nara.provisions.auditPlan, nara.provisions.planApproval, nara.provisions.planForm]).toEqual([
      { basis: 'practice' },
      { basis: 'practice' },
      undefined,
    ]);
  });
});

describe('003 甲賀広域行政組合', () => {
  it('has the articles the text has, and no others', () => {
    expect(koka.articles).toHaveLength(33);
    for (const missing of ['第9条', '第12条', '第15条', '第17条', '第19条', '第20条', '第25条'])
      expect(entry(koka, missing)).toBeUndefined();
  });

  it('inspects yearly (第30条) the nine items of 第27条', () => {
    const inspection = koka.duties.find((d) => d.duty === 'section-inspection');
    expect(inspection?.frequency).toBe('yearly');
    expect(inspection?.source).toBe('第30条');
    expect(inspection?.checklist).toEqual([
      '特定個人情報ファイルの種類、名称',
      '対象者及び個人情報の項目',
      '明示、公表等を行った利用目的',
      '責任者、取扱部署',
      'アクセス権を有する者',
      '保管場所',
      '保管方法',
      '保存期間',
      '削除、廃棄状況',
    ]);
    // The nine items are the 号 of 第27条 as the text lists them.
    const text = regulationText(koka);
    const block = text.slice(text.indexOf('第27条'), text.indexOf('第28条'));
    const items = [...block.matchAll(/^\(\d\) (.+)$/gm)].map((m) => m[1]?.trim());
    expect(items).toEqual(inspection?.checklist);
  });

  it('has no periodic 委託先 check', () => {
    expect(koka.duties.find((d) => d.duty === 'contractor-check')?.enabled).toBe(false);
    expect(koka.roleTitles.chiefManager).toBe('総括責任者');
  });

  it('has 事務取扱担当者 (第21条第1項) and no 保護担当者', () => {
    expect(koka.roleTitles).toEqual({ chiefManager: '総括責任者', sectionManager: '事務取扱責任者', affairStaff: '事務取扱担当者' });
    expect(regulationText(koka)).not.toContain('保護担当者');
  });
});

describe('004 久喜市', () => {
  it('has 45 articles and the roles of 第3条–第6条', () => {
    expect(kuki.articles).toHaveLength(45);
    expect(kuki.roleTitles).toEqual({
      chiefManager: '総括保護管理者',
      auditLead: '監査責任者',
      sectionManager: '保護管理者',
      sectionStaff: '保護担当者',
    });
    expect(entry(kuki, '第8条')?.title).toBe('教育研修');
  });

  it('checks 委託先 at least yearly (第36条第3項)', () => {
    expect(kuki.duties.find((d) => d.duty === 'contractor-check')).toMatchObject({
      source: '第36条第3項',
      frequency: 'yearly',
      enabled: true,
    });
    expect(kuki.plans).toMatchObject({ approvedBy: 'chiefManager', reportedTo: 'chiefManager' });
    // 第42条 says only: audit and report. Approval of a plan is the city's practice.
    expect(kuki.provisions.planApproval).toEqual({ basis: 'practice' });
    expect(kuki.provisions.auditReport).toEqual({ basis: 'regulation', article: '第42条' });
  });
});

describe('extractArticleHeadings', () => {
  it('reads OCR-like article lines: spaced numbers, full-width digits, bullets', () => {
    const text = [
      '目次',
      '- 第1章 総則（第1条・第2条）',
      '附則',
      '第1章 総則',
      '（趣旨）',
      '第１条 この基準は、',
      '- 2 前項の',
      '(1) 号',
      '３ 第三項',
      '第 19 条の 2 保護管理者は、第 14 条の規定による場合',
      '第2条の規定により (not a heading: no space after the reference)',
      '附 則',
      '第30条 after the 附則 is not read',
    ].join('\n');
    expect(extractArticleHeadings(text, 'article')).toEqual([{ article: 1 }, { article: 19, branch: 2 }]);
    expect(extractArticles(text, 'article').map((a) => [a.written, a.paragraphs, a.title, a.chapter])).toEqual([
      ['第1条', 3, '趣旨', '第1章 総則'],
      ['第19条の2', 1, '趣旨', '第1章 総則'],
    ]);
  });

  it('reads section items, including spaced item numbers and items starting with a number', () => {
    const text = [
      '第5 取扱い',
      '(見出し)',
      '1 一',
      '- 2 二',
      '3 4の規定により',
      '(一〇)',
      '- 4 四',
      '5 五',
      '6 六',
      '7 七',
      '8 八',
      '9 九',
      '- 1 0 十',
      '第6 次',
      '1 一',
    ].join('\n');
    expect(extractArticleHeadings(text, 'sectionItem').map((r) => formatArticleRef(r, 'sectionItem'))).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `第5の${i + 1}`),
      '第6の1',
    ]);
    expect(extractArticles(text, 'sectionItem').map((a) => a.title)).toEqual([
      ...Array.from({ length: 3 }, () => '見出し'),
      ...Array.from({ length: 7 }, () => '一〇'),
      '次',
    ]);
  });
});
