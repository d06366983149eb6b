/**
 * The ID token signing key: a fresh RS256 key pair per start, so no key
 * material is ever stored or shared (RFC 7517 JWK, RFC 7638 thumbprint).
 */

import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';

const SIGNING_ALG = 'RS256';

/**
 * Generates an RS256 private key as a JWK whose `kid` is its RFC 7638
 * thumbprint.
 */
export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, {
    extractable: true,
  });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);

  return { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' };
}
