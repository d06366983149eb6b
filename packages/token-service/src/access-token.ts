/**
 * Mints access tokens in the JWT profile of RFC 9068: header `typ`
 * `at+jwt` (section 2.1) and the claims of section 2.2, as a compact JWS
 * (RFC 7515 section 7.1) whose signature comes from the ring's signer.
 */

import { randomUUID } from 'node:crypto';

import type { JWTPayload } from 'jose';

import { TemporarilyUnavailableError } from '@portcullis/core';

import { normalizeAccessTokenInput } from './access-token-input.js';
import type { AccessTokenInput } from './access-token-input.js';
import type { KeyRing } from './key-ring.js';
import type { TokenServiceConfig } from './options.js';
import { PACKAGE_NAME } from './package-name.js';
import type { Signer } from './signer.js';

/** RFC 9068 section 2.1: the media type of a JWT access token. */
const ACCESS_TOKEN_TYPE = 'at+jwt';

/** A minted access token, in the shape of an RFC 6749 token response. */
export interface IssuedAccessToken {
  /** The signed JWT. */
  accessToken: string;
  /** Always `Bearer` (RFC 6750). */
  tokenType: 'Bearer';
  /** The `exp` claim, in seconds since the epoch. */
  expiresAt: number;
  /** The `jti` claim: a random UUID. */
  jti: string;
}

/** Mints one access token. */
export type MintAccessToken = (
  input: AccessTokenInput,
) => Promise<IssuedAccessToken>;

function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** RFC 7515 section 5.1: `BASE64URL(header) '.' BASE64URL(payload)`. */
async function signCompact(
  signer: Signer,
  claims: JWTPayload,
): Promise<string> {
  const header = {
    alg: signer.algorithm,
    kid: signer.kid,
    typ: ACCESS_TOKEN_TYPE,
  };
  const signingInput = `${encodeSegment(header)}.${encodeSegment(claims)}`;
  let signature: Uint8Array;
  try {
    signature = await signer.sign(Buffer.from(signingInput, 'ascii'));
  } catch (cause) {
    throw new TemporarilyUnavailableError('the signer is unavailable', {
      cause,
    });
  }
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
}

function checkTtl(ttlSeconds: number, maxSeconds: number): void {
  if (ttlSeconds <= maxSeconds) return;
  throw new TypeError(
    `${PACKAGE_NAME}: mintAccessToken input "ttlSeconds" must not exceed ` +
      `${maxSeconds}, the longest lifetime the key ring keeps keys for`,
  );
}

/**
 * Creates the mint function bound to a config and a key ring.
 *
 * @throws TypeError (as a rejection) when the input is malformed, or its
 * `ttlSeconds` outlives the ring's retired keys.
 * @throws TemporarilyUnavailableError (503, as a rejection) when the key
 * store or the signer fails, or no key can sign.
 */
export function createAccessTokenMinter(
  config: TokenServiceConfig,
  ring: KeyRing,
): MintAccessToken {
  return async function mintAccessToken(rawInput) {
    const input = normalizeAccessTokenInput(
      rawInput,
      config.accessTokenTtlSeconds,
    );
    checkTtl(input.ttlSeconds, ring.maxTokenTtlSeconds);
    const signer = await ring.signer();
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + input.ttlSeconds;
    const jti = randomUUID();

    const claims: JWTPayload = { client_id: input.clientId };
    if (input.scope.length > 0) claims.scope = input.scope.join(' ');
    if (input.sessionId !== undefined) claims.sid = input.sessionId;
    const accessToken = await signCompact(signer, {
      ...claims,
      iss: config.issuer,
      sub: input.subject,
      aud: input.audience,
      iat: issuedAt,
      exp: expiresAt,
      jti,
    });

    config.audit?.emit('token.issued', {
      subject: input.subject,
      audience: input.audience,
      jti,
    });
    config.logger.debug('access token issued', {
      issuer: config.issuer,
      subject: input.subject,
    });
    return { accessToken, tokenType: 'Bearer', expiresAt, jti };
  };
}
