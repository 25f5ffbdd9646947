import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Where the local runtime keeps its state: `.local/` at the repository root (git-ignored). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const localDir = join(repoRoot, '.local');
export const localPaths = {
  dynamodb: join(localDir, 'dynamodb'),
  s3: join(localDir, 's3'),
  signingKey: join(localDir, 'idp', 'signing-key.json'),
};
export const localTableName = 'kansa';
