/**
 * Mints access tokens in the JWT profile of RFC 9068: header `typ`
 * `at+jwt` (section 2.1) and the claims of section 2.2.
 */

import { randomUUID } from 'node:crypto';

import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';

import { normalizeAccessTokenInput } from './access-token-input.js';
import type { AccessTokenInput } from './access-token-input.js';
import type { TokenServiceConfig } from './options.js';
import type { SigningKey } from './signing-key.js';

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

function buildClaims(
  input: ReturnType<typeof normalizeAccessTokenInput>,
): JWTPayload {
  const claims: JWTPayload = { client_id: input.clientId };
  if (input.scope.length > 0) claims.scope = input.scope.join(' ');
  if (input.sessionId !== undefined) claims.sid = input.sessionId;
  return claims;
}

/**
 * Creates the mint function bound to a config and a signing key.
 *
 * @throws TypeError (as a rejection) when the input is malformed.
 */
export function createAccessTokenMinter(
  config: TokenServiceConfig,
  key: SigningKey,
): MintAccessToken {
  const header = Object.freeze({
    alg: key.algorithm,
    kid: key.publicJwk.kid as string,
    typ: ACCESS_TOKEN_TYPE,
  });

  return async function mintAccessToken(rawInput) {
    const input = normalizeAccessTokenInput(
      rawInput,
      config.accessTokenTtlSeconds,
    );
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + input.ttlSeconds;
    const jti = randomUUID();

    const accessToken = await new SignJWT(buildClaims(input))
      .setProtectedHeader(header)
      .setIssuer(config.issuer)
      .setSubject(input.subject)
      .setAudience(input.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(jti)
      .sign(key.privateKey);

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
