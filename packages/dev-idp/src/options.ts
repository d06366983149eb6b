/**
 * Options of startDevIdp and their one-time validation. Every rule runs
 * when the IdP starts, so a wrong option fails before any request.
 */

import { DEFAULT_TEST_USERS } from './test-users.js';
import type { TestUser } from './test-users.js';

const PACKAGE = '@portcullis/dev-idp';
const MAX_PORT = 65535;
const OPTION_KEYS = ['port', 'clients', 'users', 'apiAudience'];
const CLIENT_KEYS = [
  'clientId',
  'clientSecret',
  'redirectUris',
  'postLogoutRedirectUris',
  'backchannelLogoutUri',
];
const USER_KEYS = [
  'sub',
  'email',
  'password',
  'name',
  'emailVerified',
  'claims',
];
// Claims the IdP sets itself, or that the user's fields already give.
const RESERVED_CLAIMS = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'nonce',
  'azp',
  'at_hash',
  'c_hash',
  'auth_time',
  'acr',
  'amr',
  'sid',
  'email',
  'email_verified',
  'name',
];
const CLAIM_NAME = /^[A-Za-z_][\w.-]{0,63}$/;

/** A confidential client: client_secret_basic, authorization code flow. */
export interface DevIdpClient {
  /** The `client_id`. Required, non-empty, unique. */
  clientId: string;
  /** The client secret, sent with client_secret_basic. Required, non-empty. */
  clientSecret: string;
  /** Allowed `redirect_uri` values: absolute http(s) URLs. Required. */
  redirectUris: string[];
  /** Allowed `post_logout_redirect_uri` values. Default: none. */
  postLogoutRedirectUris?: string[];
  /**
   * OIDC Back-Channel Logout 1.0 receiver; when set, ID tokens carry `sid`
   * and signing out at the IdP posts a logout token here. Default: none.
   */
  backchannelLogoutUri?: string;
}

/** A client after validation: every field present. */
export type NormalizedDevIdpClient = Required<
  Omit<DevIdpClient, 'backchannelLogoutUri'>
> & { backchannelLogoutUri: string | undefined };

/** Options of {@link startDevIdp}. */
export interface DevIdpOptions {
  /** TCP port on 127.0.0.1. Default: 0, an ephemeral port. */
  port?: number;
  /** The registered clients. Required, at least one. */
  clients: DevIdpClient[];
  /** Users that can sign in. Default: {@link DEFAULT_TEST_USERS}. */
  users?: TestUser[];
  /**
   * An API identifier (an absolute URL). When set, the IdP issues RFC 9068
   * JWT access tokens for it (`typ: at+jwt`, RS256, scope `api:read`), as
   * the default resource of every authorization. Default: opaque access
   * tokens for userinfo only.
   */
  apiAudience?: string;
}

/** The validated, fully defaulted and frozen options. */
export interface DevIdpConfig {
  readonly port: number;
  readonly clients: readonly Readonly<NormalizedDevIdpClient>[];
  readonly users: readonly TestUser[];
  readonly apiAudience: string | undefined;
}

function fail(path: string, expected: string): never {
  throw new TypeError(`${PACKAGE}: '${path}' must be ${expected}`);
}

function suggestKey(key: string, known: string[]): string {
  const lower = key.toLowerCase();
  const match = known.find((candidate) => {
    const other = candidate.toLowerCase();
    return other.startsWith(lower) || lower.startsWith(other);
  });
  return match === undefined ? '' : `; did you mean '${match}'?`;
}

function checkObject(
  value: unknown,
  path: string,
  known: string[],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, 'an object');
  }

  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const hint = suggestKey(key, known);
      throw new TypeError(`${PACKAGE}: unknown option '${path}.${key}'${hint}`);
    }
  }

  return value as Record<string, unknown>;
}

function checkString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(path, 'a non-empty string');
  }

  return value;
}

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function checkUrls(value: unknown, path: string, required: boolean): string[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || (required && value.length === 0)) {
    fail(path, 'a non-empty array of absolute http(s) URLs');
  }

  return value.map((item: unknown, index) => {
    const url = parseUrl(item);
    const ok = url !== undefined && /^https?:$/.test(url.protocol);
    if (!ok || url.hash !== '' || String(item).includes('#')) {
      fail(`${path}[${index}]`, 'an absolute http(s) URL without a fragment');
    }

    return item as string;
  });
}

function checkPort(value: unknown): number {
  if (value === undefined) return 0;
  const ok = Number.isInteger(value) && Number(value) >= 0;
  if (!ok || Number(value) > MAX_PORT) {
    fail('port', `an integer from 0 to ${MAX_PORT}`);
  }

  return value as number;
}

function checkClient(value: unknown, path: string): NormalizedDevIdpClient {
  const client = checkObject(value, path, CLIENT_KEYS);
  const backchannel =
    client.backchannelLogoutUri === undefined
      ? undefined
      : checkUrls(
          [client.backchannelLogoutUri],
          `${path}.backchannelLogoutUri`,
          true,
        )[0];
  return Object.freeze({
    backchannelLogoutUri: backchannel,
    clientId: checkString(client.clientId, `${path}.clientId`),
    clientSecret: checkString(client.clientSecret, `${path}.clientSecret`),
    redirectUris: checkUrls(client.redirectUris, `${path}.redirectUris`, true),
    postLogoutRedirectUris: checkUrls(
      client.postLogoutRedirectUris,
      `${path}.postLogoutRedirectUris`,
      false,
    ),
  });
}

function checkClaims(
  value: unknown,
  path: string,
): Readonly<Record<string, string | number | boolean>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, 'an object of claims');
  }

  const claims: Record<string, string | number | boolean> = {};
  for (const [name, claim] of Object.entries(value)) {
    if (!CLAIM_NAME.test(name) || RESERVED_CLAIMS.includes(name)) {
      fail(`${path}.${name}`, 'a claim name the IdP does not set itself');
    }
    if (!['string', 'number', 'boolean'].includes(typeof claim)) {
      fail(`${path}.${name}`, 'a string, number or boolean');
    }
    claims[name] = claim as string | number | boolean;
  }

  return Object.freeze(claims);
}

function checkUser(value: unknown, path: string): TestUser {
  const user = checkObject(value, path, USER_KEYS);
  if (typeof user.emailVerified !== 'boolean') {
    fail(`${path}.emailVerified`, 'a boolean');
  }

  return Object.freeze({
    sub: checkString(user.sub, `${path}.sub`),
    email: checkString(user.email, `${path}.email`),
    password: checkString(user.password, `${path}.password`),
    name: checkString(user.name, `${path}.name`),
    emailVerified: user.emailVerified,
    ...(user.claims === undefined
      ? {}
      : { claims: checkClaims(user.claims, `${path}.claims`) }),
  });
}

function checkUnique(values: string[], path: string, field: string): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) fail(`${path}[${index}].${field}`, 'unique');
    seen.add(value);
  });
}

function checkList<T>(
  value: unknown,
  path: string,
  checkItem: (item: unknown, itemPath: string) => T,
): T[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail(path, 'a non-empty array');
  }

  return value.map((item, index) => checkItem(item, `${path}[${index}]`));
}

function checkApiAudience(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && URL.canParse(value)) return value;
  return fail('apiAudience', 'an absolute URL');
}

/**
 * Validates the options and returns a frozen config with every default
 * applied.
 *
 * @throws TypeError naming the option path when an option is wrong.
 */
export function normalizeOptions(options: unknown): DevIdpConfig {
  const input = checkObject(options, 'options', OPTION_KEYS);
  const clients = checkList(input.clients, 'clients', checkClient);
  checkUnique(
    clients.map((client) => client.clientId),
    'clients',
    'clientId',
  );

  const users =
    input.users === undefined
      ? DEFAULT_TEST_USERS
      : checkList(input.users, 'users', checkUser);
  checkUnique(
    users.map((user) => user.sub),
    'users',
    'sub',
  );
  checkUnique(
    users.map((user) => user.email.toLowerCase()),
    'users',
    'email',
  );

  return Object.freeze({
    port: checkPort(input.port),
    clients: Object.freeze(clients),
    users: Object.freeze([...users]),
    apiAudience: checkApiAudience(input.apiAudience),
  });
}
