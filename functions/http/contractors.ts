// adapter → lib/app/contractors (use cases) → lib/domain/contractor (第22条 委託先)
import { contractorOperations } from '#lib/http/operations/contractors.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('contractors', contractorOperations);
