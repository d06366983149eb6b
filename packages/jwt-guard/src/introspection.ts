/**
 * Opaque access tokens through OAuth 2.0 Token Introspection (RFC 7662):
 * the token is posted to the issuer's endpoint with client credentials
 * (RFC 7662 section 2.1, client_secret_basic), and an active answer is
 * cached no longer than the token's `exp` nor `cacheMaxSeconds`.
 */

import { createHash } from 'node:crypto';

import { configError, parseSecureUrl, requireString } from '@portcullis/core';

import { GuardUnavailableError, TokenRejectedError } from './errors.js';

const PACKAGE_NAME = '@portcullis/jwt-guard';
const DEFAULT_CACHE_MAX_SECONDS = 60;
const DEFAULT_CACHE_ENTRIES = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

/** The `introspection` option. */
export interface IntrospectionOptions {
  /** Required. The introspection endpoint URL. https, or http on loopback. */
  endpoint: string;
  /** Required. The resource server's client id at the endpoint. */
  clientId: string;
  /** Required. Its client secret. */
  clientSecret: string;
  /** Required. The issuer whose tokens the endpoint answers for. */
  issuer: string;
  /** Longest time an active answer is reused, in seconds. Default: 60. */
  cacheMaxSeconds?: number;
}

/** The validated `introspection` option. */
export interface IntrospectionConfig {
  readonly endpoint: URL;
  readonly authorization: string;
  readonly issuer: string;
  readonly cacheMaxSeconds: number;
}

/** The claims of an active introspection answer, without `active`. */
export type IntrospectedClaims = Readonly<Record<string, unknown>>;

const KNOWN = [
  'endpoint',
  'clientId',
  'clientSecret',
  'issuer',
  'cacheMaxSeconds',
];

/**
 * Validates the `introspection` option.
 *
 * @throws TypeError naming the option when it is invalid.
 */
export function checkIntrospection(
  value: unknown,
): IntrospectionConfig | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) {
    throw configError(PACKAGE_NAME, 'introspection', 'must be an object');
  }

  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN.includes(key)) {
      throw configError(
        PACKAGE_NAME,
        `introspection.${key}`,
        'is not a known option',
      );
    }
  }

  const id = requireString(
    PACKAGE_NAME,
    'introspection.clientId',
    input.clientId,
  );
  const secret = requireString(
    PACKAGE_NAME,
    'introspection.clientSecret',
    input.clientSecret,
  );
  const cache = input.cacheMaxSeconds ?? DEFAULT_CACHE_MAX_SECONDS;
  if (typeof cache !== 'number' || !Number.isInteger(cache) || cache < 0) {
    throw configError(
      PACKAGE_NAME,
      'introspection.cacheMaxSeconds',
      'must be a non-negative integer (seconds)',
    );
  }

  parseSecureUrl(PACKAGE_NAME, 'introspection.issuer', input.issuer);
  // RFC 6749 section 2.3.1: form-encode id and secret before base64.
  const pair = `${encodeURIComponent(id)}:${encodeURIComponent(secret)}`;
  return Object.freeze({
    endpoint: parseSecureUrl(
      PACKAGE_NAME,
      'introspection.endpoint',
      input.endpoint,
    ),
    authorization: `Basic ${Buffer.from(pair).toString('base64')}`,
    issuer: input.issuer as string,
    cacheMaxSeconds: cache,
  });
}

async function post(
  config: IntrospectionConfig,
  token: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  try {
    const response = await fetch(config.endpoint, {
      method: 'POST',
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        authorization: config.authorization,
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        token,
        token_type_hint: 'access_token',
      }).toString(),
    });
    const text = await response.text();
    if (response.status !== 200 || text.length > MAX_RESPONSE_BYTES) {
      throw new Error(`unexpected status ${response.status}`);
    }

    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new Error('not a JSON object');
    }

    return body as Record<string, unknown>;
  } catch (error) {
    throw new GuardUnavailableError(
      'JWT_GUARD_INTROSPECTION_UNAVAILABLE',
      error,
    );
  }
}

function activeClaims(
  body: Record<string, unknown>,
  config: IntrospectionConfig,
): Record<string, unknown> {
  // RFC 7662 section 2.2: anything but `active: true` is inactive.
  if (body.active !== true) throw new TokenRejectedError('JWT_GUARD_INACTIVE');
  if (
    body.token_type !== undefined &&
    body.token_type !== 'access_token' &&
    String(body.token_type).toLowerCase() !== 'bearer'
  ) {
    throw new TokenRejectedError('JWT_GUARD_CLAIM_INVALID');
  }

  const { active: _active, ...claims } = body;
  return { iss: config.issuer, ...claims };
}

/** An introspection client with its cache of active answers. */
export interface Introspector {
  /**
   * Returns the claims of an active token (with `iss` defaulted to the
   * configured issuer).
   *
   * @throws TokenRejectedError `JWT_GUARD_INACTIVE` for an inactive token.
   * @throws GuardUnavailableError (503) when the endpoint fails.
   */
  introspect(token: string, nowSeconds: number): Promise<IntrospectedClaims>;
}

/** Creates the introspection client. */
export function createIntrospector(
  config: IntrospectionConfig,
  timeoutMs: number,
): Introspector {
  const cache = new Map<
    string,
    { claims: IntrospectedClaims; untilSeconds: number }
  >();

  function remember(key: string, claims: IntrospectedClaims, now: number) {
    const exp = typeof claims.exp === 'number' ? claims.exp : now;
    const untilSeconds = Math.min(exp, now + config.cacheMaxSeconds);
    if (untilSeconds <= now) return;
    if (cache.size >= DEFAULT_CACHE_ENTRIES) {
      cache.delete(cache.keys().next().value as string);
    }

    cache.set(key, { claims, untilSeconds });
  }

  return {
    async introspect(token, now) {
      // The cache is keyed by a hash so that no token sits in memory twice.
      const key = createHash('sha256').update(token).digest('base64url');
      const hit = cache.get(key);
      if (hit !== undefined && now < hit.untilSeconds) return hit.claims;
      cache.delete(key);

      const claims = Object.freeze(
        activeClaims(await post(config, token, timeoutMs), config),
      );
      remember(key, claims, now);
      return claims;
    },
  };
}
