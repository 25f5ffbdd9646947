import { koka } from './koka.js';
import { koriyama } from './koriyama.js';
import { kuki } from './kuki.js';
import { nara } from './nara.js';
import type { RegulationProfile } from './types.js';

/**
 * The regulation profiles this process serves, in seed order (001 郡山市 first). Run from
 * source (`npm start`, tests), every one. A deployed function imports instead the file its
 * build wrote with this module's value for the deployment's profile alone
 * (cdk/function-chunks.ts evaluates it with `KANSA_BUILD_PROFILE_ID` set), so it carries
 * one regulation as data rather than all four as code.
 */
const all: readonly RegulationProfile[] = [koriyama, nara, koka, kuki];
const only = process.env.KANSA_BUILD_PROFILE_ID;
const served: readonly RegulationProfile[] = only ? all.filter((p) => p.id === only) : all;
if (served.length === 0) throw new Error(`KANSA_BUILD_PROFILE_ID names no profile: ${only}`);
export default served;
