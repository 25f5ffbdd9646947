import { demoTitle, demoUser, demoUsers, localProfile } from './demo-users.js';
import { defaultLocalPort, loadOrCreateSigningKey, localIssuerFor, signToken } from './identity.js';
import { localPaths } from './paths.js';

/**
 * `npm run -s token -- <userId>` prints a bearer token for a demo user, issued by the
 * local provider of `npm start` on `PORT` (default 3000), for curl;
 * `npm run -s token -- --list` prints the demo users as JSON.
 */
async function main(args: string[]): Promise<number> {
  const [arg] = args;
  if (arg === '--list') {
    const { roleTitles } = localProfile();
    console.log(
      JSON.stringify(
        demoUsers.map((u) => ({
          id: u.id,
          name: u.name,
          title: demoTitle(u, roleTitles),
          roles: u.roles,
          department: u.department,
        })),
        null,
        2,
      ),
    );
    return 0;
  }
  const user = arg === undefined ? undefined : demoUser(arg);
  if (!user) {
    console.error(`Usage: npm run -s token -- <userId>   (one of: ${demoUsers.map((u) => u.id).join(', ')})`);
    console.error('       npm run -s token -- --list');
    return 2;
  }
  const key = await loadOrCreateSigningKey(localPaths.signingKey);
  console.log(await signToken(key, user, { issuer: localIssuerFor(`http://localhost:${process.env.PORT ?? defaultLocalPort}`) }));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
