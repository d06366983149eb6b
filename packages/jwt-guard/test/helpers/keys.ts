/**
 * Signing keys and token builders for tests, on jose: each signer signs
 * with its private key and publishes its public JWK with a thumbprint kid.
 */

import {
  SignJWT,
  base64url,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
} from 'jose';
import type { CryptoKey, JWK, JWTHeaderParameters, JWTPayload } from 'jose';

export const ISSUER = 'https://issuer.example.com';
export const AUDIENCE = 'https://api.example.com';

/** A key pair that signs test tokens. */
export interface TestSigner {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
  sign(
    claims?: JWTPayload,
    header?: Partial<JWTHeaderParameters>,
  ): Promise<string>;
}

/** Seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Claims of a valid token: right issuer and audience, five minutes left. */
export function validClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = nowSeconds();
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    iat: now,
    exp: now + 300,
    scope: 'read:items write:items',
    ...overrides,
  };
}

/** Creates a signer for `alg` with a fresh extractable key pair. */
export async function createSigner(alg: string): Promise<TestSigner> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
  });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  const publicJwk = { ...exported, kid, alg, use: 'sig' };

  return {
    alg,
    kid,
    privateKey,
    publicKey,
    publicJwk,
    sign(claims = validClaims(), header = {}) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg, kid, typ: 'at+jwt', ...header })
        .sign(privateKey);
    },
  };
}

/** Builds an unsigned `alg: none` token by hand (RFC 7519 section 6). */
export function unsecuredToken(claims: JWTPayload = validClaims()): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

/** Flips one character of the signature so that it no longer verifies. */
export function tamperSignature(token: string): string {
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -2)}${last}${token.at(-1)}`;
}
