import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Provision, type ProvisionId, applies } from '#lib/domain/provisions.js';
import { audienceProvision, audiences } from '#lib/domain/training.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { kuki } from '#lib/profiles/kuki.js';
import { nara } from '#lib/profiles/nara.js';
import type { RegulationProfile } from '#lib/profiles/types.js';

/**
 * The staff register's and training's rules under each regulation, written out by hand from the
 * texts (001 第8条・第11条・様式第1号–第3号, 002 第2の5・第3, 003 第21条・第22条・別表, 004 第8条), not
 * read from the profiles, each with the words of the text that make it: a profile that cites an
 * article the text does not support, or offers an audience the text does not name, fails here.
 */
type Rule = { article: string; words: string } | 'practice' | 'none';
interface Expected {
  profile: RegulationProfile;
  term: string | undefined;
  forms: { byPerson: string; bySection: string } | undefined;
  planForm: string | undefined;
  /** What a 課 owes those who missed a session, with the words of the text that say it (003: practice, 001's words). */
  followUp: { term: string; words?: string };
  rules: Record<
    'handlerDesignation' | 'training' | 'handlerTraining' | 'systemAdminTraining' | 'managerTraining' | 'trainingFollowUp' | 'trainingPlan',
    Rule
  >;
}

const expected: Record<string, Expected> = {
  '001': {
    profile: koriyama,
    term: '事務取扱担当者',
    forms: { byPerson: '様式第1号', bySection: '様式第2号' },
    planForm: '様式第3号',
    followUp: { term: '再受講の機会の付与', words: '研修未受講者に対して再受講の機会を付与する' },
    rules: {
      handlerDesignation: { article: '第8条', words: '特定個人情報を取り扱う職員(以下「事務取扱担当者」という。)並びにその役割を指定する' },
      training: { article: '第11条第1項', words: '保有個人情報等を取り扱う事務に携わる職員（派遣労働者を含む。' },
      handlerTraining: { article: '第11条第2項', words: '総括保護管理者は、事務取扱担当者に対し' },
      systemAdminTraining: { article: '第11条第3項', words: '情報システムの管理に関する事務に携わる者に対し' },
      managerTraining: { article: '第11条第4項', words: '保護管理者及び保護担当者に対し' },
      trainingFollowUp: { article: '第11条第5項', words: '研修未受講者に対して再受講の機会を付与する' },
      trainingPlan: { article: '第11条第6項', words: '研修計画（様式第3号）を策定し' },
    },
  },
  '002': {
    profile: nara,
    term: '特定個人情報取扱担当者',
    forms: undefined,
    planForm: undefined,
    followUp: { term: '研修への参加の機会の付与', words: '教育研修への参加の機会を付与する' },
    rules: {
      handlerDesignation: { article: '第2の5', words: '（以下「特定個人情報取扱担当者」という。）を指名し' },
      // 第3の1 trains the 取扱担当者 (派遣 included), not every 職員.
      training: 'none',
      handlerTraining: { article: '第3の1', words: '特定個人情報取扱担当者（派遣労働者を含む。以下同じ。）に対し' },
      systemAdminTraining: { article: '第3の2', words: '情報システムの管理に関する事務に従事する職員に対し' },
      managerTraining: { article: '第3の3', words: '特定個人情報保護責任者、特定個人情報保護主任、及び特定個人情報取扱担当者に対し' },
      trainingFollowUp: { article: '第3の4', words: '教育研修への参加の機会を付与する等の必要な措置を講ずる' },
      trainingPlan: 'practice',
    },
  },
  '003': {
    profile: koka,
    term: '事務取扱担当者',
    forms: undefined,
    planForm: undefined,
    followUp: { term: '再受講の機会の付与' },
    rules: {
      handlerDesignation: { article: '第21条第1項', words: '当該事務に従事する職員(以下「事務取扱担当者」という。)を明確にする' },
      training: 'none',
      handlerTraining: { article: '第22条第2項第3号', words: '事務取扱担当者に対する教育・研修の企画' },
      systemAdminTraining: 'none',
      managerTraining: 'none',
      // Nothing about those who missed it: another chance is practice.
      trainingFollowUp: 'practice',
      trainingPlan: { article: '第22条第2項第3号', words: '教育・研修の企画' },
    },
  },
  '004': {
    profile: kuki,
    term: undefined,
    forms: undefined,
    planForm: undefined,
    followUp: { term: '研修への参加の機会の付与', words: '教育研修への参加の機会を付与する' },
    rules: {
      handlerDesignation: 'none',
      training: { article: '第8条第1項', words: '保有個人情報の取扱いに従事する職員（派遣労働者を含む。以下同じ。）に対し' },
      handlerTraining: 'none',
      systemAdminTraining: { article: '第8条第2項', words: '情報システムの管理に関する事務に従事する職員に対し' },
      managerTraining: { article: '第8条第3項', words: '保護管理者及び保護担当者に対し' },
      trainingFollowUp: { article: '第8条第4項', words: '教育研修への参加の機会を付与する等の必要な措置' },
      trainingPlan: 'practice',
    },
  },
};

/** The text a profile was read from, without white space (the texts break lines inside sentences). */
function text(p: RegulationProfile): string {
  return readFileSync(new URL(`../../../shared/regulations/${p.version}.txt`, import.meta.url), 'utf8').replace(/\s/g, '');
}

const asRule = (p: Provision | undefined): Rule =>
  p === undefined ? 'none' : p.basis === 'practice' ? 'practice' : { article: p.article, words: '' };

describe.each(Object.entries(expected))('the register and training under %s', (_id, e) => {
  it.each(Object.entries(e.rules))('%s cites what the text says', (id, rule) => {
    const got = asRule(e.profile.provisions[id as ProvisionId]);
    if (typeof rule === 'string') return expect(got).toBe(rule);
    expect(got).toEqual({ article: rule.article, words: '' });
    expect(text(e.profile)).toContain(rule.words.replace(/\s/g, ''));
  });

  it('names the designated staff and the forms as the text does', () => {
    expect(e.profile.staff.handlerTerm).toBe(e.term);
    expect(e.profile.staff.forms).toEqual(e.forms);
    expect(e.profile.training.form).toBe(e.planForm);
    for (const f of [e.forms?.byPerson, e.forms?.bySection, e.planForm]) if (f) expect(text(e.profile)).toContain(f);
    // A term the text uses, and a 事務取扱担当者 role exactly where it designates them.
    if (e.term) expect(text(e.profile)).toContain(e.term);
    expect(applies(e.profile.provisions, 'handlerDesignation')).toBe(e.term !== undefined);
  });

  it('words the follow-up of those who missed a session as the text does', () => {
    expect(e.profile.training.followUpTerm).toBe(e.followUp.term);
    if (e.followUp.words) expect(text(e.profile)).toContain(e.followUp.words);
    // 再受講 only where the text says 再受講.
    expect(e.followUp.term.includes('再受講')).toBe(e.followUp.words === undefined || e.followUp.words.includes('再受講'));
  });

  it('offers exactly the audiences the text names', () => {
    const offered = audiences.filter((a) => applies(e.profile.provisions, audienceProvision[a]));
    expect(offered).toEqual(audiences.filter((a) => e.rules[audienceProvision[a] as keyof Expected['rules']] !== 'none'));
  });
});
