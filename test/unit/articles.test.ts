import { describe, expect, it } from 'vitest';
import {
  type ArticleInput,
  type ArticleRef,
  compareArticles,
  formatArticleRef,
  normalizeReference,
  parseArticleRef,
} from '#lib/domain/articles.js';
import { InvalidInput } from '#lib/domain/errors.js';
import { statusOf } from '#lib/http/problem.js';

const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('parseArticleRef: every written form', () => {
  const cases: [ArticleInput, ArticleRef][] = [
    ['第17条の2第1項', { article: 17, branch: 2, paragraph: 1 }],
    ['第17条の2', { article: 17, branch: 2 }],
    ['第17条第2項', { article: 17, paragraph: 2 }],
    ['第17条', { article: 17 }],
    ['第 19 条の 2', { article: 19, branch: 2 }],
    ['第\u300019\u3000条の\u30002', { article: 19, branch: 2 }], // ideographic spaces
    [' 第11条 第5項 ', { article: 11, paragraph: 5 }],
    ['第１０条', { article: 10 }],
    ['第１７条の２第１項', { article: 17, branch: 2, paragraph: 1 }],
    ['第十七条', { article: 17 }],
    ['第十条', { article: 10 }],
    ['第二十条第三項', { article: 20, paragraph: 3 }],
    ['第二十一条', { article: 21 }],
    ['第四条の二', { article: 4, branch: 2 }],
    ['第百条', { article: 100 }],
    ['第百十七条', { article: 117 }],
    ['第二百条', { article: 200 }],
    ['17条の2', { article: 17, branch: 2 }],
    ['17条', { article: 17 }],
    ['第17条1項', { article: 17, paragraph: 1 }],
    ['第999条', { article: 999 }],
    // 奈良県: item 7 of section 第5
    ['第5の7', { article: 5, branch: 7 }],
    ['第 5 の 10', { article: 5, branch: 10 }],
    ['第５の７', { article: 5, branch: 7 }],
    ['5の7', { article: 5, branch: 7 }],
    // object forms, as the API takes them
    [{ article: 17 }, { article: 17 }],
    [
      { article: 17, branch: 2 },
      { article: 17, branch: 2 },
    ],
    [
      { article: 17, branch: 2, paragraph: 1 },
      { article: 17, branch: 2, paragraph: 1 },
    ],
    [
      { article: 11, paragraph: 5 },
      { article: 11, paragraph: 5 },
    ],
    [{ article: 11, branch: undefined, paragraph: undefined }, { article: 11 }],
  ];

  it.each(cases)('%j → %j', (input, expected) => {
    const ref = parseArticleRef(input);
    expect(ref).toEqual(expected);
    // No keys with undefined values: the ref is stored and compared as it is.
    expect(Object.values(ref)).not.toContain(undefined);
  });
});

describe('parseArticleRef: what is not an article reference → InvalidInput (400)', () => {
  const invalid = [
    '',
    ' ',
    '第条',
    '第17項',
    'abc',
    '第17条の',
    '第1000条',
    '第17条の1000',
    '第17条第1000項',
    '第17条の2の3',
    '第十七',
    '条17',
    '第17章',
    '第5の',
    '第千条',
    '第0条',
    '第17条第0項',
    '第17条の0',
  ];

  it.each(invalid)('%j', (input) => {
    let err: unknown;
    try {
      parseArticleRef(input, '第17条の2第1項');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInput);
    const e = err as InvalidInput;
    expect(statusOf[e.kind]).toBe(400);
    expect(e.code).toBe('invalid-article');
    expect(e.message).toMatch(japanese);
    expect(e.message).toContain(`条項「${input}」を解釈できません`);
    // The example is the caller's: the active regulation's form (resolveArticle passes one of its articles).
    expect(e.message).toContain('「第17条の2第1項」のように指定してください');
    expect(e.errors).toEqual([{ path: 'article', message: '条項の形式が正しくありません。' }]);
  });
});

describe('normalizeReference', () => {
  it.each([
    ['第 19 条の 2', '第19条の2'],
    ['第１０条', '第10条'],
    ['第二十条第三項', '第20条第3項'],
    ['第一〇条', '第10条'],
    ['第\u30005\u3000の\u30007', '第5の7'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeReference(input)).toBe(expected);
  });
});

describe('formatArticleRef', () => {
  const article: [ArticleRef, string][] = [
    [{ article: 17, branch: 2, paragraph: 1 }, '第17条の2第1項'],
    [{ article: 17, branch: 2 }, '第17条の2'],
    [{ article: 11, paragraph: 5 }, '第11条第5項'],
    [{ article: 1 }, '第1条'],
    [{ article: 100 }, '第100条'],
  ];
  const sectionItem: [ArticleRef, string][] = [
    [{ article: 5, branch: 7 }, '第5の7'],
    [{ article: 5, branch: 10 }, '第5の10'],
    [{ article: 2 }, '第2'],
  ];

  it.each(article)('article style: %j → %s, and back', (ref, text) => {
    expect(formatArticleRef(ref)).toBe(text);
    expect(formatArticleRef(ref, 'article')).toBe(text);
    expect(parseArticleRef(text)).toEqual(ref);
  });

  it.each(sectionItem)('section-item style: %j → %s, and back', (ref, text) => {
    expect(formatArticleRef(ref, 'sectionItem')).toBe(text);
    if (ref.branch !== undefined) expect(parseArticleRef(text)).toEqual(ref);
  });

  it.each(['第 19 条の 2', '第１７条の２第１項', '第二十条第三項', '17条の2', '第四条の三'])(
    'parse → format → parse is stable for %j',
    (text) => {
      const ref = parseArticleRef(text);
      const formatted = formatArticleRef(ref);
      expect(parseArticleRef(formatted)).toEqual(ref);
      expect(formatArticleRef(parseArticleRef(formatted))).toBe(formatted);
    },
  );

  it('a section-item reference written in section-item style reads back as the same ref', () => {
    const ref = parseArticleRef('第 5 の 7');
    expect(formatArticleRef(ref, 'sectionItem')).toBe('第5の7');
    expect(formatArticleRef(ref, 'article')).toBe('第5条の7');
    expect(parseArticleRef(formatArticleRef(ref, 'article'))).toEqual(ref);
  });
});

describe('compareArticles', () => {
  const order = ['第4条', '第4条の2', '第4条の3', '第5条', '第7条の2', '第8条', '第10条', '第17条', '第17条の2', '第18条', '第100条'];

  it('orders 第4条 < 第4条の2 < 第4条の3 < 第5条 (and on: 第10条 after 第8条, not before it)', () => {
    const refs = order.map((s) => parseArticleRef(s));
    const shuffled = [...refs].reverse();
    shuffled.push(shuffled.splice(3, 1)[0] as ArticleRef);
    expect(shuffled.sort(compareArticles).map((r) => formatArticleRef(r))).toEqual(order);
  });

  it.each(order.slice(0, -1).map((s, i) => [s, order[i + 1] as string]))('%s < %s', (a, b) => {
    expect(compareArticles(parseArticleRef(a), parseArticleRef(b))).toBeLessThan(0);
    expect(compareArticles(parseArticleRef(b), parseArticleRef(a))).toBeGreaterThan(0);
  });

  it('ignores the 項: 第11条第1項 and 第11条第5項 are the same article', () => {
    expect(compareArticles(parseArticleRef('第11条第1項'), parseArticleRef('第11条第5項'))).toBe(0);
    expect(compareArticles(parseArticleRef('第11条'), parseArticleRef('第11条第5項'))).toBe(0);
  });
});
