import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type Action, type Resource, decide } from '#lib/domain/permissions.js';
import { evidenceTypeList } from '#lib/domain/evidence.js';
import type { Organisation } from '#lib/domain/organisation.js';
import type { Actor } from '#lib/domain/roles.js';
import type { Api } from './api.js';
import { DataCache } from './data.js';
import type { Me, Profile } from './types.js';

/**
 * The signed-in user, the active profile and the API, for every screen. What to offer
 * is decided by the same pure function the server uses (lib/domain/permissions.ts);
 * when the server still refuses, its 403 detail is shown.
 */
export interface Session {
  me: Me;
  profile: Profile;
  /** The API; after each write the data layer reads again what the screens show. */
  api: Api;
  /** What the screens read, shared between them (see hooks.ts). */
  data: DataCache;
  actor: Actor;
  /** The organisation's 課 and 部, from GET /profile. */
  organisation: Organisation;
  /** 市民課（citizens） for `citizens`: the name beside the code; the code alone when the organisation does not know it. */
  departmentLabel(code: string): string;
  /** Whether to offer an action; the server decides again. */
  can(action: Action, resource?: Resource): boolean;
  /** Why the action would be refused (Japanese), or undefined when allowed. */
  whyNot(action: Action, resource?: Resource): string | undefined;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('SessionContext is missing');
  return s;
}

/** The API whose writes (POST, PATCH, creates) leave every read out of date. */
function invalidatingWrites(api: Api, data: DataCache): Api {
  const after = async <R>(write: Promise<R>): Promise<R> => {
    const r = await write;
    data.invalidate();
    return r;
  };
  return {
    ...api,
    request: (method, path, options) => (method === 'GET' ? api.request(method, path, options) : after(api.request(method, path, options))),
    post: (path, body, ifMatch) => after(api.post(path, body, ifMatch)),
    create: (path, body, intent, ifMatch) => after(api.create(path, body, intent, ifMatch)),
    patch: (path, body, ifMatch) => after(api.patch(path, body, ifMatch)),
  };
}

export function createSession(me: Me, profile: Profile, rawApi: Api, signOut: () => void): Session {
  const data = new DataCache();
  const api = invalidatingWrites(rawApi, data);
  const actor: Actor = { sub: me.sub, name: me.name, roles: me.roles, department: me.department };
  const organisation: Organisation = { departments: profile.departments ?? [] };
  const names = new Map(organisation.departments.map((d) => [d.code, d.name]));
  return {
    me,
    // An API older than this app sends no evidence types: the domain's own list is the same one.
    profile: { ...profile, evidenceTypes: profile.evidenceTypes ?? evidenceTypeList() },
    api,
    data,
    actor,
    organisation,
    departmentLabel: (code) => {
      const name = names.get(code);
      return name ? `${name}（${code}）` : code;
    },
    can: (action, resource) => decide(actor, action, resource, profile).allowed,
    whyNot: (action, resource) => {
      const d = decide(actor, action, resource, profile);
      return d.allowed ? undefined : d.reason;
    },
    signOut,
  };
}
