// adapter → lib/app/inspections (use cases) → lib/domain/inspection (第27条 点検)
import { inspectionOperations } from '#lib/http/operations/inspections.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('inspections', inspectionOperations);
