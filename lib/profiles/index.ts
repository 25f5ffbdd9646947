import { koka } from './koka.js';
import { koriyama } from './koriyama.js';
import { kuki } from './kuki.js';
import { nara } from './nara.js';
import type { RegulationProfile } from './types.js';

export type { RegulationProfile } from './types.js';

/** Every regulation profile, in seed order (001 郡山市 is the default). */
export const profiles: readonly RegulationProfile[] = [koriyama, nara, koka, kuki];

const byId: Record<string, RegulationProfile> = Object.fromEntries(profiles.map((p) => [p.id, p]));

export const defaultProfileId = koriyama.id;
export const profileIds = profiles.map((p) => p.id);

/** The profile with this id; throws on an unknown id (a deployment error, caught at cold start). */
export function getProfile(id: string): RegulationProfile {
  const p = Object.hasOwn(byId, id) ? byId[id] : undefined;
  if (!p) throw new Error(`Unknown regulation profile "${id}" (known: ${profileIds.join(', ')})`);
  return p;
}
