/**
 * Derives the published form of a signing key: its public members only,
 * with `kid` set to the RFC 7638 thumbprint, `alg`, and `use: "sig"`
 * (RFC 7517 section 4).
 */

import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';

import { KEY_TYPES } from './signing-key-shape.js';
import type { SigningAlgorithm } from './signing-key-shape.js';

/**
 * Returns the public JWK of `privateJwk`. Members are copied from an
 * allowlist, so `d` and any other private or unknown member never leave.
 */
export async function toPublicJwk(
  privateJwk: JWK,
  algorithm: SigningAlgorithm,
): Promise<JWK> {
  const type = KEY_TYPES[algorithm];
  const source = privateJwk as Record<string, unknown>;
  const members: JWK = { kty: type.kty };
  if (type.crv !== undefined) members.crv = type.crv;
  for (const name of type.publicMembers) {
    (members as Record<string, unknown>)[name] = source[name];
  }

  const kid = await calculateJwkThumbprint(members, 'sha256');
  return Object.freeze({ ...members, kid, alg: algorithm, use: 'sig' });
}
