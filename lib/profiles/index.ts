import served from '#lib/profiles/served.js';
import type { RegulationProfile } from './types.js';

export type { RegulationProfile } from './types.js';

/** Every regulation profile this process serves, in seed order (lib/profiles/served.ts; a deployed function, its one). */
export const profiles: readonly RegulationProfile[] = served;

const byId: Record<string, RegulationProfile> = Object.fromEntries(profiles.map((p) => [p.id, p]));

/** 001 郡山市: the profile where `PROFILE_ID` names none (a deployment always sets it). */
export const defaultProfileId = '001';
export const profileIds = profiles.map((p) => p.id);

/** The profile with this id; throws on an unknown id (a deployment error, caught at cold start). */
export function getProfile(id: string): RegulationProfile {
  const p = Object.hasOwn(byId, id) ? byId[id] : undefined;
  if (!p) throw new Error(`Unknown regulation profile "${id}" (known: ${profileIds.join(', ')})`);
  return p;
}
