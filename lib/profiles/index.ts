import { koriyama } from './koriyama.js';
import type { RegulationProfile } from './types.js';

export type { RegulationProfile } from './types.js';

const profiles: Record<string, RegulationProfile> = { [koriyama.id]: koriyama };

export const defaultProfileId = koriyama.id;
export const profileIds = Object.keys(profiles);

/** The profile with this id; throws on an unknown id (a deployment error, caught at cold start). */
export function getProfile(id: string): RegulationProfile {
  const p = profiles[id];
  if (!p) throw new Error(`Unknown regulation profile "${id}" (known: ${profileIds.join(', ')})`);
  return p;
}
