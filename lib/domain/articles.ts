import * as z from './zod.js';
import { InvalidInput } from './errors.js';

/**
 * Article references (条項): `{ article: 17, branch: 2, paragraph: 1 }` is
 * 第17条の2第1項. One parser for every written form, one formatter back.
 *
 * Two styles of numbering occur in the seed regulations:
 * - `article`: 第17条の2第1項 (郡山市, 甲賀, 久喜);
 * - `sectionItem`: 第5の7, item 7 of section 第5 (奈良県), held as article 5, branch 7.
 */
export interface ArticleRef {
  article: number;
  /** 枝番: the 2 of 第17条の2 (or the item of 第5の7). */
  branch?: number;
  /** 項. */
  paragraph?: number;
}

export type ReferenceStyle = 'article' | 'sectionItem';

const kanjiDigits: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 十七 → 17, 百二 → 102, 二十 → 20; plain digit runs (一〇) read positionally. */
function kanjiNumber(s: string): number | undefined {
  if (!/^[〇零一二三四五六七八九十百]+$/.test(s)) return undefined;
  if (!/[十百]/.test(s)) return Number([...s].map((c) => kanjiDigits[c]).join(''));
  let total = 0;
  let current = 0;
  for (const c of s) {
    if (c === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else if (c === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else current = kanjiDigits[c] ?? 0;
  }
  return total + current;
}

/** Full-width digits to ASCII, spaces (incl. the ideographic space) removed, kanji numerals to digits. */
export function normalizeReference(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[〇零一二三四五六七八九十百]+/g, (m) => String(kanjiNumber(m) ?? m));
}

const articlePattern = /^第?([1-9]\d{0,2})条(?:の([1-9]\d{0,2}))?(?:第?([1-9]\d{0,2})項)?$/;
const sectionItemPattern = /^第?([1-9]\d{0,2})の([1-9]\d{0,2})$/;

/** `example`: a reference of the active regulation, written as it writes them (e.g. its first article). */
const invalidRef = (input: string, example?: string) =>
  new InvalidInput(
    `条項「${input}」を解釈できません。${example ? `「${example}」のように` : '条・項の番号で'}指定してください。`,
    [{ path: 'article', message: '条項の形式が正しくありません。' }],
    'invalid-article',
  );

/** The object form, as the API takes it. */
const articleNumber = () => z.number().check(z.int(), z.gte(1), z.lte(999));
export const articleRefObjectSchema = z.strictObject({
  article: articleNumber(),
  branch: z.optional(articleNumber()),
  paragraph: z.optional(articleNumber()),
});

/** Either form: the string 「第17条の2第1項」 or `{ article, branch?, paragraph? }`. */
export const articleInputSchema = z.union([z.string().check(z.minLength(1), z.maxLength(100)), articleRefObjectSchema]);
export type ArticleInput = z.infer<typeof articleInputSchema>;

/**
 * Parse any written form (spaces, full-width digits, kanji numerals) or the object form;
 * a refusal shows `example` (a reference of the active regulation) as the form to use.
 */
export function parseArticleRef(input: ArticleInput, example?: string): ArticleRef {
  if (typeof input !== 'string') return compact(input);
  const s = normalizeReference(input);
  const a = articlePattern.exec(s);
  if (a) return compact({ article: Number(a[1]), branch: num(a[2]), paragraph: num(a[3]) });
  const si = sectionItemPattern.exec(s);
  if (si) return { article: Number(si[1]), branch: Number(si[2]) };
  throw invalidRef(input, example);
}

function num(s: string | undefined): number | undefined {
  return s === undefined ? undefined : Number(s);
}

function compact(r: { article: number; branch?: number | undefined; paragraph?: number | undefined }): ArticleRef {
  return {
    article: r.article,
    ...(r.branch === undefined ? {} : { branch: r.branch }),
    ...(r.paragraph === undefined ? {} : { paragraph: r.paragraph }),
  };
}

/** Back to Japanese: 第17条の2第1項 (article style) or 第5の7 (section-item style). */
export function formatArticleRef(ref: ArticleRef, style: ReferenceStyle = 'article'): string {
  if (style === 'sectionItem') return `第${ref.article}${ref.branch === undefined ? '' : `の${ref.branch}`}`;
  return `第${ref.article}条${ref.branch === undefined ? '' : `の${ref.branch}`}${ref.paragraph === undefined ? '' : `第${ref.paragraph}項`}`;
}

/** Order of articles in a regulation: 第4条 < 第4条の2 < 第4条の3 < 第5条. */
export function compareArticles(a: ArticleRef, b: ArticleRef): number {
  return a.article - b.article || (a.branch ?? 0) - (b.branch ?? 0);
}

/** The article itself, without the paragraph. */
export function articleOnly(ref: ArticleRef): ArticleRef {
  return compact({ article: ref.article, branch: ref.branch });
}

export function sameArticle(a: ArticleRef, b: ArticleRef): boolean {
  return compareArticles(a, b) === 0;
}
