import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { Unauthenticated } from '#lib/domain/errors.js';
import { actorFromEvent, parseGroups } from '#lib/http/claims.js';

describe('parseGroups', () => {
  it.each<[string, unknown, string[]]>([
    ['API Gateway form', '[auditLead deputyManager]', ['auditLead', 'deputyManager']],
    ['API Gateway form, one group', '[chiefManager]', ['chiefManager']],
    ['API Gateway form, empty', '[]', []],
    ['empty string', '', []],
    ['blank string', '   ', []],
    ['JSON array string', '["auditLead","deputyManager"]', ['auditLead', 'deputyManager']],
    ['JSON array string with spaces', ' [ "auditLead", "deputyManager" ] ', ['auditLead', 'deputyManager']],
    ['empty JSON array string', '[ ]', []],
    ['real array', ['auditLead', 'deputyManager'], ['auditLead', 'deputyManager']],
    ['empty real array', [], []],
    // A comma never splits: one group named "auditLead,deputyManager" must not grant two roles.
    ['comma inside one group name', 'auditLead,deputyManager', ['auditLead,deputyManager']],
    ['comma and space', 'auditLead, deputyManager', ['auditLead,', 'deputyManager']],
    ['bare single group', 'sectionStaff', ['sectionStaff']],
    ['undefined', undefined, []],
    ['null', null, []],
    ['a number', 42, []],
  ])('%s: %j', (_name, value, groups) => {
    expect(parseGroups(value)).toEqual(groups);
  });
});

type Claims = Record<string, string | number | boolean | string[]>;
/** An event whose verified claims are an ID token's (`token_use: id`) with these claims over them. */
const eventWith = (claims: Claims | undefined): Pick<APIGatewayProxyEventV2, 'requestContext'> =>
  ({
    requestContext: { authorizer: claims === undefined ? undefined : { jwt: { claims: { token_use: 'id', ...claims }, scopes: [] } } },
  }) as unknown as Pick<APIGatewayProxyEventV2, 'requestContext'>;

describe('actorFromEvent', () => {
  it('reads sub, name, groups and department from the verified claims', () => {
    const actor = actorFromEvent(
      eventWith({ sub: 'u-1', name: '政策 太郎', 'cognito:groups': '[auditLead deputyManager]', 'custom:department': 'seisaku' }),
    );
    expect(actor).toEqual({ sub: 'u-1', name: '政策 太郎', roles: ['auditLead', 'deputyManager'], department: 'seisaku' });
  });

  it.each<[string, Pick<APIGatewayProxyEventV2, 'requestContext'>]>([
    ['no authorizer', eventWith(undefined)],
    ['no claims', { requestContext: { authorizer: { jwt: {} } } } as unknown as Pick<APIGatewayProxyEventV2, 'requestContext'>],
    ['no requestContext', {} as Pick<APIGatewayProxyEventV2, 'requestContext'>],
    ['no sub', eventWith({ name: 'x', 'cognito:groups': '[auditLead]' })],
    ['empty sub', eventWith({ sub: '', 'cognito:groups': '[auditLead]' })],
    ['sub not a string', eventWith({ sub: 42, 'cognito:groups': '[auditLead]' })],
  ])('missing identity (%s) → Unauthenticated', (_name, event) => {
    expect(() => actorFromEvent(event)).toThrow(Unauthenticated);
  });

  it.each<[string, Claims]>([
    ["an access token of the same client (Cognito's access token carries client_id, groups, no department)", { token_use: 'access' }],
    ['no token_use', { token_use: '' }],
    ['token_use not a string', { token_use: true }],
  ])('refuses %s: only ID tokens are taken', (_name, claims) => {
    const event = eventWith({ sub: 'u-1', 'cognito:groups': '[chiefManager]', ...claims });
    expect(() => actorFromEvent(event)).toThrow(Unauthenticated);
    expect(() => actorFromEvent(event)).toThrow(/IDトークン以外/);
  });

  it('drops group names that are not roles', () => {
    const actor = actorFromEvent(eventWith({ sub: 'u-1', 'cognito:groups': '[admin auditLead us-east-1_pool_Google AuditLead]' }));
    expect(actor.roles).toEqual(['auditLead']);
  });

  it('no groups means no roles', () => {
    expect(actorFromEvent(eventWith({ sub: 'u-1' })).roles).toEqual([]);
  });

  it.each<[string, Claims, string]>([
    ['missing', { sub: 'u-1' }, ''],
    ['not a string', { sub: 'u-1', 'custom:department': 12 }, ''],
    ['present', { sub: 'u-1', 'custom:department': 'koho-kocho' }, 'koho-kocho'],
  ])('department %s → %j', (_name, claims, department) => {
    expect(actorFromEvent(eventWith(claims)).department).toBe(department);
  });

  it.each<[string, Claims, string]>([
    ['name', { sub: 'u-1', name: '広報 花子', 'cognito:username': 'hanako' }, '広報 花子'],
    ['cognito:username when no name', { sub: 'u-1', 'cognito:username': 'hanako' }, 'hanako'],
    ['sub when neither', { sub: 'u-1' }, 'u-1'],
  ])('name falls back: %s', (_name, claims, name) => {
    expect(actorFromEvent(eventWith(claims)).name).toBe(name);
  });
});
