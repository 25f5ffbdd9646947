/**
 * The table's adapters in one module: the DynamoDB document client and every store. A
 * function with table access (every one but system) supplies it from its entry to
 * lib/runtime/ports.ts, so the DynamoDB client is in no bundle of a function without it.
 */
export { createDocumentClient } from './dynamo.js';
export { DynamoActionStore } from './action-store.js';
export { DynamoAuditTrail } from './audit-store.js';
export { DynamoChangeWriter } from './change-writer.js';
export { DynamoClaimStore } from './claim-store.js';
export { DynamoDisposalStore, DynamoEvidenceStore } from './evidence-store.js';
export { DynamoFindingStore } from './finding-store.js';
export { DynamoIdempotencyStore } from './idempotency-store.js';
export { DynamoIncidentStore } from './incident-store.js';
export { DynamoContractorCheckStore, DynamoContractorStore, DynamoInspectionStore } from './inspection-store.js';
export { DynamoPlanStore } from './plan-store.js';
export { DynamoRunLedger } from './run-store.js';
export { DynamoAttendanceStore, DynamoStaffStore, DynamoTrainingStore } from './staff-store.js';
export { DynamoTaskStore } from './task-store.js';
