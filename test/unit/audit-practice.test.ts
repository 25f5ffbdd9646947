import { describe, expect, it } from 'vitest';
import { assertAuditsHeld } from '#lib/app/audit-practice.js';
import { Conflict } from '#lib/domain/errors.js';
import type { EvidenceTarget } from '#lib/domain/permissions.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { withPractices } from '#lib/profiles/practices.js';

const evidenceOn = (target: EvidenceTarget) => ({ type: 'evidenceTarget' as const, target, owners: [], organisation: { departments: [] } });
const finding = { createdBy: 'lead', scope: 'lead' as const };

describe('no 監査 where the regulation has none (003), unless practised', () => {
  it('refuses every write of the 監査 with a 409, including evidence added to its records', () => {
    const deps = { profile: koka };
    expect(() => assertAuditsHeld(deps, 'plan:create')).toThrow(Conflict);
    expect(() => assertAuditsHeld(deps, 'action:work')).toThrow(Conflict);
    for (const target of [
      { type: 'plan' },
      { type: 'finding', department: 'c', finding },
      { type: 'action', department: 'c', finding },
    ] as const)
      expect(() => assertAuditsHeld(deps, 'evidence:create', evidenceOn(target)), target.type).toThrow(/監査の定めがない/);
  });

  it('leaves reads, the 点検 and disposals alone, and everything where 監査 is held', () => {
    const deps = { profile: koka };
    expect(() => assertAuditsHeld(deps, 'plan:list')).not.toThrow();
    expect(() => assertAuditsHeld(deps, 'inspection:submit')).not.toThrow();
    expect(() => assertAuditsHeld(deps, 'evidence:create', evidenceOn({ type: 'inspection', department: 'c' }))).not.toThrow();
    expect(() => assertAuditsHeld(deps, 'evidence:create', evidenceOn({ type: 'disposal', department: 'c' }))).not.toThrow();
    expect(() => assertAuditsHeld({ profile: withPractices(koka, { audits: true }) }, 'plan:create')).not.toThrow();
    expect(() => assertAuditsHeld({ profile: koriyama }, 'evidence:create', evidenceOn({ type: 'plan' }))).not.toThrow();
  });
});
