import type { ScopeOwner } from '#lib/domain/permissions.js';
import { describeScope } from '#lib/domain/scopes.js';
import type { RegulationProfile } from '#lib/profiles/index.js';

const cache = new WeakMap<RegulationProfile, ScopeOwner[]>();

/** The assistant auditors of a profile and their articles in Japanese, as authorization needs them. */
export function scopeOwners(profile: RegulationProfile): ScopeOwner[] {
  let owners = cache.get(profile);
  if (!owners) {
    owners = profile.auditorScopes.map((s) => ({
      scope: s.scope,
      role: s.role,
      title: s.title,
      articles: describeScope(s.rules, profile.referenceStyle),
    }));
    cache.set(profile, owners);
  }
  return owners;
}
