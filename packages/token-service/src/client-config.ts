/**
 * The `clients` option: who may call the token endpoints, with which
 * credential (a secret stored hashed, see client-secret.ts, or public keys
 * for `private_key_jwt`, see client-jwks.ts), grants and scopes.
 */

import type { JWK } from 'jose';

import { configError } from '@portcullis/core';

import { checkClientKeys } from './client-jwks.js';
import type { ClientKeys } from './client-jwks.js';
import { parseStoredSecret } from './client-secret.js';
import type { StoredSecret } from './client-secret.js';
import { PACKAGE_NAME } from './package-name.js';

/** The grant types of the token endpoint. */
export type GrantType = 'refresh_token' | 'client_credentials';

const GRANT_TYPES: readonly GrantType[] = [
  'refresh_token',
  'client_credentials',
];
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const KNOWN_KEYS = [
  'clientId',
  'secretHash',
  'jwks',
  'jwksUri',
  'grantTypes',
  'scope',
  'audience',
];

/** One client of the token endpoints. */
export interface ClientConfig {
  /** Required. The `client_id`. */
  clientId: string;
  /**
   * The output of `hashClientSecret(secret)`: the client authenticates with
   * `client_secret_basic` or `client_secret_post`. Exactly one of
   * `secretHash`, `jwks` and `jwksUri` is required.
   */
  secretHash?: string;
  /**
   * The client's public keys (RSA of 2048 bits or more, EC P-256, OKP
   * Ed25519): it authenticates with `private_key_jwt` only.
   */
  jwks?: { keys: JWK[] };
  /**
   * https URL of the client's JWK Set (http only on loopback hosts),
   * fetched when needed with a 3 s timeout: `private_key_jwt` only.
   */
  jwksUri?: string;
  /** Grants it may use. Default: both `refresh_token` and `client_credentials`. */
  grantTypes?: readonly GrantType[];
  /** Scopes it may request with `client_credentials`. Default: none. */
  scope?: readonly string[];
  /** `aud` of its `client_credentials` tokens. Default: the service's. */
  audience?: string;
}

/** How a client authenticates: one credential, so one method family. */
export type ClientCredential =
  | { readonly kind: 'secret'; readonly secret: StoredSecret }
  | { readonly kind: 'keys'; readonly keys: ClientKeys };

/** A validated client. */
export interface NormalizedClient {
  readonly clientId: string;
  readonly credential: ClientCredential;
  readonly grantTypes: readonly GrantType[];
  readonly scope: readonly string[];
  readonly audience: string | undefined;
}

function fail(path: string, expected: string): TypeError {
  return configError(PACKAGE_NAME, path, expected);
}

function checkCredential(
  input: Record<string, unknown>,
  path: string,
): ClientCredential {
  const given = ['secretHash', 'jwks', 'jwksUri'].filter(
    (key) => input[key] !== undefined,
  );
  if (given.length !== 1) {
    throw fail(path, 'needs exactly one of secretHash, jwks and jwksUri');
  }

  if (input.secretHash === undefined) {
    const keys = checkClientKeys(input.jwks, input.jwksUri, path);
    return Object.freeze({ kind: 'keys', keys });
  }

  const secret = parseStoredSecret(input.secretHash);
  if (secret === undefined) {
    throw fail(`${path}.secretHash`, 'must be the output of hashClientSecret');
  }
  return Object.freeze({ kind: 'secret', secret });
}

function checkClient(value: unknown, index: number): NormalizedClient {
  const path = `clients[${index}]`;
  if (typeof value !== 'object' || value === null) {
    throw fail(path, 'must be an object');
  }

  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.includes(key)) throw fail(`${path}.${key}`, 'is not known');
  }

  if (typeof input.clientId !== 'string' || input.clientId.length === 0) {
    throw fail(`${path}.clientId`, 'must be a non-empty string');
  }

  const credential = checkCredential(input, path);
  const grantTypes = input.grantTypes ?? GRANT_TYPES;
  if (
    !Array.isArray(grantTypes) ||
    !grantTypes.every((g) => GRANT_TYPES.includes(g as GrantType))
  ) {
    throw fail(
      `${path}.grantTypes`,
      'must list refresh_token or client_credentials',
    );
  }

  const scope = input.scope ?? [];
  if (
    !Array.isArray(scope) ||
    !scope.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))
  ) {
    throw fail(`${path}.scope`, 'must be an array of scope tokens');
  }

  if (
    input.audience !== undefined &&
    (typeof input.audience !== 'string' || input.audience.length === 0)
  ) {
    throw fail(`${path}.audience`, 'must be a non-empty string');
  }

  return Object.freeze({
    clientId: input.clientId,
    credential,
    grantTypes: Object.freeze([...(grantTypes as GrantType[])]),
    scope: Object.freeze([...(scope as string[])]),
    audience: input.audience as string | undefined,
  });
}

/**
 * Validates the `clients` option into a map by client id.
 *
 * @throws TypeError naming the client and field that is wrong.
 */
export function checkClients(
  value: unknown,
): ReadonlyMap<string, NormalizedClient> {
  const clients = new Map<string, NormalizedClient>();
  if (value === undefined) return clients;
  if (!Array.isArray(value)) throw fail('clients', 'must be an array');
  value.forEach((entry: unknown, index) => {
    const client = checkClient(entry, index);
    if (clients.has(client.clientId)) {
      throw fail(`clients[${index}].clientId`, 'is listed twice');
    }
    clients.set(client.clientId, client);
  });
  return clients;
}
