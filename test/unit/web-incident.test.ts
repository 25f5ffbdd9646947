import { describe, expect, it } from 'vitest';
import { createIncidentSchema, newIncident, updateIncidentSchema, contain } from '#lib/domain/incident.js';
import { getProfile } from '#lib/profiles/index.js';
import { deadlineText, emptyFacts, factsBody, factsOfIncident, incidentTimeline, splitItems } from '../../web/src/incident-view.js';
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
