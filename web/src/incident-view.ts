import { jstDateTime } from '#lib/domain/calendar.js';
import {
  type Incident,
  type IncidentCategory,
  type NoticeKind,
  type PpcStage,
  closeBlockers,
  noFlags,
  noticeKindLabels,
  ppcStageLabels,
  ppcStages,
} from '#lib/domain/incident.js';
import type { Organisation } from '#lib/domain/organisation.js';
import type { Action, Resource } from '#lib/domain/permissions.js';
import { daysLeft } from '#lib/domain/ppc.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import { dateTimeText } from './format.js';
import { incidentNoticeCite, incidentNoticeKinds, incidentStepNames } from './wording.js';

/** How a 事案 reads on its page: the days left to a deadline, the items typed in one field, the chain as a timeline. */

/** 「あと3日」, 「当日」 or 「期限を2日超過」 for a deadline seen on `today` (both plain dates in Japan). */
export function deadlineText(today: string, deadline: string): string {
  const days = daysLeft(today, deadline);
  if (days > 0) return `あと${days}日`;
  if (days === 0) return '当日';
  return `期限を${-days}日超過`;
}

/** 「氏名、住所, 電話番号」 → the items, in order, each once. */
export function splitItems(text: string): string[] {
  return [...new Set(text.split(/[、,，;；\n]+/).map((s) => s.trim()))].filter(Boolean);
}

/** One entry of the timeline: done (who and when) or still to come. */
export interface TimelineEntry {
  key: string;
  label: string;
  /** Who recorded it and when; absent while it is still to come. */
  by?: string;
  at?: string;
  /** What was recorded (measures, findings, the 課 it was shared with…). */
  detail?: string;
}

/**
 * The chain in its order: 報告 → 被害拡大防止 → 調査 → 特に重大の報告 → 再発防止策 (共有先と確認状況,
 * only as recorded: none where the regulation does not share the measures)
 * → 速報/確報 → the notices the profile has (and any recorded) → 完了. A 特に重大 report and a
 * notice show only once recorded (they are not every 事案's steps); the PPC's reports show when
 * the assessment asks for them or once filed.
 */
export function incidentTimeline(
  i: Incident,
  profile: Pick<RegulationProfile, 'incidents'>,
  departmentLabel: (code: string) => string,
): TimelineEntry[] {
  const out: TimelineEntry[] = [{ key: 'report', label: '報告', by: i.createdBy, at: i.createdAt, detail: i.summary }];
  const stamp = <S extends { by: string; at: string }>(s: S | undefined) => (s ? { by: s.by, at: s.at } : {});
  out.push({ key: 'contain', label: incidentStepNames.contain, ...stamp(i.containment), ...detailOf(i.containment?.measures) });
  out.push({ key: 'investigate', label: incidentStepNames.investigate, ...stamp(i.investigation), ...detailOf(i.investigation?.findings) });
  if (i.escalation) out.push({ key: 'escalate', label: incidentStepNames.escalate, ...stamp(i.escalation), detail: i.escalation.reason });
  out.push({ key: 'prevention', label: incidentStepNames.prevention, ...stamp(i.prevention), ...detailOf(i.prevention?.measures) });
  for (const s of i.sharing) {
    out.push({
      key: `share-${s.department}`,
      label: `共有先 ${departmentLabel(s.department)} の確認`,
      ...(s.acknowledgedAt && s.acknowledgedBy ? { by: s.acknowledgedBy, at: s.acknowledgedAt } : {}),
    });
  }
  const stages: PpcStage[] = ['preliminary', 'final'];
  for (const stage of stages) {
    const filed = i.ppcReports[stage];
    if (!filed && !i.assessment.deadlines[stage]) continue;
    out.push({
      key: `ppc-${stage}`,
      label: `${ppcStageLabels[stage]}（個人情報保護委員会）`,
      ...stamp(filed),
      ...detailOf(filed && `提出日時 ${dateTimeText(filed.submittedAt)}${filed.reference ? `・受付番号 ${filed.reference}` : ''}`),
    });
  }
  const kinds = new Set<NoticeKind>([...incidentNoticeKinds(profile), ...(Object.keys(i.notices) as NoticeKind[])]);
  for (const kind of kinds) {
    const n = i.notices[kind];
    if (!n && !(kind === 'subjects' && i.assessment.notifySubjects)) continue;
    out.push({ key: `notice-${kind}`, label: noticeKindLabels[kind], ...stamp(n), ...detailOf(n?.note) });
  }
  out.push({ key: 'close', label: incidentStepNames.close, ...stamp(i.closure), ...detailOf(i.closure?.comment) });
  return out;
}

/** What the 事案's page offers the user: exactly what the server would accept now. */
export interface IncidentOffers {
  contain: boolean;
  investigate: boolean;
  escalate: boolean;
  prevention: boolean;
  /** The user's 課, when the measures were shared with it and it has not acknowledged them yet. */
  acknowledge?: string;
  /** The PPC's reports still to record; `voluntary` when the assessment asks for none (a report may still be made). */
  ppcReport?: { stages: PpcStage[]; voluntary: boolean };
  /** The notices the regulation has, not yet recorded, the user may record. */
  notices: NoticeKind[];
  /** 完了: the form when `blockers` is empty, else what is still missing (the server answers 409 until then). */
  close?: { blockers: string[] };
  /** The 年度's 事案一覧 of every 課 (評価及び見直し). */
  review: boolean;
}

/**
 * The steps the user may take on the 事案, decided by `can` (the session's, the same pure
 * function the server decides with) and the 事案's state, as the transitions of
 * lib/domain/incident.ts accept them: a step done is not offered again, a closed 事案 offers none.
 */
export function incidentOffers(
  i: Incident,
  profile: Pick<RegulationProfile, 'incidents'>,
  me: { department: string },
  can: (action: Action, resource?: Resource) => boolean,
  organisation: Organisation,
): IncidentOffers {
  const resource: Resource = { type: 'incident', incident: i, organisation };
  const open = i.status !== 'closed';
  const may = (action: Action) => open && can(action, resource);
  const stages = ppcStages.filter((s) => !i.ppcReports[s] && !(s === 'preliminary' && i.ppcReports.final));
  // Recorded sharing only: where the regulation does not share the measures there is none.
  const shared = i.sharing.find((s) => s.department === me.department && !s.acknowledgedAt);
  return {
    contain: i.status === 'reported' && may('incident:contain'),
    investigate: i.status === 'contained' && may('incident:investigate'),
    escalate: !i.escalation && may('incident:escalate'),
    prevention: i.status === 'investigated' && may('incident:prevention'),
    ...(shared && can('incident:acknowledge', resource) ? { acknowledge: shared.department } : {}),
    ...(stages.length > 0 && may('incident:ppcReport') ? { ppcReport: { stages, voluntary: !i.assessment.reportToPPC } } : {}),
    notices: open ? incidentNoticeKinds(profile).filter((k) => !i.notices[k] && can('incident:notice', { ...resource, notice: k })) : [],
    ...(may('incident:close') ? { close: { blockers: closeBlockers(i) } } : {}),
    review: can('incident:review'),
  };
}

/**
 * Beside the 速報/確報 form when the assessment asks for no report: one made anyway is recorded
 * here; the regulation's 情報提供 to the PPC, where it has one, is a notice of its own.
 */
export function voluntaryPpcHint(profile: Parameters<typeof incidentNoticeCite>[0]): string {
  const voluntary = '現在の事実関係では報告を要しませんが、任意に報告したときはここに記録します。';
  if (!incidentNoticeKinds(profile).includes('ppcInformation')) return voluntary;
  return `${voluntary}${noticeKindLabels.ppcInformation}${incidentNoticeCite(profile, 'ppcInformation')}は、この報告とは別に記録します。`;
}

function detailOf(text: string | undefined): { detail?: string } {
  return text ? { detail: text } : {};
}

/**
 * The facts of a 事案 as a form edits them (the report, and the facts editor of its page):
 * 発覚日時 in Japan time, 概要, 区分, 項目 typed in one field, 本人の数 or 不明, and the flags
 * that decide a report to the PPC, each in plain words with a one-line hint.
 */
export const factFlags = [
  'sensitive',
  'financialHarm',
  'wrongfulPurpose',
  'myNumber',
  'encrypted',
  'inSystem',
  'publiclyViewable',
  'viewed',
] as const;
export type FactFlag = (typeof factFlags)[number];

/** Each flag as a person reads it, and its hint. */
export const factFlagLabels: Record<FactFlag, { label: string; hint: string }> = {
  sensitive: { label: '要配慮個人情報を含む', hint: '病歴・障害・犯罪の経歴・信条など（条例で定めるものを含む）' },
  financialHarm: { label: '財産的被害のおそれ', hint: '口座番号・クレジットカード番号・ログイン用のパスワードなど' },
  wrongfulPurpose: { label: '不正の目的のおそれ', hint: '不正アクセス・職員による持ち出し・盗難など' },
  myNumber: { label: 'マイナンバーを含む', hint: '個人番号を含む情報（特定個人情報）' },
  encrypted: { label: '高度な暗号化済み', hint: '高度な暗号化がされていて、復号の鍵は漏えいしていない' },
  inSystem: { label: '情報システムで管理', hint: 'マイナンバーを扱う情報システム（情報提供ネットワークシステム等）で管理していた' },
  publiclyViewable: { label: '不特定多数が閲覧可能', hint: 'インターネット等で誰でも見られる状態になった' },
  viewed: { label: '実際に閲覧された', hint: '誰でも見られる状態の間に、実際に見られたことが分かっている' },
};

/** Flags that concern only 特定個人情報: offered once マイナンバーを含む is checked. */
export const myNumberOnly: readonly FactFlag[] = ['inSystem', 'publiclyViewable', 'viewed'];

export interface FactsDraft {
  /** `YYYY-MM-DDTHH:mm` in Japan time (a datetime-local field). */
  discoveredAt: string;
  summary: string;
  category: IncidentCategory | '';
  /** 項目 as typed: 「氏名、住所」. */
  items: string;
  /** 本人の数 as typed; ignored when `subjectsUnknown`. */
  subjects: string;
  subjectsUnknown: boolean;
  flags: Record<FactFlag, boolean>;
}

/** An instant as a datetime-local value in Japan time. */
export function localJst(instant: Date): string {
  return jstDateTime(instant).replace(' ', 'T');
}

export function emptyFacts(now: Date): FactsDraft {
  return {
    discoveredAt: localJst(now),
    summary: '',
    category: '',
    items: '',
    subjects: '',
    subjectsUnknown: false,
    flags: { ...noFlags },
  };
}

export function factsOfIncident(i: Incident): FactsDraft {
  const r = i.records;
  return {
    discoveredAt: localJst(new Date(i.discoveredAt)),
    summary: i.summary,
    category: i.category,
    items: r.items.join('、'),
    subjects: r.subjects === null ? '' : String(r.subjects),
    subjectsUnknown: r.subjects === null,
    flags: Object.fromEntries(factFlags.map((f) => [f, r[f]])) as Record<FactFlag, boolean>,
  };
}

/**
 * The body's facts: the datetime in Japan time with its offset, the items split, the number
 * as a number (what is not one goes as NaN, for the schema to refuse at its field).
 */
export function factsBody(d: FactsDraft) {
  const subjects = d.subjectsUnknown ? null : d.subjects.trim() === '' ? Number.NaN : Number(d.subjects.trim());
  return {
    discoveredAt: d.discoveredAt ? `${d.discoveredAt.length === 16 ? `${d.discoveredAt}:00` : d.discoveredAt}+09:00` : '',
    summary: d.summary.trim(),
    category: d.category,
    records: { items: splitItems(d.items), subjects, ...d.flags },
  };
}
