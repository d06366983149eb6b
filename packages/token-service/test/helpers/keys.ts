/** Private JWKs for tests, generated with jose. */

import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';

import type { SigningAlgorithm } from '../../src/signing-key-shape.js';

export const ISSUER = 'https://auth.example.com';
export const AUDIENCE = 'https://api.example.com';

/** Members a published JWK must never carry. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Generates a private JWK for `algorithm`. */
export async function privateJwkFor(algorithm: SigningAlgorithm): Promise<JWK> {
  const { privateKey } = await generateKeyPair(algorithm, {
    extractable: true,
  });
  return exportJWK(privateKey);
}
