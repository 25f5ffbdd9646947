/**
 * The single table's shape: keys and global secondary indexes. CDK builds the table
 * from this, the local runtime creates it from this, and the store queries by it.
 * Imports nothing, so CDK can read it without pulling in the SDK.
 */
export const tableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Items that expire (Idempotency-Key records) carry this epoch-seconds attribute; DynamoDB's TTL deletes them. */
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /** Sparse: only items in a state a duty works from (事案 not closed). */
    { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
  ],
} as const;

export type IndexName = (typeof tableDesign.indexes)[number]['indexName'];

/** The attributes the indexes are keyed on (`gsi1pk`, `gsi1sk`, …). */
export type IndexAttribute = (typeof tableDesign.indexes)[number]['partitionKey' | 'sortKey'];
