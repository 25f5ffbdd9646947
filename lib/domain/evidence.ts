import { ulidSchema } from './fields.js';
import * as z from './zod.js';

/**
 * 証跡: files attached to a plan, finding, follow-up action, disposal record, 点検,
 * contractor check or 事案, uploaded from the browser or a phone straight to S3. Verified
 * evidence is never overwritten or deleted.
 */

export const evidenceTargetTypes = ['plan', 'finding', 'action', 'disposal', 'inspection', 'contractorCheck', 'incident'] as const;

/**
 * Evidence ids a record keeps (an action's, a 点検's, a check's `evidenceIds`, a
 * disposal's verified photos): at most this many, so no number of uploads grows the
 * record without bound. Every upload stays listed under its target (GET /evidence).
 */
export const maxAttachedEvidence = 100;
export type EvidenceTargetType = (typeof evidenceTargetTypes)[number];

/**
 * The allow-list: declared type → the types its bytes may have (as file-type reports
 * them from the magic bytes), its name, whether it is a photo, and the file name
 * extensions it goes by (for file pickers that do not know the type by name).
 */
export const allowedTypes: Record<string, { detected: readonly string[]; label: string; photo: boolean; extensions: readonly string[] }> = {
  'image/jpeg': { detected: ['image/jpeg'], label: 'JPEG', photo: true, extensions: ['.jpg', '.jpeg'] },
  'image/png': { detected: ['image/png'], label: 'PNG', photo: true, extensions: ['.png'] },
  'image/heic': {
    detected: ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'],
    label: 'HEIC',
    photo: true,
    extensions: ['.heic'],
  },
  'image/heif': {
    detected: ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'],
    label: 'HEIF',
    photo: true,
    extensions: ['.heif'],
  },
  'application/pdf': { detected: ['application/pdf'], label: 'PDF', photo: false, extensions: ['.pdf'] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    detected: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    label: 'Excel (xlsx)',
    photo: false,
    extensions: ['.xlsx'],
  },
  'application/vnd.ms-excel': { detected: ['application/x-cfb'], label: 'Excel (xls)', photo: false, extensions: ['.xls'] },
};

/** One allowed type as clients read it (GET /profile `evidenceTypes`): what a file picker offers. */
export interface EvidenceTypeInfo {
  contentType: string;
  label: string;
  extensions: readonly string[];
}

export function evidenceTypeList(): EvidenceTypeInfo[] {
  return Object.entries(allowedTypes).map(([contentType, t]) => ({ contentType, label: t.label, extensions: t.extensions }));
}

/**
 * `pending` until the upload is checked; `verified` or `rejected` by the check;
 * `expired` when the file never arrived (or was gone before it could be checked):
 * the daily `evidence-pending` duty marks it so and asks the uploader to upload again.
 */
export const evidenceStatuses = ['pending', 'verified', 'rejected', 'expired'] as const;
export type EvidenceStatus = (typeof evidenceStatuses)[number];

/** Japanese labels of the statuses (the app shows these). */
export const evidenceStatusLabels: Record<EvidenceStatus, string> = {
  pending: '検証待ち',
  verified: '検証済み',
  rejected: '却下',
  expired: '期限切れ（未着）',
};

/** POST /evidence body. Type and size are checked against the allow-list and limit by the use case (415/413). */
export const createEvidenceSchema = z.strictObject({
  target: z.strictObject({
    type: z.enum(evidenceTargetTypes, {
      error: '添付先は plan / finding / action / disposal / inspection / contractorCheck / incident のいずれかです。',
    }),
    id: ulidSchema,
  }),
  fileName: z.string().check(
    z.trim(),
    z.minLength(1, { error: 'ファイル名を入力してください。' }),
    z.maxLength(255, { error: 'ファイル名は255文字以内にしてください。' }),
    // eslint-disable-next-line no-control-regex
    z.refine((n) => !/[\u0000-\u001f\u007f/\\]/.test(n), { error: 'ファイル名に制御文字やスラッシュは使えません。' }),
  ),
  contentType: z.string().check(z.trim(), z.toLowerCase(), z.minLength(1), z.maxLength(255)),
  size: z
    .number({ error: 'size はバイト数（整数）で指定してください。' })
    .check(z.int(), z.gte(1, { error: '空のファイルは添付できません。' })),
  sha256: z.pipe(
    z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, { error: 'sha256 は64桁の16進数で指定してください。' })),
    z.transform((s: string) => s.toLowerCase()),
  ),
  capturedAt: z.optional(z.iso.datetime({ offset: true, error: 'capturedAt は ISO 8601 の日時（タイムゾーン付き）で指定してください。' })),
});
export type CreateEvidenceInput = z.infer<typeof createEvidenceSchema>;

export interface Evidence {
  evidenceId: string;
  target: { type: EvidenceTargetType; id: string };
  /** The 課 the target belongs to (for who may read it); absent for a plan. */
  department?: string;
  /** The original file name, kept as written (Japanese names included); never part of the key. */
  fileName: string;
  contentType: string;
  size: number;
  /** Declared SHA-256, lower-case hex. */
  sha256: string;
  capturedAt?: string;
  status: EvidenceStatus;
  rejectReason?: string;
  /** Where the bytes are: `incoming/…` until verified, `evidence/…` after. */
  objectKey: string;
  uploadedBy: string;
  createdAt: string;
  verifiedAt?: string;
  /** When the `evidence-pending` duty found the upload missing and marked it `expired`. */
  expiredAt?: string;
  /** What the bytes turned out to be (magic bytes). */
  detectedType?: string;
  /** The malware scan of the upload, recorded with the verification (absent while pending, and on evidence verified before scanning existed). */
  malwareScan?: MalwareScan;
  version: number;
  updatedAt: string;
}

/** What the verifier saw of the uploaded object. */
export interface ObservedUpload {
  size: number;
  sha256: string;
  detectedType: string | undefined;
}

/**
 * Which stored version of an upload: the one an S3 notification names (its
 * `s3.object.versionId` and `eTag`), so the verifier judges, copies and removes exactly
 * the bytes that arrived, not whatever the key holds later. Both are absent where the
 * bucket keeps no versions (the local emulator) and when the upload is looked up
 * without a notification (the `evidence-pending` duty): then the current object.
 */
export interface UploadVersion {
  versionId?: string | undefined;
  eTag?: string | undefined;
}

/**
 * Judge an upload against what was declared: size, then real type by magic bytes,
 * then SHA-256. Returns the reason in Japanese when it is rejected.
 */
export function judgeUpload(
  e: Pick<Evidence, 'size' | 'contentType' | 'sha256'>,
  seen: ObservedUpload,
): { status: 'verified' } | { status: 'rejected'; reason: string } {
  if (seen.size !== e.size) {
    return { status: 'rejected', reason: `サイズが申告と異なります（申告 ${e.size} バイト、実際 ${seen.size} バイト）。` };
  }
  const allowed = allowedTypes[e.contentType];
  if (!allowed || seen.detectedType === undefined || !allowed.detected.includes(seen.detectedType)) {
    const actual = seen.detectedType ?? '判別できない形式';
    return { status: 'rejected', reason: `ファイルの中身（${actual}）が申告された形式（${e.contentType}）と一致しません。` };
  }
  if (seen.sha256 !== e.sha256) {
    return { status: 'rejected', reason: 'SHA-256 が申告と一致しません。転送中に壊れたか、別のファイルです。' };
  }
  return { status: 'verified' };
}

/**
 * GuardDuty Malware Protection for S3 scans each new object under `incoming/` and tags
 * it with this key; the value is one of {@link guardDutyScanStatuses}.
 */
export const guardDutyScanTag = 'GuardDutyMalwareScanStatus';
/** The `detail-type` of GuardDuty's scan result of one object, on the account's default event bus (source `aws.guardduty`). */
export const scanResultDetailType = 'GuardDuty Malware Protection Object Scan Result';
export const guardDutyScanStatuses = ['NO_THREATS_FOUND', 'THREATS_FOUND', 'UNSUPPORTED', 'ACCESS_DENIED', 'FAILED'] as const;
export type GuardDutyScanStatus = (typeof guardDutyScanStatuses)[number];

/**
 * What a scanner reported on one version of an upload: GuardDuty's result (from the
 * object's tag; the threat names only from its scan-result event), or `none` where
 * nothing scans (locally, or a deployment with `-c malwareScan=off`).
 */
export type ScanReport =
  { scanner: 'GuardDuty'; status: GuardDutyScanStatus; threats?: readonly string[] | undefined } | { scanner: 'none' };

/**
 * The scan outcome an evidence record keeps: `clean` (scanned, nothing found),
 * `infected` (quarantined), `unscannable` (the scanner could not scan it: quarantined
 * too, so an unscanned file never reaches a terminal), `skipped` (this environment
 * scans nothing; never shown as clean).
 */
export const malwareScanStatuses = ['clean', 'infected', 'unscannable', 'skipped'] as const;
export type MalwareScanStatus = (typeof malwareScanStatuses)[number];

export interface MalwareScan {
  status: MalwareScanStatus;
  scanner?: 'GuardDuty';
  /** The scanner's own result value (GuardDuty's tag value). */
  result?: GuardDutyScanStatus;
  /** Names of the threats found, at most {@link maxThreatNames} of {@link maxThreatNameLength} characters each. */
  threats?: string[];
  at: string;
}

/** Japanese labels of the scan outcomes (「ウイルス検査: …」). */
export const malwareScanLabels: Record<MalwareScanStatus, string> = {
  clean: '問題なし',
  infected: 'マルウェアを検出（隔離）',
  unscannable: '検査できず（隔離）',
  skipped: '未実施（この環境では検査しません）',
};

/** The scan outcome as one line the app shows: 「ウイルス検査: 問題なし」. */
export function malwareScanText(scan: Pick<MalwareScan, 'status'> | undefined): string | undefined {
  return scan ? `ウイルス検査: ${malwareScanLabels[scan.status]}` : undefined;
}

export const maxThreatNames = 10;
export const maxThreatNameLength = 200;

/** Why a file GuardDuty could not scan is not accepted, by its result. */
const unscannableWhy: Record<Exclude<GuardDutyScanStatus, 'NO_THREATS_FOUND' | 'THREATS_FOUND'>, string> = {
  UNSUPPORTED: '検査できない形式か大きさのファイルです',
  ACCESS_DENIED: '検査する権限がありませんでした',
  FAILED: '検査が失敗しました',
};

/**
 * Judge a scan report: `reason` (Japanese) when the upload must be quarantined whatever
 * its size, type and hash; the outcome to record either way. A scan that found threats
 * and one that could not scan are both quarantined: a file nobody scanned never reaches
 * the terminals staff download evidence to.
 */
export function judgeScan(report: ScanReport, at: string): { scan: MalwareScan; reason?: string } {
  if (report.scanner === 'none') return { scan: { status: 'skipped', at } };
  const base = { scanner: 'GuardDuty' as const, result: report.status, at };
  switch (report.status) {
    case 'NO_THREATS_FOUND':
      return { scan: { status: 'clean', ...base } };
    case 'THREATS_FOUND': {
      const threats = [...new Set(report.threats ?? [])]
        .map((t) => t.trim().slice(0, maxThreatNameLength))
        .filter((t) => t.length > 0)
        .slice(0, maxThreatNames);
      return {
        scan: { status: 'infected', ...base, ...(threats.length > 0 ? { threats } : {}) },
        reason: `マルウェアが検出されました（GuardDuty${threats.length > 0 ? `: ${threats.join('、')}` : ''}）。`,
      };
    }
    default:
      return {
        scan: { status: 'unscannable', ...base },
        reason: `ウイルス検査ができませんでした（GuardDuty: ${unscannableWhy[report.status]}、${report.status}）。`,
      };
  }
}

/** An object key that never contains the user's file name: `incoming/<type>/<targetId>/<evidenceId>`. */
export function incomingKey(e: Pick<Evidence, 'evidenceId' | 'target'>): string {
  return `incoming/${e.target.type}/${e.target.id}/${e.evidenceId}`;
}

export function verifiedKey(e: Pick<Evidence, 'evidenceId' | 'target'>): string {
  return `evidence/${e.target.type}/${e.target.id}/${e.evidenceId}`;
}

export function quarantineKey(e: Pick<Evidence, 'evidenceId' | 'target'>): string {
  return `quarantine/${e.target.type}/${e.target.id}/${e.evidenceId}`;
}

const incomingKeyPattern = new RegExp(`^incoming/(?:${evidenceTargetTypes.join('|')})/[0-9A-HJKMNP-TV-Z]{26}/([0-9A-HJKMNP-TV-Z]{26})$`);

/** The evidence id at the end of an object key, or undefined for a key kansa did not make. */
export function evidenceIdOfKey(key: string): string | undefined {
  const m = incomingKeyPattern.exec(key);
  return m?.[1];
}
