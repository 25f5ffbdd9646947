/**
 * file-type, which reads a file's magic bytes: only the upload's verification uses it
 * (S3EvidenceObjects.inspect, in the verifier and the jobs function). The evidence and
 * audit-log functions carry the bucket module without it (their spec's chunks leave it
 * in a file of its own that they never load).
 */
export { fileTypeFromBuffer } from 'file-type';
