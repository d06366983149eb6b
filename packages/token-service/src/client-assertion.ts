/**
 * Verification of a `private_key_jwt` client assertion (RFC 7523 sections
 * 2.2 and 3, OpenID Connect Core section 9): signature by one of the
 * client's keys, `iss` = `sub` = client id, `aud`, a short `exp`, and a
 * single-use `jti` recorded in a ReplayCache.
 */

import { decodeJwt, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';

import { TemporarilyUnavailableError, isAuthError } from '@portcullis/core';
import type { ReplayCache } from '@portcullis/stores';

import { ASSERTION_ALGORITHMS } from './client-jwks.js';
import type { ClientKeys } from './client-jwks.js';

/** RFC 7523 section 2.2: the `client_assertion_type` of a JWT assertion. */
export const JWT_BEARER_ASSERTION_TYPE =
  'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Longest accepted assertion lifetime (`exp` - now, `exp` - `iat`). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/** Allowed clock skew on `exp`, `nbf` and `iat`. */
export const ASSERTION_CLOCK_TOLERANCE_SECONDS = 10;

const MAX_JTI_LENGTH = 256;
const REPLAY_KEY_PREFIX = 'private_key_jwt:';

/** Why an assertion was refused; logged, never sent. */
export class AssertionRefusal extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'AssertionRefusal';
  }
}

/** What the verifier checks an assertion against. */
export interface AssertionContext {
  /** Accepted `aud` values: the issuer and the token endpoint URL. */
  readonly audiences: readonly string[];
  /** Records each `jti` until the assertion expires. */
  readonly replayCache: ReplayCache;
}

/** The unverified `iss` of an assertion, or undefined when unreadable. */
export function assertionIssuer(assertion: string): string | undefined {
  try {
    const { iss } = decodeJwt(assertion);
    return typeof iss === 'string' && iss.length > 0 ? iss : undefined;
  } catch {
    return undefined;
  }
}

async function verifySignature(
  assertion: string,
  clientId: string,
  keys: ClientKeys,
  audiences: readonly string[],
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(assertion, keys.getKey, {
      algorithms: [...ASSERTION_ALGORITHMS],
      issuer: clientId,
      subject: clientId,
      audience: [...audiences],
      requiredClaims: ['exp', 'jti'],
      clockTolerance: ASSERTION_CLOCK_TOLERANCE_SECONDS,
    });
    return payload;
  } catch (error) {
    if (isAuthError(error)) throw error;
    throw new AssertionRefusal('signature or claims', { cause: error });
  }
}

function checkTimes(payload: JWTPayload, nowSeconds: number): number {
  const exp = payload.exp as number;
  const latest =
    nowSeconds +
    MAX_ASSERTION_LIFETIME_SECONDS +
    ASSERTION_CLOCK_TOLERANCE_SECONDS;
  if (exp > latest) throw new AssertionRefusal('exp too far in the future');

  const { iat } = payload;
  if (iat !== undefined) {
    if (iat > nowSeconds + ASSERTION_CLOCK_TOLERANCE_SECONDS) {
      throw new AssertionRefusal('iat in the future');
    }
    if (exp - iat > MAX_ASSERTION_LIFETIME_SECONDS) {
      throw new AssertionRefusal('lifetime too long');
    }
  }
  return Math.max(1, exp - nowSeconds + ASSERTION_CLOCK_TOLERANCE_SECONDS);
}

async function markUsed(
  cache: ReplayCache,
  clientId: string,
  jti: string,
  ttlSeconds: number,
): Promise<void> {
  const key = `${REPLAY_KEY_PREFIX}${encodeURIComponent(clientId)}:${jti}`;
  let fresh: boolean;
  try {
    fresh = await cache.markIfAbsent(key, ttlSeconds);
  } catch (error) {
    throw new TemporarilyUnavailableError(
      'the replay cache is temporarily unavailable',
      { cause: error },
    );
  }

  if (!fresh) throw new AssertionRefusal('jti replayed');
}

/**
 * Verifies `assertion` for `clientId` and records its `jti`.
 *
 * @throws AssertionRefusal when any check fails (the caller answers 401
 * `invalid_client` without saying which).
 * @throws TemporarilyUnavailableError (503) when the replay cache or the
 * client's `jwksUri` cannot answer.
 */
export async function verifyClientAssertion(
  assertion: string,
  clientId: string,
  keys: ClientKeys,
  context: AssertionContext,
): Promise<void> {
  const payload = await verifySignature(
    assertion,
    clientId,
    keys,
    context.audiences,
  );

  const { jti } = payload;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
    throw new AssertionRefusal('jti malformed');
  }

  const ttlSeconds = checkTimes(payload, Math.floor(Date.now() / 1000));
  await markUsed(context.replayCache, clientId, jti, ttlSeconds);
}
