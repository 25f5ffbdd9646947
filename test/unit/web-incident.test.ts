import { describe, expect, it } from 'vitest';
import {
  type Incident,
  closeIncident,
  contain,
  createIncidentSchema,
  investigate,
  noticeKindLabels,
  recordPpcReport,
  recordPrevention,
  updateIncidentSchema,
} from '#lib/domain/incident.js';
import { newIncident } from '#lib/domain/incident-assessment.js';
import { type Action, type Resource, decide } from '#lib/domain/permissions.js';
import type { Role } from '#lib/domain/roles.js';
import { getProfile } from '#lib/profiles/index.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import {
  deadlineText,
  emptyFacts,
  factsBody,
  factsOfIncident,
  incidentOffers,
  incidentTimeline,
  splitItems,
  voluntaryPpcHint,
} from '../../web/src/incident-view.js';
import {
  incidentClockNotes,
  incidentNoticeCite,
  incidentNoticeKinds,
  incidentReportHint,
  incidentStepTitle,
  incidentStepWho,
} from '../../web/src/wording.js';

const koriyama = getProfile('001');
const nara = getProfile('002');
const label = (code: string) => `${code}課`;
const organisation = {
  departments: [
    { code: 'citizens', name: '市民課', division: 'shimin-bu' },
    { code: 'tax', name: '税務課', division: 'shimin-bu' },
  ],
};

/** A mis-sent letter about 101 people, learned of on Monday 2026-06-01 in Japan. */
function misSent() {
  const facts = emptyFacts(new Date('2026-06-01T01:00:00Z'));
  return {
    ...facts,
    summary: '通知書を別人に誤送付した',
    category: 'leak' as const,
    items: '氏名、住所, 生年月日',
    subjects: '101',
  };
}

describe('事案 on the SPA: days left, items, the report body and the timeline', () => {
  it('says the days left, the day itself and the days past', () => {
    expect(deadlineText('2026-06-02', '2026-06-05')).toBe('あと3日');
    expect(deadlineText('2026-06-05', '2026-06-05')).toBe('当日');
    expect(deadlineText('2026-06-07', '2026-06-05')).toBe('期限を2日超過');
  });

  it('splits the items at 「、」, commas and new lines, each once', () => {
    expect(splitItems('氏名、住所, 電話番号，氏名\n 生年月日 ')).toEqual(['氏名', '住所', '電話番号', '生年月日']);
    expect(splitItems(' 、 ,')).toEqual([]);
  });

  it('sends what the server checks: the discovery in Japan time, the items split, an unknown number as null', () => {
    const body = { department: 'citizens', ...factsBody(misSent()) };
    expect(createIncidentSchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      discoveredAt: '2026-06-01T10:00:00+09:00',
      records: { items: ['氏名', '住所', '生年月日'], subjects: 101, sensitive: false, inSystem: false },
    });
    expect(factsBody({ ...misSent(), subjectsUnknown: true }).records.subjects).toBeNull();
    // A number left blank is refused at its field, before anything is sent.
    const blank = createIncidentSchema.safeParse({ department: 'citizens', ...factsBody({ ...misSent(), subjects: '' }) });
    expect(blank.success).toBe(false);
    expect(blank.error?.issues.map((i) => i.path.join('.'))).toEqual(['records.subjects']);
  });

  it('edits the facts of a 事案 as they were reported, and a change passes the update schema', () => {
    const input = createIncidentSchema.parse({ department: 'citizens', ...factsBody(misSent()) });
    const incident = newIncident('01J0000000000000000000000A', input, koriyama.incidents, 'staff', new Date('2026-06-01T02:00:00Z'));
    const draft = factsOfIncident(incident);
    expect(draft).toMatchObject({
      discoveredAt: '2026-06-01T10:00',
      items: '氏名、住所、生年月日',
      subjects: '101',
      subjectsUnknown: false,
    });
    expect(updateIncidentSchema.safeParse({ records: factsBody({ ...draft, subjects: '100' }).records }).success).toBe(true);
  });

  it('shows the chain in its order, each step with who and when once recorded', () => {
    const input = createIncidentSchema.parse({ department: 'citizens', ...factsBody(misSent()) });
    const reported = newIncident('01J0000000000000000000000A', input, koriyama.incidents, 'staff', new Date('2026-06-01T02:00:00Z'));
    const contained = contain(reported, { measures: '回収した' }, 'citizens-manager', new Date('2026-06-01T03:00:00Z'));
    const entries = incidentTimeline(contained, koriyama, label);
    expect(entries.map((e) => e.key)).toEqual([
      'report',
      'contain',
      'investigate',
      'prevention',
      'ppc-preliminary',
      'ppc-final',
      'notice-subjects',
      'close',
    ]);
    expect(entries[1]).toMatchObject({ by: 'citizens-manager', at: '2026-06-01T03:00:00.000Z', detail: '回収した' });
    expect(entries[2]?.at).toBeUndefined();
  });
});

describe('事案 wording from the active profile', () => {
  it('cites each step and notice by the regulation, and names who records it', () => {
    expect(incidentReportHint(koriyama)).toContain(`課の${koriyama.roleTitles.sectionManager}に通知されます（第23条第1項）`);
    expect(incidentStepTitle(koriyama, 'contain')).toBe('被害拡大防止・復旧の措置（第23条第2項）');
    expect(incidentStepTitle(koriyama, 'close')).toBe('完了（運用上のルール）');
    expect(incidentStepWho(koriyama, 'ppcReport')).toBe(`${koriyama.roleTitles.deputyManager}が記録します。`);
    expect(incidentStepWho(koriyama, 'contain')).toBe(`事案の課の${koriyama.roleTitles.sectionManager}が記録します。`);
    expect(incidentNoticeCite(koriyama, 'subjects')).toBe('（第24条）');
  });

  it('offers only the notices the regulation has', () => {
    expect(incidentNoticeKinds(koriyama).sort()).toEqual(['mayor', 'ppcInformation', 'publication', 'subjects']);
    expect(incidentNoticeKinds(nara)).toEqual(['subjects', 'publication']);
    expect(incidentNoticeCite(nara, 'mayor')).toBe('');
  });

  it('says how the deadlines are counted with the law’s sources', () => {
    const notes = incidentClockNotes(koriyama);
    expect(notes.preliminary).toBe(`速報: ${koriyama.incidents.clock.preliminarySource}`);
    expect(notes.final).toContain('確報: ');
    expect(notes.closedDays).toContain('行政機関の休日に関する法律');
  });
});

const at = (hour: number) => new Date(Date.UTC(2026, 5, 1, hour));

/** A 事案 of 市民課 under the profile, with `subjects` people (101: the PPC must be told; 5: it need not). */
function reportedWith(profile: RegulationProfile, subjects: string): Incident {
  const input = createIncidentSchema.parse({ department: 'citizens', ...factsBody({ ...misSent(), subjects }) });
  return newIncident('01J0000000000000000000000A', input, profile.incidents, 'staff', at(2));
}

function preventedWith(profile: RegulationProfile, subjects: string, shareWith: string[]): Incident {
  const contained = contain(reportedWith(profile, subjects), { measures: '回収した' }, 'manager', at(3));
  const investigated = investigate(contained, { findings: '封入を誤った' }, 'manager', at(4));
  const known = new Set(organisation.departments.map((d) => d.code));
  return recordPrevention(
    investigated,
    { measures: '二人で確認する', shareWith },
    'manager',
    at(5),
    known,
    profile.incidents.sharesPrevention,
  );
}

/** What the page offers a user with `roles` in `department`, decided as the session decides it. */
function offersTo(x: Incident, profile: RegulationProfile, roles: Role[], department = 'soumu') {
  const actor = { sub: `u-${roles.join('-') || 'staff'}`, name: '利用者', roles, department };
  const can = (action: Action, resource?: Resource) => decide(actor, action, resource, profile).allowed;
  return incidentOffers(x, profile, actor, can, organisation);
}

describe('事案 on the SPA: what each user is offered is what the server accepts', () => {
  it('offers the 年度 事案一覧 only to whom the server gives incident:review', () => {
    const x = reportedWith(koriyama, '101');
    expect(offersTo(x, koriyama, [], 'citizens').review).toBe(false);
    expect(offersTo(x, koriyama, ['sectionManager'], 'citizens').review).toBe(false);
    expect(offersTo(x, koriyama, ['deputyManager']).review).toBe(true);
    expect(offersTo(x, koriyama, ['chiefManager']).review).toBe(true);
  });

  it('offers the steps of the chain to the roles the profile names, and nothing to a reporter with no role', () => {
    const x = reportedWith(koriyama, '101');
    expect(offersTo(x, koriyama, [], 'citizens')).toEqual({
      contain: false,
      investigate: false,
      escalate: false,
      prevention: false,
      notices: [],
      review: false,
    });
    expect(offersTo(x, koriyama, ['sectionManager'], 'citizens')).toMatchObject({ contain: true, escalate: false });
    expect(offersTo(x, koriyama, ['sectionManager'], 'tax').contain).toBe(false);
    const deputy = offersTo(x, koriyama, ['deputyManager']);
    expect(deputy).toMatchObject({
      escalate: true,
      notices: ['subjects'],
      ppcReport: { stages: ['preliminary', 'final'], voluntary: false },
    });
    expect(deputy.close).toBeUndefined();
  });

  it('lists what keeps a 事案 from closing instead of offering a 完了 the server refuses, and offers it once nothing does', () => {
    const reported = reportedWith(koriyama, '101');
    expect(offersTo(reported, koriyama, ['chiefManager']).close).toEqual({
      blockers: ['再発防止策が記録されていません', '個人情報保護委員会への確報が記録されていません'],
    });
    const prevented = preventedWith(koriyama, '101', []);
    expect(offersTo(prevented, koriyama, ['chiefManager']).close?.blockers).toEqual(['個人情報保護委員会への確報が記録されていません']);
    const filed = recordPpcReport(prevented, { stage: 'final', submittedAt: at(5).toISOString() }, 'deputy', at(6));
    expect(offersTo(filed, koriyama, ['chiefManager']).close).toEqual({ blockers: [] });
    // A 確報 takes the place of the 速報: nothing is left to report.
    expect(offersTo(filed, koriyama, ['deputyManager']).ppcReport).toBeUndefined();
    const closed = closeIncident(filed, {}, 'chief', at(7));
    expect(offersTo(closed, koriyama, ['chiefManager'])).toEqual({
      contain: false,
      investigate: false,
      escalate: false,
      prevention: false,
      notices: [],
      review: true,
    });
  });

  it('offers a voluntary report to the PPC when the assessment asks for none, with the hint that says so', () => {
    const x = reportedWith(koriyama, '5');
    expect(x.assessment.reportToPPC).toBe(false);
    expect(offersTo(x, koriyama, ['deputyManager']).ppcReport).toEqual({ stages: ['preliminary', 'final'], voluntary: true });
    expect(offersTo(x, koriyama, ['sectionManager'], 'citizens').ppcReport).toBeUndefined();
    // 001 has its own 情報提供 to the PPC, recorded as a notice; 002 has none.
    expect(voluntaryPpcHint(koriyama)).toContain(`${noticeKindLabels.ppcInformation}（第25条第2項）は、この報告とは別に記録します。`);
    expect(voluntaryPpcHint(nara)).not.toContain(noticeKindLabels.ppcInformation);
    expect(offersTo(x, koriyama, ['chiefManager']).notices).toContain('ppcInformation');
  });

  it('asks the 課 the measures were shared with to acknowledge them, and shows whether it did', () => {
    const shared = preventedWith(koriyama, '101', ['tax']);
    expect(offersTo(shared, koriyama, ['sectionManager'], 'tax').acknowledge).toBe('tax');
    expect(offersTo(shared, koriyama, ['sectionStaff'], 'tax').acknowledge).toBeUndefined();
    expect(offersTo(shared, koriyama, ['sectionManager'], 'citizens').acknowledge).toBeUndefined();
    expect(incidentTimeline(shared, koriyama, label).filter((e) => e.key.startsWith('share-'))).toEqual([
      { key: 'share-tax', label: '共有先 tax課 の確認' },
    ]);
  });

  it('where the regulation shares no measures (002), shows no 共有先 and asks no 課 to acknowledge', () => {
    expect(nara.incidents.sharesPrevention).toBe(false);
    const prevented = preventedWith(nara, '101', []);
    expect(prevented.sharing).toEqual([]);
    expect(incidentTimeline(prevented, nara, label).some((e) => e.key.startsWith('share-'))).toBe(false);
    for (const roles of [['sectionManager'], ['deputyManager'], ['chiefManager']] as Role[][])
      expect(offersTo(prevented, nara, roles, 'tax').acknowledge).toBeUndefined();
    expect(() => preventedWith(nara, '101', ['tax'])).toThrow('共有先は指定できません');
  });
});
