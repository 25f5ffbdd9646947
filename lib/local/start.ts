import { demoDepartments, demoUsers } from './demo-users.js';
import { ensureTable } from './create-table.js';
import type { Server } from 'node:http';
import { type DynamoDbLocal, JavaMissing, startDynamoDbLocal } from './dynamodb-local.js';
import { createGateway } from './gateway.js';
import { localAudience, localIssuer, loadOrCreateSigningKey } from './identity.js';
import { localPaths, localTableName } from './paths.js';
import { startS3Local } from './s3-local.js';

/**
 * `npm start`: DynamoDB Local (file-backed under .local/), the table, the local
 * identity provider's key and the gateway running the functions/ handlers, on one port.
 */
async function main(): Promise<void> {
  // The pinned SDK runs on Node 20; Lambda runs Node 22+.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const port = Number(process.env.PORT ?? 3000);
  let server: Server | undefined = undefined;
  let stopping = false;
  let stopS3: (() => Promise<void>) | undefined = undefined;
  const starting: Promise<DynamoDbLocal> = startDynamoDbLocal({ dbPath: localPaths.dynamodb });
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    server?.close();
    await stopS3?.();
    // Also when Ctrl-C comes while DynamoDB Local is still starting.
    await starting.then((d) => d.stop()).catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const db = await starting.catch((err: unknown) => {
    console.error(err instanceof JavaMissing ? err.message : err instanceof Error ? err.message : err);
    process.exit(1);
  });
  if (stopping) return;

  Object.assign(process.env, {
    TABLE_NAME: process.env.TABLE_NAME ?? localTableName,
    DYNAMODB_ENDPOINT: db.endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'ap-northeast-1',
    POWERTOOLS_METRICS_DISABLED: 'true',
    DEPARTMENTS_JSON: process.env.DEPARTMENTS_JSON ?? JSON.stringify(demoDepartments),
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });
  const table = await ensureTable(db.endpoint, process.env.TABLE_NAME as string);
  const s3 = await startS3Local({ directory: localPaths.s3, corsOrigin: `http://localhost:${port}`, log: (l) => console.log(l) });
  stopS3 = () => s3.stop();
  Object.assign(process.env, { S3_ENDPOINT: s3.endpoint, EVIDENCE_BUCKET: s3.bucket });
  const key = await loadOrCreateSigningKey(localPaths.signingKey);
  server = createGateway({ jwks: key.jwks, issuer: localIssuer, audience: localAudience, log: (l) => console.log(l) });
  server.on('error', (err: NodeJS.ErrnoException) => {
    console.error(
      err.code === 'EADDRINUSE'
        ? `ポート ${port} は使用中です。PORT=${port + 1} npm start のように別のポートを指定してください。 / Port ${port} is in use; set PORT.`
        : err.message,
    );
    void stop(1);
  });
  server.listen(port, '127.0.0.1', () => {
    const base = `http://localhost:${port}`;
    console.log(`kansa is running at ${base}`);
    console.log(`  DynamoDB Local ${db.endpoint}, table "${process.env.TABLE_NAME}" ${table === 'created' ? 'created' : 'reused'}; S3 emulator ${s3.endpoint}, bucket "${s3.bucket}" (.local/)`);
    console.log('');
    console.log('Sign in: every request but /health takes a bearer token of a demo user.');
    console.log('  TOKEN=$(npm run -s token -- policy-director)');
    console.log(`  curl -H "Authorization: Bearer $TOKEN" ${base}/me`);
    console.log('');
    console.log('Demo users (npm run -s token -- --list):');
    for (const u of demoUsers) console.log(`  ${u.id.padEnd(18)} ${u.title}  [${u.roles.join(', ') || '—'}]`);
    console.log('');
    console.log('Ctrl-C stops kansa, DynamoDB Local and the S3 emulator. Data is kept in .local/.');
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
