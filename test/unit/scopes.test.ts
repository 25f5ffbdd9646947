import { describe, expect, it } from 'vitest';
import { scopeOwners } from '#lib/app/scope-owners.js';
import { formatArticleRef } from '#lib/domain/articles.js';
import { InvalidInput } from '#lib/domain/errors.js';
import { type ScopeId, describeScope, resolveArticle } from '#lib/domain/scopes.js';
import { statusOf } from '#lib/http/problem.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { kuki } from '#lib/profiles/kuki.js';
import { nara } from '#lib/profiles/nara.js';

const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** The InvalidInput (400) a call throws. */
function invalid(f: () => unknown): InvalidInput {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InvalidInput);
  expect(statusOf[(err as InvalidInput).kind]).toBe(400);
  expect((err as InvalidInput).message).toMatch(japanese);
  return err as InvalidInput;
}

/**
 * 001 郡山市, 第7条の2第3項 as DOMAIN.md lists it, written out article by article:
 * the article, its number of 項, and the scope of each 項 (one scope when the
 * article is not split). 第11条 is split: 第1項 and 第5項 DX, the others 広報広聴.
 *
 * - dx:   第8条, 第9条, 第11条第1項及び第5項, 第13条, 第14条, 第16条から第18条まで
 *         (incl. 第17条の2), 第20条, 第22条;
 * - koho: 第3条から第7条の2まで (incl. 第4条の2, 第4条の3, 第7条の2), 第10条,
 *         第11条 (other 項), 第15条, 第19条, 第19条の2, 第21条, 第23条から第25条まで;
 * - lead: 第1条, 第2条, 第12条, 第26条–第31条.
 */
const expected001 = `
  第1条      1 lead
  第2条      1 lead
  第3条      1 koho
  第4条      2 koho
  第4条の2   5 koho
  第4条の3   2 koho
  第5条      2 koho
  第6条      2 koho
  第7条      2 koho
  第7条の2   3 koho
  第8条      4 dx
  第9条      1 dx
  第10条     1 koho
  第11条     6 dx koho koho koho dx koho
  第12条     2 lead
  第13条     3 dx
  第14条     1 dx
  第15条     1 koho
  第16条     1 dx
  第17条     2 dx
  第17条の2  1 dx
  第18条     4 dx
  第19条     1 koho
  第19条の2  1 koho
  第20条     3 dx
  第21条     3 koho
  第22条     9 dx
  第23条     5 koho
  第24条     1 koho
  第25条     3 koho
  第26条     2 lead
  第27条     1 lead
  第28条     1 lead
  第29条     1 lead
  第30条     1 lead
  第31条     1 lead
`;

interface Row {
  label: string;
  paragraphs: number;
  /** Scope of 第1項 … 第n項. */
  byParagraph: ScopeId[];
  /** The one scope of the article, when it is not split by 項. */
  whole?: ScopeId;
}

const rows: Row[] = expected001
  .trim()
  .split('\n')
  .map((line) => {
    const [label, count, ...scopes] = line.trim().split(/\s+/) as [string, string, ...ScopeId[]];
    const paragraphs = Number(count);
    if (scopes.length === 1)
      return { label, paragraphs, byParagraph: Array.from({ length: paragraphs }, () => scopes[0] as ScopeId), whole: scopes[0] };
    if (scopes.length !== paragraphs) throw new Error(`row ${label}: ${scopes.length} scopes for ${paragraphs} 項`);
    return { label, paragraphs, byParagraph: scopes };
  });

describe('resolveArticle under 001 郡山市 (第7条の2第3項)', () => {
  it('the table has every article of the catalogue, in order, with its 項 count', () => {
    expect(rows.map((r) => [r.label, r.paragraphs])).toEqual(koriyama.articles.map((a) => [formatArticleRef(a), a.paragraphs]));
  });

  const whole = rows.filter((r) => r.whole !== undefined).map((r) => [r.label, r.whole as ScopeId] as const);
  it.each(whole)('%s → %s', (label, scope) => {
    const resolved = resolveArticle(koriyama, label);
    const entry = koriyama.articles.find((a) => formatArticleRef(a) === label);
    expect(resolved).toEqual({ ref: expect.anything(), label, entry, scope });
    // The object form resolves alike.
    expect(resolveArticle(koriyama, resolved.ref)).toEqual(resolved);
  });

  const paragraphs = rows.flatMap((r) => r.byParagraph.map((scope, i) => [`${r.label}第${i + 1}項`, scope] as const));
  it.each(paragraphs)('%s → %s', (label, scope) => {
    const resolved = resolveArticle(koriyama, label);
    expect(resolved.label).toBe(label);
    expect(resolved.scope).toBe(scope);
    expect(resolved.ref.paragraph).toBeGreaterThan(0);
    expect(resolveArticle(koriyama, resolved.ref).scope).toBe(scope);
  });

  it.each(rows.map((r) => [`${r.label}第${r.paragraphs + 1}項`, r.label, r.paragraphs] as const))(
    '%s → 400 unknown-paragraph',
    (label, article, count) => {
      const err = invalid(() => resolveArticle(koriyama, label));
      expect(err.code).toBe('unknown-paragraph');
      expect(err.message).toBe(`${label}はありません（${article}は${count > 1 ? `第${count}項までです` : '項に分かれていません'}）。`);
      expect(err.errors).toEqual([{ path: 'article', message: '存在しない項です。' }]);
    },
  );

  it('第11条 without a 項 → 400 paragraph-required, naming an example', () => {
    for (const input of ['第11条', '第十一条', { article: 11 }]) {
      const err = invalid(() => resolveArticle(koriyama, input));
      expect(err.code).toBe('paragraph-required');
      expect(err.message).toBe('第11条は項によって監査の担当が分かれるため、項を指定してください（例: 第11条第1項）。');
      expect(err.errors).toEqual([{ path: 'article', message: '項の指定が必要です。' }]);
    }
  });

  it('第11条第7項 → 400 unknown-paragraph (第11条 has 6 項)', () => {
    const err = invalid(() => resolveArticle(koriyama, '第11条第7項'));
    expect(err.code).toBe('unknown-paragraph');
    expect(err.message).toBe('第11条第7項はありません（第11条は第6項までです）。');
  });

  it.each(['第40条', '第18条の3', '第32条', '第4条の4', '第0条の2', { article: 40 }, { article: 18, branch: 3, paragraph: 1 }])(
    '%j → 400 unknown-article or invalid',
    (input) => {
      const err = invalid(() => resolveArticle(koriyama, input));
      expect(['unknown-article', 'invalid-article']).toContain(err.code);
    },
  );

  it.each([
    ['第40条', '第40条'],
    ['第18条の3', '第18条の3'],
    ['第18条の3第1項', '第18条の3'],
  ])('%s → 400 unknown-article: 「%sは郡山市保有個人情報等の取扱基準にありません。」', (input, article) => {
    const err = invalid(() => resolveArticle(koriyama, input));
    expect(err.code).toBe('unknown-article');
    expect(err.message).toBe(`${article}は郡山市保有個人情報等の取扱基準にありません。`);
    expect(err.errors).toEqual([{ path: 'article', message: '存在しない条です。' }]);
  });

  it.each([
    ['第十七条の二', '第17条の2', 'dx'],
    ['第 17 条の 2', '第17条の2', 'dx'],
    ['第１１条第５項', '第11条第5項', 'dx'],
    ['第十一条第二項', '第11条第2項', 'koho'],
    ['7条の2第3項', '第7条の2第3項', 'koho'],
  ] as const)('written forms resolve alike: %s → %s (%s)', (input, label, scope) => {
    expect(resolveArticle(koriyama, input)).toMatchObject({ label, scope });
  });

  it('branch articles inside a range are in it, and the range ends where it says', () => {
    expect(resolveArticle(koriyama, '第17条の2').scope).toBe('dx'); // 第16条から第18条まで
    expect(resolveArticle(koriyama, '第4条の3').scope).toBe('koho'); // 第3条から第7条の2まで
    expect(resolveArticle(koriyama, '第7条の2').scope).toBe('koho');
    expect(resolveArticle(koriyama, '第8条').scope).toBe('dx'); // just past 第7条の2
    expect(resolveArticle(koriyama, '第2条').scope).toBe('lead'); // just before 第3条
  });

  it('prints the 001 scope table for the release notes', () => {
    const lines = koriyama.articles.map((a) => {
      const label = formatArticleRef(a);
      const scopes = Array.from({ length: a.paragraphs }, (_, i) => resolveArticle(koriyama, { ...a, paragraph: i + 1 }).scope);
      if (new Set(scopes).size === 1) return `${label} → ${resolveArticle(koriyama, label).scope}`;
      const groups = [...new Set(scopes)].map((s) => `${scopes.flatMap((x, i) => (x === s ? [`第${i + 1}項`] : [])).join('・')} ${s}`);
      return `${label} → ${groups.join(', ')}`;
    });
    console.log(`001 郡山市 scope table (第7条の2第3項):\n${lines.join('\n')}`);
    expect(lines).toHaveLength(36);
    expect(lines).toContain('第17条の2 → dx');
    expect(lines).toContain('第11条 → 第1項・第5項 dx, 第2項・第3項・第4項・第6項 koho');
  });
});

describe('describeScope: the two 001 scopes in Japanese', () => {
  const dx = '第8条、第9条、第11条第1項及び第5項、第13条、第14条、第16条から第18条まで、第20条、第22条';
  const koho = '第3条から第7条の2まで、第10条、第11条（第1項及び第5項を除く）、第15条、第19条、第19条の2、第21条、第23条から第25条まで';

  it('as 第7条の2第3項 lists them', () => {
    const [dxScope, kohoScope] = koriyama.auditorScopes;
    expect(dxScope?.scope).toBe('dx');
    expect(describeScope(dxScope?.rules ?? [])).toBe(dx);
    expect(kohoScope?.scope).toBe('koho');
    expect(describeScope(kohoScope?.rules ?? [])).toBe(koho);
  });

  it('scopeOwners hands the same lists to the permission check', () => {
    expect(scopeOwners(koriyama)).toEqual([
      { scope: 'dx', role: 'auditorDx', title: '監査補助者（DX戦略課長）', articles: dx },
      { scope: 'koho', role: 'auditorKoho', title: '監査補助者（広報広聴課長）', articles: koho },
    ]);
    expect(scopeOwners(koriyama)).toBe(scopeOwners(koriyama));
  });

  it('section-item style ranges', () => {
    expect(
      describeScope(
        [{ from: { article: 5, branch: 1 }, to: { article: 5, branch: 7 } }, { from: { article: 8, branch: 5 } }],
        'sectionItem',
      ),
    ).toBe('第5の1から第5の7まで、第8の5');
  });
});

describe.each([
  ['002', nara],
  ['003', koka],
  ['004', kuki],
] as const)('resolveArticle under %s: no 監査補助者, every article is the 監査責任者’s', (_id, profile) => {
  it('has no auditor scopes and no split articles', () => {
    expect(profile.auditorScopes).toEqual([]);
    expect(scopeOwners(profile)).toEqual([]);
  });

  const articles = profile.articles.map((a) => [formatArticleRef(a, profile.referenceStyle), a] as const);

  it.each(articles)('%s → lead, and each of its 項', (label, a) => {
    const resolved = resolveArticle(profile, label);
    expect(resolved).toMatchObject({ label, scope: 'lead', entry: a });
    if (profile.referenceStyle === 'sectionItem') {
      // Items are not divided into 項.
      expect(invalid(() => resolveArticle(profile, { ...resolved.ref, paragraph: 1 })).code).toBe('unknown-paragraph');
      return;
    }
    for (let p = 1; p <= a.paragraphs; p += 1) {
      const ref = { ...resolved.ref, paragraph: p };
      if (a.absentParagraphs?.includes(p)) {
        expect(invalid(() => resolveArticle(profile, ref)).code).toBe('unknown-paragraph');
      } else {
        expect(resolveArticle(profile, ref)).toMatchObject({ label: `${label}第${p}項`, scope: 'lead' });
      }
    }
  });
});
