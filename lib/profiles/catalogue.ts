import { type ArticleRef, type ReferenceStyle, normalizeReference, parseArticleRef } from '#lib/domain/articles.js';
import type { ArticleEntry } from './types.js';

/**
 * Reads the article catalogue out of a regulation text, as the seed files have it
 * (OCR-like: `第 19 条の 2`, full-width digits, "- 2 " bullets before 項 lines, page-break
 * debris). One reader for every profile: the profiles' hand-written catalogues are
 * checked against it.
 *
 * - `article` style: an article starts at a line `第N条` / `第N条のM` followed by its text;
 *   its 項 are the following lines that start with the next paragraph number.
 * - `sectionItem` style (奈良県): a section starts at a line `第N 見出し`; its items are
 *   the lines that start with the next item number (`1 0` is item 10), held as
 *   `{ article: N, branch: item }`, one 項 each.
 *
 * The heading of an article is the last `（見出し）` line above it within its 章/節/section;
 * an article with no heading of its own in a 章 without one takes the 章's name.
 * Reading stops at the first 附則 after the body (forms and 別表 follow it).
 */
export interface ExtractedArticle extends ArticleEntry {
  /** The article as written in the text (normalised: no spaces, ASCII digits). */
  written: string;
}

const numeral = '[0-9〇一二三四五六七八九十百]';
const articleLine = new RegExp(`^(第\\s*${numeral}+\\s*条(?:\\s*の\\s*${numeral}+)?)\\s+\\S`);
const chapterLine = new RegExp(`^第\\s*(${numeral}+)\\s*(章|節)\\s*(\\S.*)$`);
const sectionLine = new RegExp(`^第\\s*(${numeral}+)\\s+(\\S.*)$`);
const headingLine = /^\(([^()]*[^()\d\s][^()]*)\)$/;
/** 目次 entries repeat the chapter with its article range: 第2章 管理体制（第3条―第10条）. */
const tableOfContents = /\(第[^()]*\)$/;

/** A line with NFKC applied, outer spaces and a leading list bullet ("- ") removed. */
function clean(line: string): string {
  return line.normalize('NFKC').trim().replace(/^-\s+/, '').trim();
}

/** Does the line start with paragraph/item number `n` (digits possibly spaced: `1 0`)? */
function startsWithNumber(line: string, n: number): boolean {
  const digits = String(n).split('').join('\\s?');
  return new RegExp(`^${digits}\\s+\\S`).test(line);
}

/** How far ahead a 項/item number may jump when the text lost one (甲賀 第21条 has 1 and 3). */
const maxGap = 2;

/** Full entries (with title, 項 count and chapter) of every article found in the text. */
export function extractArticles(text: string, style: ReferenceStyle): ExtractedArticle[] {
  const found: ExtractedArticle[] = [];
  let chapter = '';
  let heading = '';
  let section: number | undefined;
  let current: ExtractedArticle | undefined;

  for (const raw of text.split(/\r?\n/)) {
    const line = clean(raw);
    if (line === '') continue;
    if (line.replace(/\s/g, '') === '附則' && found.length > 0) break;

    const heads = headingLine.exec(line);
    if (heads) {
      heading = (heads[1] as string).trim();
      continue;
    }

    if (style === 'article') {
      const ch = chapterLine.exec(line);
      if (ch && !tableOfContents.test(line)) {
        const name = `第${normalizeReference(ch[1] as string)}${ch[2]} ${(ch[3] as string).trim()}`;
        if (ch[2] === '章') chapter = name;
        heading = (ch[3] as string).trim();
        current = undefined;
        continue;
      }
      const art = articleLine.exec(line);
      if (art) {
        const ref = parseArticleRef(art[1] as string);
        current = { ...ref, written: normalizeReference(art[1] as string), title: heading, paragraphs: 1, chapter };
        found.push(current);
        continue;
      }
      if (current) {
        for (let n = current.paragraphs + 1; n <= current.paragraphs + maxGap; n += 1) {
          if (startsWithNumber(line, n)) {
            // 項 the text skips (甲賀 第21条 has 第1項 and 第3項) are recorded as absent.
            const from = current.paragraphs + 1;
            const skipped = Array.from({ length: n - from }, (_, i) => from + i);
            if (skipped.length > 0) current.absentParagraphs = [...(current.absentParagraphs ?? []), ...skipped];
            current.paragraphs = n;
            break;
          }
        }
      }
      continue;
    }

    // sectionItem
    const sec = sectionLine.exec(line);
    if (sec) {
      section = Number(normalizeReference(sec[1] as string));
      const title = (sec[2] as string).trim();
      chapter = `第${section} ${title}`;
      heading = title;
      current = undefined;
      continue;
    }
    if (section === undefined) continue;
    const last = current?.branch ?? 0;
    for (let n = last + 1; n <= last + maxGap; n += 1) {
      if (startsWithNumber(line, n)) {
        const written = `第${section}の${n}`;
        const ref = parseArticleRef(written);
        current = { ...ref, written, title: heading, paragraphs: 1, chapter };
        found.push(current);
        break;
      }
    }
  }
  return found;
}

/** The article headings (第N条, 第N条のM, or 第NのM items) of a regulation text, in order. */
export function extractArticleHeadings(text: string, style: ReferenceStyle): ArticleRef[] {
  return extractArticles(text, style).map(({ article, branch }) => (branch === undefined ? { article } : { article, branch }));
}
