import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDepartments } from '#lib/local/demo-users.js';
import { type TestStack, planBody, startTestStack } from './stack.js';

/**
 * One whole audit over HTTP against DynamoDB Local, for one regulation profile:
 * profile and titles → plan (create, submit, approve, start) → findings in and out of
 * scope → follow-up actions (progress, submit, reopen, verify) → report gate → close
 * gate → the audit trail of the plan and of one action.
 *
 * Handlers read PROFILE_ID once at cold start, so a test file (one process) serves one
 * profile: test/integration/profile-00N.test.ts each call {@link profileScenario}.
 */

type Rating = 'conforming' | 'minor' | 'major';
type Scope = 'dx' | 'koho' | 'lead';

interface FindingCase {
  /** Demo user who records it. */
  as: string;
  /** As sent: a string (any written form) or the object form. */
  article: string | { article: number; branch?: number; paragraph?: number };
  rating: Rating;
  department: string;
  /** Expected in the answer. */
  label: string;
  title: string;
  scope: Scope;
}

interface Refusal {
  as: string;
  article: string;
  status: 400 | 403;
  /** Fragments the problem's `detail` must contain. */
  detail: string[];
}

export interface ProfileExpectation {
  id: string;
  organisation: string;
  regulation: string;
  referenceStyle: 'article' | 'sectionItem';
  /** The deployment's practice (`PRACTICES_JSON`) the scenario needs: a regulation without 監査 audits only as practice. */
  practicesJson?: string;
  /** The profile's titles of the roles the scenario's users act in (a post the text does not have: none). */
  titles: { chiefManager: string; auditLead: string; sectionManager: string; sectionStaff?: string; affairStaff?: string };
  /** Assistant auditors (監査補助者) and their scopes exist (001 only). */
  assistantScopes: Scope[];
  /** 監査実施体制 of the plan. */
  team: { role: 'auditLead' | 'auditorDx' | 'auditorKoho'; userId: string }[];
  /**
   * The findings, in order. The first two need actions: [0] major (it goes through a
   * reopen cycle), [1] minor (it has no action when the report is first tried).
   */
  findings: FindingCase[];
  /** Recording refused because the article is outside the recorder's scope (403). */
  outOfScope: Refusal[];
  /** Articles the regulation does not have (400). */
  unknownArticles: string[];
}

const lead = 'policy-director';
const chief = 'vice-mayor';
const dx = 'dx-manager';
const koho = 'pr-manager';
/** Who works on a 課's actions: sectionStaff records progress, sectionManager submits. */
const sectionUsers: Record<string, { staff: string; manager: string }> = {
  citizens: { staff: 'citizens-staff', manager: 'citizens-manager' },
  'resident-tax': { staff: 'tax-staff', manager: 'tax-manager' },
};
const farFuture = '2099-03-31';

const only = { as: lead, department: 'citizens', scope: 'lead' as const };

/** What each seed profile must look like over HTTP. */
export const profileExpectations: Record<string, ProfileExpectation> = {
  '001': {
    id: '001',
    organisation: '郡山市',
    regulation: '郡山市保有個人情報等の取扱基準',
    referenceStyle: 'article',
    titles: {
      chiefManager: '総括保護管理者',
      auditLead: '監査責任者',
      sectionManager: '保護管理者',
      sectionStaff: '保護担当者',
      affairStaff: '事務取扱担当者',
    },
    assistantScopes: ['dx', 'koho'],
    team: [
      { role: 'auditLead', userId: lead },
      { role: 'auditorDx', userId: dx },
      { role: 'auditorKoho', userId: koho },
    ],
    findings: [
      { as: dx, article: '第17条の2', rating: 'major', department: 'citizens', label: '第17条の2', title: '誤送付等の防止', scope: 'dx' },
      {
        as: koho,
        article: '第23条',
        rating: 'minor',
        department: 'citizens',
        label: '第23条',
        title: '事案の報告及び再発防止措置',
        scope: 'koho',
      },
      {
        as: lead,
        article: { article: 26 },
        rating: 'conforming',
        department: 'resident-tax',
        label: '第26条',
        title: '監査',
        scope: 'lead',
      },
    ],
    outOfScope: [
      { as: dx, article: '第23条', status: 403, detail: ['第23条', '広報広聴課長', '第16条から第18条まで'] },
      { as: koho, article: '第17条の2', status: 403, detail: ['第17条の2', 'DX戦略課長'] },
      { as: koho, article: '第26条', status: 403, detail: ['第26条', '監査責任者'] },
    ],
    unknownArticles: ['第40条', '第18条の3'],
  },
  '002': {
    id: '002',
    organisation: '奈良県',
    regulation: '奈良県特定個人情報の保護に関する管理規程',
    referenceStyle: 'sectionItem',
    titles: {
      chiefManager: '特定個人情報保護総括責任者',
      auditLead: '監査責任者',
      sectionManager: '特定個人情報保護責任者',
      sectionStaff: '特定個人情報保護主任',
      affairStaff: '特定個人情報取扱担当者',
    },
    assistantScopes: [],
    team: [{ role: 'auditLead', userId: lead }],
    findings: [
      { ...only, article: '第5の7', rating: 'major', label: '第5の7', title: '媒体の管理等' },
      { ...only, article: '第８の５', rating: 'minor', label: '第8の5', title: '委託先に対する定期的検査等' },
    ],
    outOfScope: [
      { as: dx, article: '第5の7', status: 403, detail: ['第5の7', '監査責任者'] },
      { as: koho, article: '第8の5', status: 403, detail: ['第8の5', '監査責任者'] },
    ],
    unknownArticles: ['第5の15', '第11の1'],
  },
  '003': {
    id: '003',
    organisation: '甲賀広域行政組合',
    regulation: '甲賀広域行政組合特定個人情報等管理規程',
    referenceStyle: 'article',
    // 003 has no 監査 (test/integration/audits-003.test.ts): this deployment audits as its practice.
    practicesJson: '{"audits":true}',
    // No 保護担当者: the staff of 第21条第1項 are the 事務取扱担当者; the 監査責任者 is the practice's.
    titles: { chiefManager: '総括責任者', auditLead: '監査責任者', sectionManager: '事務取扱責任者', affairStaff: '事務取扱担当者' },
    assistantScopes: [],
    team: [{ role: 'auditLead', userId: lead }],
    findings: [
      { ...only, article: '第27条', rating: 'major', label: '第27条', title: '特定個人情報等の取扱状況の記録' },
      { ...only, article: '第 33 条', rating: 'minor', label: '第33条', title: '機器及び電子媒体等の盗難等の防止' },
    ],
    outOfScope: [
      { as: dx, article: '第27条', status: 403, detail: ['第27条'] },
      { as: koho, article: '第33条', status: 403, detail: ['第33条'] },
    ],
    // 第9条 is missing from the text of 003; 第41条 is past its end.
    unknownArticles: ['第9条', '第41条'],
  },
  '004': {
    id: '004',
    organisation: '久喜市',
    regulation: '久喜市の保有する個人情報の適切な管理のための措置に関する規程',
    referenceStyle: 'article',
    titles: { chiefManager: '総括保護管理者', auditLead: '監査責任者', sectionManager: '保護管理者', sectionStaff: '保護担当者' },
    assistantScopes: [],
    team: [{ role: 'auditLead', userId: lead }],
    findings: [
      { ...only, article: '第13条第2項', rating: 'major', label: '第13条第2項', title: '媒体の管理等' },
      { ...only, article: { article: 36, paragraph: 3 }, rating: 'minor', label: '第36条第3項', title: '業務の委託等' },
    ],
    outOfScope: [
      { as: dx, article: '第13条第2項', status: 403, detail: ['第13条第2項'] },
      { as: koho, article: '第36条第3項', status: 403, detail: ['第36条第3項'] },
    ],
    unknownArticles: ['第46条', '第14条の2'],
  },
};

function findingBody(c: Pick<FindingCase, 'article' | 'rating' | 'department'>) {
  return {
    department: c.department,
    article: c.article,
    rating: c.rating,
    title: `${typeof c.article === 'string' ? c.article : JSON.stringify(c.article)} の所見`,
    observation: '確認した事実',
    criteria: '規程の定め',
    cause: '手順が定められていない',
    recommendation: '改善の提言',
  };
}

/** Registers the whole scenario for one profile (call once per test file). */
export function profileScenario(profileId: string): void {
  const p = profileExpectations[profileId];
  if (!p) throw new Error(`no expectations for profile ${profileId}`);

  describe(`profile ${p.id} ${p.organisation}: a whole audit over HTTP`, () => {
    let stack: TestStack;
    let planId = '';
    /** findingId by index of p.findings. */
    const findingIds: string[] = [];
    /** actionId of the findings that need one, by index of p.findings. */
    const actionIds: string[] = [];
    /** The finding's auditor: who created it, who verifies its action. */
    const auditorOf = (i: number) => (p.findings[i] as FindingCase).as;
    const needing = () => p.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.rating !== 'conforming');

    beforeAll(async () => {
      stack = await startTestStack({ profileId, ...(p.practicesJson === undefined ? {} : { practicesJson: p.practicesJson }) });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('serves this profile: GET /profile, and GET /me with its role titles', async () => {
      const prof = await stack.call('GET', '/profile', { as: 'clerk' });
      expect(prof.status).toBe(200);
      expect(prof.body).toMatchObject({
        id: p.id,
        organisation: p.organisation,
        regulation: p.regulation,
        referenceStyle: p.referenceStyle,
      });
      expect(prof.body.auditorScopes.map((s: { scope: string }) => s.scope)).toEqual(p.assistantScopes);
      expect(prof.body.roleTitles).toMatchObject(p.titles);
      // The organisation's 課 and 部 (DEPARTMENTS_JSON; here the demo organisation), for names and choices in clients.
      expect(prof.body.departments).toEqual(demoDepartments.map(({ code, name, division }) => ({ code, name, division })));
      // The articles of the scenario are the regulation's, with the catalogue's headings.
      for (const f of p.findings) {
        const bare = f.label.replace(/第\d+項$/, '');
        const m = /^第(\d+)(?:条)?(?:の(\d+))?$/.exec(bare);
        expect(m, bare).not.toBeNull();
        const entry = prof.body.articles.find(
          (a: { article: number; branch?: number }) =>
            a.article === Number(m?.[1]) && (a.branch ?? undefined) === (m?.[2] === undefined ? undefined : Number(m[2])),
        );
        expect(entry, `${bare} in the catalogue of ${p.id}`).toMatchObject({ title: f.title });
      }

      const meOf = async (as: string) => {
        const r = await stack.call('GET', '/me', { as });
        expect(r.status).toBe(200);
        expect(r.body.profile).toMatchObject({ id: p.id, organisation: p.organisation, regulation: p.regulation });
        return Object.fromEntries((r.body.roles as string[]).map((role, i) => [role, (r.body.roleTitles as string[])[i]]));
      };
      expect(await meOf(chief)).toEqual({ chiefManager: p.titles.chiefManager });
      expect((await meOf(lead)).auditLead).toBe(p.titles.auditLead);
      expect(await meOf('citizens-manager')).toEqual({ sectionManager: p.titles.sectionManager });
      expect(await meOf('citizens-staff')).toEqual({ sectionStaff: p.titles.sectionStaff });
      expect(await meOf('tax-staff')).toEqual({ affairStaff: p.titles.affairStaff });
    });

    it('takes a plan from draft to inProgress: 監査責任者 drafts and starts, 総括 approves', async () => {
      const body = planBody({ team: p.team, criteria: undefined });
      const created = await stack.call('POST', '/plans', { as: lead, body });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'draft', criteria: p.regulation, profile: { id: p.id } });
      planId = created.body.planId as string;

      expect((await stack.call('POST', `/plans/${planId}/submit`, { as: lead })).body.status).toBe('submitted');
      const approved = await stack.call('POST', `/plans/${planId}/approve`, { as: chief, body: { comment: '承認します' } });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
      const started = await stack.call('POST', `/plans/${planId}/start`, { as: lead });
      expect(started.status).toBe(200);
      expect(started.body.status).toBe('inProgress');
    });

    it('records findings in scope, with labels in the regulation’s own form', async () => {
      for (const f of p.findings) {
        const r = await stack.call('POST', `/plans/${planId}/findings`, { as: f.as, body: findingBody(f) });
        expect(r.status, `${f.as} on ${JSON.stringify(f.article)}: ${r.text}`).toBe(201);
        expect(r.body).toMatchObject({
          planId,
          department: f.department,
          rating: f.rating,
          scope: f.scope,
          articleLabel: f.label,
          articleTitle: f.title,
          createdBy: f.as,
        });
        if (p.referenceStyle === 'sectionItem') expect(r.body.articleLabel).toMatch(/^第\d+の\d+$/);
        findingIds.push(r.body.findingId as string);
      }
      const listed = await stack.call('GET', `/plans/${planId}/findings`, { as: chief });
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((f: { articleLabel: string }) => f.articleLabel).sort()).toEqual(p.findings.map((f) => f.label).sort());
    });

    it('refuses findings outside the recorder’s scope (403) and articles the regulation does not have (400)', async () => {
      for (const r of p.outOfScope) {
        const res = await stack.call('POST', `/plans/${planId}/findings`, {
          as: r.as,
          body: findingBody({ article: r.article, rating: 'minor', department: 'citizens' }),
        });
        expect(res.status, `${r.as} on ${r.article}: ${res.text}`).toBe(r.status);
        for (const d of r.detail) expect(res.body.detail).toContain(d);
        expect(res.body.detail).not.toContain('です。です');
        // 第7条の2 (監査補助者) is 郡山市's: another regulation's refusal must not cite it.
        if (p.assistantScopes.length === 0) expect(res.body.detail).not.toContain('第7条の2');
      }
      for (const article of p.unknownArticles) {
        const res = await stack.call('POST', `/plans/${planId}/findings`, {
          as: lead,
          body: findingBody({ article, rating: 'minor', department: 'citizens' }),
        });
        expect(res.status, `${article}: ${res.text}`).toBe(400);
        expect(res.body.detail).toContain('ありません');
        expect(res.body.detail).toContain(p.regulation);
      }
      // Nothing refused was stored.
      const listed = await stack.call('GET', `/plans/${planId}/findings`, { as: chief });
      expect(listed.body.items).toHaveLength(p.findings.length);
    });

    it('gates the report on an action for every 要改善/重大な不備 finding (409 naming the article, then 200)', async () => {
      const [major, minor] = needing();
      expect(major?.f.rating).toBe('major');
      expect(minor?.f.rating).toBe('minor');
      if (!major || !minor) return;

      const a1 = await stack.call('POST', `/findings/${findingIds[major.i]}/actions`, {
        as: auditorOf(major.i),
        body: { description: '誤送付・紛失防止の手順を定める', dueDate: farFuture },
      });
      expect(a1.status, a1.text).toBe(201);
      expect(a1.body).toMatchObject({ status: 'open', department: major.f.department, dueDate: farFuture, overdue: false });
      actionIds[major.i] = a1.body.actionId as string;

      const early = await stack.call('POST', `/plans/${planId}/report`, { as: lead });
      expect(early.status, early.text).toBe(409);
      expect(early.body.detail).toContain(minor.f.label);
      expect(early.body.detail).not.toContain(`${major.f.label}（`);

      const a2 = await stack.call('POST', `/findings/${findingIds[minor.i]}/actions`, {
        as: auditorOf(minor.i),
        body: { description: '記録簿を整備する', dueDate: farFuture },
      });
      expect(a2.status, a2.text).toBe(201);
      actionIds[minor.i] = a2.body.actionId as string;

      const reported = await stack.call('POST', `/plans/${planId}/report`, { as: lead });
      expect(reported.status, reported.text).toBe(200);
      expect(reported.body.status).toBe('reported');
    });

    it('carries the actions through progress, submission, a reopen cycle and verification, gating close', async () => {
      const [major, minor] = needing();
      if (!major || !minor) throw new Error('scenario needs a major and a minor finding');
      const a1 = actionIds[major.i] as string;
      const a2 = actionIds[minor.i] as string;
      const s1 = sectionUsers[major.f.department] as { staff: string; manager: string };
      const s2 = sectionUsers[minor.f.department] as { staff: string; manager: string };
      const post = async (as: string, path: string, body: unknown, status = 200) => {
        const r = await stack.call('POST', path, { as, body });
        expect(r.status, `${as} POST ${path}: ${r.text}`).toBe(status);
        return r.body;
      };

      expect((await post(s1.staff, `/actions/${a1}/progress`, { note: '手順案を作成中' })).status).toBe('inProgress');
      expect((await post(s1.manager, `/actions/${a1}/submit`, { note: '手順を施行しました' })).status).toBe('submitted');
      expect((await post(auditorOf(major.i), `/actions/${a1}/reopen`, { reason: '施行の記録がありません' })).status).toBe('reopened');
      expect((await post(s1.staff, `/actions/${a1}/progress`, { note: '施行記録を整理中' })).status).toBe('inProgress');
      expect((await post(s1.manager, `/actions/${a1}/submit`, { note: '施行記録を添付しました' })).status).toBe('submitted');
      if (p.assistantScopes.length > 0 && auditorOf(major.i) !== lead) {
        // Only the finding's auditor (or the 監査責任者) verifies: not the other assistant.
        const other = auditorOf(major.i) === dx ? koho : dx;
        await post(other, `/actions/${a1}/verify`, {}, 403);
      }
      // The submitter cannot verify (職務の分離), and a section role may not verify at all.
      await post(s1.manager, `/actions/${a1}/verify`, {}, 403);
      const verified = await post(auditorOf(major.i), `/actions/${a1}/verify`, { comment: '確認しました' });
      expect(verified).toMatchObject({ status: 'verified', verifiedBy: auditorOf(major.i) });

      expect((await post(s2.staff, `/actions/${a2}/progress`, { note: '記録簿の様式を作成中' })).status).toBe('inProgress');
      expect((await post(s2.manager, `/actions/${a2}/submit`, { note: '記録簿を備え付けました' })).status).toBe('submitted');

      const early = await stack.call('POST', `/plans/${planId}/close`, { as: chief });
      expect(early.status, early.text).toBe(409);
      expect(early.body.detail).toContain('1件');
      expect(early.body.detail).toContain(minor.f.label);

      expect((await post(auditorOf(minor.i), `/actions/${a2}/verify`, { comment: '確認しました' })).status).toBe('verified');
      const closed = await stack.call('POST', `/plans/${planId}/close`, { as: chief });
      expect(closed.status, closed.text).toBe(200);
      expect(closed.body.status).toBe('closed');
    });

    it('keeps the trail: the plan’s transitions and one action’s steps, in order, with their actors', async () => {
      const [major] = needing();
      if (!major) throw new Error('scenario needs a major finding');
      const planTrail = await stack.call('GET', `/audit-log?entityType=plan&entityId=${planId}`, { as: chief });
      expect(planTrail.status).toBe(200);
      expect(planTrail.body.items.map((e: { action: string; actor: { sub: string } }) => `${e.action}:${e.actor.sub}`)).toEqual([
        `plan.created:${lead}`,
        `plan.submitted:${lead}`,
        `plan.approved:${chief}`,
        `plan.started:${lead}`,
        `plan.reported:${lead}`,
        `plan.closed:${chief}`,
      ]);

      const s1 = sectionUsers[major.f.department] as { staff: string; manager: string };
      const auditor = auditorOf(major.i);
      const actionTrail = await stack.call('GET', `/audit-log?entityType=action&entityId=${actionIds[major.i]}`, { as: lead });
      expect(actionTrail.status).toBe(200);
      expect(actionTrail.body.items.map((e: { action: string; actor: { sub: string } }) => `${e.action}:${e.actor.sub}`)).toEqual([
        `action.created:${auditor}`,
        `action.progressed:${s1.staff}`,
        `action.submitted:${s1.manager}`,
        `action.reopened:${auditor}`,
        `action.progressed:${s1.staff}`,
        `action.submitted:${s1.manager}`,
        `action.verified:${auditor}`,
      ]);
      expect(actionTrail.body.items.map((e: { version: number }) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });
  });
}
