import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionStatuses } from '#lib/domain/action.js';
import { auditActions, entityTypes } from '#lib/domain/audit.js';
import { contractorCheckResults, contractorCheckStatuses } from '#lib/domain/contractor.js';
import { evidenceStatuses } from '#lib/domain/evidence.js';
import { incidentStatuses } from '#lib/domain/incident.js';
import { inspectionStatuses } from '#lib/domain/inspection.js';
import { planStatuses } from '#lib/domain/plan.js';
import { roles } from '#lib/domain/roles.js';
import { taskStatuses } from '#lib/domain/task.js';
import { getProfile } from '#lib/profiles/index.js';
import { japanese } from '#test/support/audit-data.js';
import {
  actionNoteLabels,
  contractorCheckResultLabels,
  eventLabel,
  eventLabels,
  roleLabel,
  roleLabels,
  statusLabels,
} from '../../web/src/labels.js';

/** Every key named, each with a Japanese name and nothing else. */
function expectNamed(labels: Record<string, string>, keys: readonly string[]) {
  expect(Object.keys(labels).sort()).toEqual([...keys].sort());
  for (const k of keys) expect(labels[k], k).toMatch(japanese);
}

/** The event types the use cases write: every `'entity.verb'` literal in lib/app, and the plan transitions. */
function eventTypesWritten(): string[] {
  const dir = join(import.meta.dirname, '../../lib/app');
  const literal = new RegExp(`'((?:${entityTypes.join('|')})\\.[a-zA-Z]+)'`, 'g');
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(literal)) found.add(m[1]!);
  }
  const plans = readFileSync(join(dir, 'plans.ts'), 'utf8');
  const pastTense = /const pastTense = \{([^}]*)\}/.exec(plans)?.[1] ?? '';
  for (const m of pastTense.matchAll(/:\s*'(\w+)'/g)) found.add(`plan.${m[1]}`);
  return [...found];
}

describe('labels: every event type, status and role has its Japanese name in one place', () => {
  it('names every audit event type, and the list holds every type the use cases write', () => {
    expectNamed(eventLabels, auditActions);
    const written = eventTypesWritten();
    expect(written).toContain('action.markedOverdue');
    expect(written).toContain('plan.approved');
    for (const t of written) expect(auditActions, t).toContain(t);
  });

  it('shows an event type it does not know as stored', () => {
    expect(eventLabel('action.markedOverdue')).toBe('期限超過の記録');
    expect(eventLabel('plan.someday')).toBe('plan.someday');
    expect(eventLabel('toString')).toBe('toString');
  });

  it('names every status of every entity that has one', () => {
    expectNamed(statusLabels.plan, planStatuses);
    expectNamed(statusLabels.action, actionStatuses);
    expectNamed(statusLabels.evidence, evidenceStatuses);
    expectNamed(statusLabels.task, taskStatuses);
    expectNamed(statusLabels.inspection, inspectionStatuses);
    expectNamed(statusLabels.contractorCheck, contractorCheckStatuses);
    expectNamed(statusLabels.incident, incidentStatuses);
    expectNamed(contractorCheckResultLabels, contractorCheckResults);
    expectNamed(actionNoteLabels, ['progress', 'submit', 'verify', 'reopen', 'acceptRisk']);
  });

  it("names every role, the profile's own title first", () => {
    expectNamed(roleLabels, roles);
    const koriyama = getProfile('001');
    expect(roleLabel(koriyama, 'chiefManager')).toBe(koriyama.roleTitles.chiefManager);
    expect(roleLabel({ roleTitles: {} }, 'sectionManager')).toBe('保護管理者');
  });
});
