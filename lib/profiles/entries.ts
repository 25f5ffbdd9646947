import type { ArticleEntry } from './types.js';

/**
 * One catalogue row: the article (`4` or `'4の2'` for 第4条の2 / 第5の7), its heading
 * and its number of 項 (default 1).
 */
export type Row = readonly [article: number | `${number}の${number}`, title: string, paragraphs?: number, absentParagraphs?: number[]];

/** The rows of one 章 (or 第N section) as catalogue entries. */
export function chapter(name: string, rows: readonly Row[]): ArticleEntry[] {
  return rows.map(([ref, title, paragraphs = 1, absentParagraphs]) => {
    const [article, branch] = typeof ref === 'number' ? [ref, undefined] : ref.split('の').map(Number);
    return {
      article: article as number,
      ...(branch === undefined ? {} : { branch }),
      title,
      paragraphs,
      ...(absentParagraphs ? { absentParagraphs } : {}),
      chapter: name,
    };
  });
}
