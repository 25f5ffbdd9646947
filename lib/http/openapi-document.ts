import { config } from '#lib/config.js';
import { practisedProfile } from '#lib/profiles/practices.js';
import { openApiDocument } from './openapi.js';

/**
 * The OpenAPI document of this deployment's profile and practice. The system function
 * loads it on the first `GET /openapi.json`: deployed, from the file its build wrote with
 * this module's value (functionSpecs.system.chunks, cdk/function-chunks.ts), so the
 * function carries neither the route table's schemas nor the generator; run from source
 * (`npm start`, tests), by evaluating this module.
 */
const { PROFILE_ID, PRACTICES_JSON } = config();
const document: Record<string, unknown> = openApiDocument(practisedProfile(PROFILE_ID, PRACTICES_JSON).provisions);
export default document;
