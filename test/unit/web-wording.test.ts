import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getProfile } from '#lib/profiles/index.js';
import { withPractices } from '#lib/profiles/practices.js';
import { holdsAudits } from '#lib/domain/provisions.js';
import {
  approvalHint,
  articleExample,
  closeGateHint,
  disposalProofHint,
  noAuditsNote,
  onSiteHint,
  planFormCite,
  planFormName,
  reportGateHint,
} from '../../web/src/wording.js';

const koriyama = getProfile('001');
const nara = getProfile('002');
const koka = getProfile('003');
const kuki = getProfile('004');

describe('SPA wording from the active profile', () => {
  it('the disposal hint: 001 practice over 第18条第4項, 003 the certificate of 第35条第2項', () => {
    expect(disposalProofHint(koriyama)).toBe('委託した場合は、立会いか写真付きの証明書で完了とします（運用上のルール。第18条第4項）');
    expect(disposalProofHint(nara)).toBe('委託した場合は、立会いか写真付きの証明書で完了とします（運用上のルール。第5の8）');
    expect(disposalProofHint(kuki)).toBe('委託した場合は、立会いか写真付きの証明書で完了とします（運用上のルール。第15条第2項）');
    expect(disposalProofHint(koka)).toBe('委託した場合は、証明書等で完了とします（第35条第2項）');
    const { disposalCompleteness: _none, ...silent } = koriyama.provisions;
    expect(disposalProofHint({ ...koriyama, provisions: silent })).toBeUndefined();
  });

  it('the article search example is an article of the catalogue, in its own style', () => {
    expect(articleExample(koriyama)).toBe('第17条の2、誤送付');
    expect(articleExample(nara)).toBe('第5の7、媒体');
    expect(articleExample(kuki)).toBe('第14条、誤送付');
    const example = articleExample(koka);
    expect(example).toMatch(/^第\d+条、/);
    expect(koka.articles.some((a) => example?.startsWith(`第${a.article}条、`))).toBe(true);
  });

  it('the yearly contractor check is on site only where the regulation says so', () => {
    expect(onSiteHint(koriyama)).toBe('原則として実地検査により確認します（第22条第4項）');
    expect(onSiteHint(kuki)).toBe('原則として実地検査により確認します（第36条第3項）');
    expect(onSiteHint(nara)).toBeUndefined();
    expect(onSiteHint(koka)).toBeUndefined();
  });

  it('003 has no 監査: no plan screens, and the note cites its 点検', () => {
    expect(holdsAudits(koka.provisions)).toBe(false);
    expect(noAuditsNote(koka)).toBe('この規程には監査の定めがありません。点検（第30条）を行います。');
    for (const p of [koriyama, nara, kuki]) expect(holdsAudits(p.provisions)).toBe(true);
    expect(holdsAudits(withPractices(koka, { audits: true }).provisions)).toBe(true);
  });

  it('plan steps cite the regulation under 001 and 運用上のルール where they are practice', () => {
    expect(planFormName(koriyama)).toBe('様式第4号');
    expect(planFormCite(koriyama)).toBe('（様式第4号）');
    expect(approvalHint(koriyama)).toBe('監査計画の承認は、総括保護管理者が行います（第26条第2項）。');
    expect(planFormName(nara)).toBeUndefined();
    expect(planFormCite(nara)).toBe('（運用上のルール）');
    expect(approvalHint(nara)).toBe('監査計画の承認は、特定個人情報保護総括責任者が行います（運用上のルール）。');
    expect(approvalHint(withPractices(koka, { audits: true }))).toBe('監査計画の承認は、総括責任者が行います（運用上のルール）。');
    for (const p of [koriyama, nara, kuki]) {
      expect(reportGateHint(p)).toMatch(/（運用上のルール）。$/);
      expect(closeGateHint(p)).toMatch(/（運用上のルール）。$/);
    }
    expect(reportGateHint(koka)).toBeUndefined();
    expect(closeGateHint(koka)).toBeUndefined();
  });

  it('no screen writes an article number of its own (comments aside)', () => {
    const root = join(import.meta.dirname, '../../web/src');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
    const offending: string[] = [];
    for (const file of files) {
      const lines = readFileSync(join(root, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (/^\s*(\*|\/\*)/.test(code)) return;
        if (/第\d+(条|の\d)|様式第/.test(code)) offending.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });
});
