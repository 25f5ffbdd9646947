/**
 * Response shapes the SPA reads. Types of the backend's pure domain are imported as
 * types only (erased at build time: no server code reaches the bundle); the routes
 * still being built are declared here from the web-app contract.
 */
import type { Plan, PlanStatus } from '#lib/domain/plan.js';
import type { Finding, Rating } from '#lib/domain/finding.js';
import type { ActionNote, FollowUpAction, ActionStatus } from '#lib/domain/action.js';
import type { Evidence, EvidenceStatus, EvidenceTypeInfo } from '#lib/domain/evidence.js';
import type { Disposal } from '#lib/domain/disposal.js';
import type { AuditEvent } from '#lib/domain/audit.js';
import type { Role } from '#lib/domain/roles.js';
import type { ArticleEntry, AuditorScope, ScopeId } from '#lib/domain/scopes.js';
import type { DutyDefinition, RegulationProfile } from '#lib/profiles/types.js';
import type { Task } from '#lib/domain/task.js';
import type { Inspection } from '#lib/domain/inspection.js';
import type { Contractor, ContractorCheck } from '#lib/domain/contractor.js';
import type { Department } from '#lib/domain/organisation.js';
import type { Incident } from '#lib/domain/incident.js';
import type { Completion, Training } from '#lib/domain/training.js';
import type { AttendanceChange } from '#lib/domain/attendance-import.js';
import type { ImportAction, PlannedChange, RowError } from '#lib/domain/staff-import.js';

export type {
  Plan,
  PlanStatus,
  Finding,
  Rating,
  FollowUpAction,
  ActionNote,
  ActionStatus,
  Evidence,
  EvidenceStatus,
  Disposal,
  AuditEvent,
  Role,
  ScopeId,
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** GET /me */
export interface Me {
  sub: string;
  name: string;
  roles: Role[];
  roleTitles: string[];
  department: string;
  profile: { id: string; organisation: string; regulation: string; version: string };
}

export type { DutyDefinition };

/**
 * GET /profile: the active regulation profile (with `provisions`, where each rule comes from, and
 * `practices`, the deployment's 運用: web/src/wording.ts words the screens from them), the
 * organisation's 課 and 部, and the evidence types the API accepts.
 */
export type Profile = RegulationProfile & { departments: Department[]; evidenceTypes: EvidenceTypeInfo[] };
export type { Department };

/** GET /actions: an action with `overdue` judged by the server against today in Japan. */
export type ActionView = Omit<FollowUpAction, 'history'> & { overdue?: boolean };

/** GET /disposals/{id} */
export type DisposalDetail = Disposal & { complete: boolean; missing: string[] };

/** POST /evidence → 201 */
export interface EvidenceCreated {
  evidenceId: string;
  status: EvidenceStatus;
  upload: { url: string; fields: Record<string, string>; expiresAt: string };
}

/** Targets evidence can be attached to. */
export type EvidenceTargetType = 'plan' | 'finding' | 'action' | 'disposal' | 'inspection' | 'contractorCheck' | 'incident';

/** GET /tasks, 点検 (第27条), 委託先 and their yearly checks (第22条第4項). */
export type { Task, Inspection, Contractor, ContractorCheck };

/** GET /incidents, /incidents/{id}: a 事案 with the server's assessment. */
export type { Incident };

export type ScopeOfArticle = { scope: ScopeId; label: string; owner: string };
export type { ArticleEntry, AuditorScope };

/** 職員名簿 (GET /staff?department=&asOf=): each person on the 課's register on that date, with what held then. */
export type { Staff, StaffOnDate } from '#lib/domain/staff.js';
/** 研修計画 (GET /trainings, /trainings/{id}): a session with its completion by 課 (those the user may see). */
export type TrainingView = Training & { completion?: Completion[] };
export type { Training, Completion };

/** One row of the HR department's CSV and what it does to the register (POST /staff/import). */
export type { PlannedChange as StaffImportChange, RowError as StaffImportError } from '#lib/domain/staff-import.js';

/** POST /staff/import (?dryRun=true: the preview, 200; applied: 201 with `applied`): all or nothing. */
export interface StaffImportPreview {
  department: string;
  encoding: string;
  effectiveFrom: string;
  /** Data rows read (the header not counted). */
  rows: number;
  changes: Omit<PlannedChange, 'patch'>[];
  counts: Record<ImportAction, number>;
  errors: RowError[];
  applied?: true;
}

/** POST /trainings/{trainingId}/attendance/import?dryRun=true: what each row of an e-learning system's CSV would record. */
export interface AttendanceImportPreview {
  encoding: string;
  /** Data rows read (the header not counted). */
  rows: number;
  changes: AttendanceChange[];
  errors: RowError[];
}
