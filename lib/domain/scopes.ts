import {
  type ArticleInput,
  type ArticleRef,
  type ReferenceStyle,
  articleOnly,
  compareArticles,
  formatArticleRef,
  parseArticleRef,
} from './articles.js';
import { InvalidInput } from './errors.js';
import type { Role } from './roles.js';

/**
 * Auditor scopes (第7条の2第3項) and the routing of an article reference to the
 * scope of the auditor who may record findings on it.
 */

/** One article (or, in section-item style, one item) of a regulation. */
export interface ArticleEntry {
  article: number;
  branch?: number;
  /** The heading in parentheses above it, e.g. 媒体の管理等. */
  title: string;
  /** Number of 項 (1 when the article is not divided): the highest 項 number. */
  paragraphs: number;
  /** 項 numbers below `paragraphs` that the text does not have. */
  absentParagraphs?: number[];
  /** The 章 (or 第N section) it stands in. */
  chapter: string;
}

/**
 * Which articles an auditor covers. `from`–`to` is inclusive and takes in every
 * branch article between them (第16条から第18条まで covers 第17条の2).
 * `paragraphs` limits the rule to those 項; `exceptParagraphs` excludes them.
 */
export interface ScopeRule {
  from: ArticleRef;
  to?: ArticleRef;
  paragraphs?: number[];
  exceptParagraphs?: number[];
}

/** A finding's scope: the DX auditor's, the 広報広聴 auditor's, or the 監査責任者's alone; in this order wherever listed. */
export const scopeIds = ['dx', 'koho', 'lead'] as const;
export type ScopeId = (typeof scopeIds)[number];

export interface AuditorScope {
  scope: Exclude<ScopeId, 'lead'>;
  role: Role;
  title: string;
  /** The article that assigns the scope, e.g. 第7条の2第3項. */
  source: string;
  rules: ScopeRule[];
}

/** What scope routing needs from a regulation profile. */
export interface ScopeCatalogue {
  regulation: string;
  referenceStyle: ReferenceStyle;
  articles: readonly ArticleEntry[];
  auditorScopes: readonly AuditorScope[];
}

/** A reference of the regulation to show as the form to use: its first article divided into 項, with its 第1項 (001: 第4条第1項; 002: 第1の1). */
function exampleOf(catalogue: ScopeCatalogue): string | undefined {
  const style = catalogue.referenceStyle;
  const entry = (style === 'article' && catalogue.articles.find((a) => a.paragraphs > 1)) || catalogue.articles[0];
  if (!entry) return undefined;
  const ref = { article: entry.article, ...(entry.branch === undefined ? {} : { branch: entry.branch }) };
  return formatArticleRef(style === 'article' && entry.paragraphs > 1 ? { ...ref, paragraph: 1 } : ref, style);
}

/** A checked article reference with what follows from it. */
export interface ResolvedArticle {
  ref: ArticleRef;
  /** 第17条の2第1項 */
  label: string;
  entry: ArticleEntry;
  scope: ScopeId;
}

function inRule(rule: ScopeRule, ref: ArticleRef): boolean {
  const inRange = rule.to
    ? compareArticles(rule.from, ref) <= 0 && compareArticles(ref, rule.to) <= 0
    : compareArticles(rule.from, ref) === 0;
  if (!inRange) return false;
  if (rule.paragraphs && (ref.paragraph === undefined || !rule.paragraphs.includes(ref.paragraph))) return false;
  if (rule.exceptParagraphs && (ref.paragraph === undefined || rule.exceptParagraphs.includes(ref.paragraph))) return false;
  return true;
}

/** True when some rule on this article splits it by 項 (第11条 in 001). */
function splitByParagraph(catalogue: ScopeCatalogue, ref: ArticleRef): boolean {
  const bare = articleOnly(ref);
  return catalogue.auditorScopes.some((s) =>
    s.rules.some((r) => (r.paragraphs || r.exceptParagraphs) && inRule({ from: r.from, ...(r.to ? { to: r.to } : {}) }, bare)),
  );
}

/**
 * Check an article reference against the regulation and route it to its scope
 * (第7条の2第3項): 400 for an article or 項 the regulation does not have, and for an
 * article split by 項 given without one; articles in no assistant's scope are the
 * 監査責任者's alone.
 */
export function resolveArticle(catalogue: ScopeCatalogue, input: ArticleInput): ResolvedArticle {
  const style = catalogue.referenceStyle;
  const ref = parseArticleRef(input, exampleOf(catalogue));
  const label = formatArticleRef(ref, style);
  const entry = catalogue.articles.find((a) => compareArticles(a, ref) === 0);
  if (!entry) {
    throw new InvalidInput(
      `${formatArticleRef(articleOnly(ref), style)}は${catalogue.regulation}にありません。`,
      [{ path: 'article', message: '存在しない条です。' }],
      'unknown-article',
    );
  }
  if (
    ref.paragraph !== undefined &&
    (style === 'sectionItem' || ref.paragraph > entry.paragraphs || entry.absentParagraphs?.includes(ref.paragraph))
  ) {
    const has = entry.paragraphs > 1 ? `第${entry.paragraphs}項までです` : '項に分かれていません';
    const article = formatArticleRef(articleOnly(ref), style);
    throw new InvalidInput(
      `${article}第${ref.paragraph}項はありません（${article}は${has}）。`,
      [{ path: 'article', message: '存在しない項です。' }],
      'unknown-paragraph',
    );
  }
  if (ref.paragraph === undefined && splitByParagraph(catalogue, ref)) {
    throw new InvalidInput(
      `${label}は項によって監査の担当が分かれるため、項を指定してください（例: ${label}第1項）。`,
      [{ path: 'article', message: '項の指定が必要です。' }],
      'paragraph-required',
    );
  }
  const owner = catalogue.auditorScopes.find((s) => s.rules.some((r) => inRule(r, ref)));
  return { ref, label, entry, scope: owner ? owner.scope : 'lead' };
}

/** A scope's articles in Japanese, as the regulation lists them: 第8条、第16条から第18条まで、第11条第1項及び第5項 … */
export function describeScope(rules: readonly ScopeRule[], style: ReferenceStyle = 'article'): string {
  return rules
    .map((r) => {
      const from = formatArticleRef(r.from, style);
      if (r.to) return `${from}から${formatArticleRef(r.to, style)}まで`;
      if (r.paragraphs) return `${from}${r.paragraphs.map((p) => `第${p}項`).join('及び')}`;
      if (r.exceptParagraphs) return `${from}（${r.exceptParagraphs.map((p) => `第${p}項`).join('及び')}を除く）`;
      return from;
    })
    .join('、');
}
