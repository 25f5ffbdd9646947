import { demoDepartments, demoPassword, demoTitle, demoUsers, localProfile } from './demo-users.js';
import { type DynamoDbLocal, JavaMissing, startDynamoDbLocal } from './dynamodb-local.js';
import { apiPath } from './gateway.js';
import { defaultLocalPort, loadOrCreateSigningKey } from './identity.js';
import { localPaths, localTableName } from './paths.js';
import { type LocalScheduler, describeNext, startScheduler } from './scheduler.js';
import { type InProcessStack, startInProcessStack } from './stack.js';
import { ensureWebBuilt } from './web.js';

/**
 * `npm start`: DynamoDB Local (file-backed under .local/), the table, the S3 emulator,
 * and on one port the local OpenID provider, the SPA and the gateway running the
 * functions/ handlers (lib/local/stack.ts, the same stack the tests start).
 */
async function main(): Promise<void> {
  // The pinned SDK runs on Node 20; Lambda runs Node 22+.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const port = Number(process.env.PORT ?? defaultLocalPort);
  let stack: InProcessStack | undefined = undefined;
  let scheduler: LocalScheduler | undefined = undefined;
  let stopping = false;
  const starting: Promise<DynamoDbLocal> = startDynamoDbLocal({ dbPath: localPaths.dynamodb });
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    scheduler?.stop();
    await stack?.close().catch(() => undefined);
    // Also when Ctrl-C comes while DynamoDB Local is still starting.
    await starting.then((d) => d.stop()).catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const built = ensureWebBuilt((l) => console.log(l));
  const db = await starting.catch((err: unknown) => {
    console.error(err instanceof JavaMissing ? err.message : err instanceof Error ? err.message : err);
    process.exit(1);
  });
  try {
    await built;
  } catch (err) {
    console.error(`画面（SPA）をビルドできませんでした / The web app did not build: ${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
    return;
  }
  if (stopping) return;

  try {
    stack = await startInProcessStack({
      dynamoEndpoint: db.endpoint,
      tableName: process.env.TABLE_NAME ?? localTableName,
      port,
      s3Directory: localPaths.s3,
      signingKey: await loadOrCreateSigningKey(localPaths.signingKey),
      departmentsJson: process.env.DEPARTMENTS_JSON ?? JSON.stringify(demoDepartments),
      // PROFILE_ID=003 PRACTICES_JSON='{"audits":true}' npm start: the regulation as the deployment practises it.
      profileId: process.env.PROFILE_ID,
      practicesJson: process.env.PRACTICES_JSON,
      logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      web: true,
      log: (l) => console.log(l),
    });
  } catch (err) {
    console.error(
      (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `ポート ${port} は使用中です。PORT=${port + 1} npm start のように別のポートを指定してください。 / Port ${port} is in use; set PORT.`
        : err instanceof Error
          ? err.message
          : err,
    );
    await stop(1);
    return;
  }
  // The periodic duties: THE schedule table on croner, firing the jobs handler (lib/local/scheduler.ts).
  scheduler = startScheduler({ dynamoEndpoint: db.endpoint, s3Endpoint: stack.s3.endpoint, log: (l) => console.log(l) });
  const base = stack.webUrl;
  console.log(`kansa is running: open ${base} in a browser / ブラウザで ${base} を開いてください`);
  console.log(
    `  DynamoDB Local ${db.endpoint}, table "${stack.tableName}" ${stack.tableCreated ? 'created' : 'reused'}; S3 emulator ${stack.s3.endpoint}, bucket "${stack.s3.bucket}" (.local/)`,
  );
  console.log(`  OpenID provider ${stack.issuer} (discovery: ${stack.issuer}/.well-known/openid-configuration)`);
  console.log('');
  console.log(`Sign in with a demo user and the demo password: ${demoPassword}`);
  console.log(`デモ利用者を選び、デモ用パスワード「${demoPassword}」でログインしてください。`);
  const { roleTitles } = localProfile();
  for (const u of demoUsers) console.log(`  ${u.id.padEnd(18)} ${u.name}  ${demoTitle(u, roleTitles)}  [${u.roles.join(', ') || '—'}]`);
  console.log('');
  console.log(`For curl, the API is under ${apiPath}; every request but ${apiPath}/health takes a bearer token of a demo user:`);
  console.log('  TOKEN=$(npm run -s token -- policy-director)');
  console.log(`  curl -H "Authorization: Bearer $TOKEN" ${base}${apiPath}/me`);
  console.log('');
  console.log('Periodic duties (Asia/Tokyo; fire one now with npm run job -- <duty> [--at <ISO instant>]):');
  for (const n of scheduler.next()) console.log(`  ${n.duty.padEnd(18)} next ${describeNext(n.at)}  ${n.description}`);
  console.log('');
  console.log('Ctrl-C stops kansa, DynamoDB Local and the S3 emulator. Data is kept in .local/.');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
