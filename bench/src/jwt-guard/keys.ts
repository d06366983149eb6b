/**
 * Benchmark fixtures: one signing key per algorithm (RS256 on RSA-2048,
 * ES256 on P-256, EdDSA on Ed25519), their public JWKS, and one access
 * token per algorithm signed with jose.
 */

import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { SignJWT } from 'jose';
import type { JWK } from 'jose';

/** The algorithms benchmarked. */
export const ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;

/** One of {@link ALGORITHMS}. */
export type Algorithm = (typeof ALGORITHMS)[number];

/** The audience every benchmark token carries. */
export const AUDIENCE = 'https://api.bench.example';

/** A signing key and its public half. */
export interface BenchKey {
  readonly alg: Algorithm;
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: JWK;
}

function generate(alg: Algorithm) {
  if (alg === 'RS256') {
    return generateKeyPairSync('rsa', { modulusLength: 2048 });
  }

  if (alg === 'ES256') {
    return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  }

  return generateKeyPairSync('ed25519');
}

/** Creates a fresh key for each algorithm. */
export function createKeys(): Record<Algorithm, BenchKey> {
  const keys = {} as Record<Algorithm, BenchKey>;
  for (const alg of ALGORITHMS) {
    const { privateKey, publicKey } = generate(alg);
    const kid = `bench-${alg.toLowerCase()}`;
    const jwk = {
      ...publicKey.export({ format: 'jwk' }),
      kid,
      alg,
      use: 'sig',
    };
    keys[alg] = { alg, kid, privateKey, publicKey, jwk: jwk as JWK };
  }

  return keys;
}

/** Signs an access token for `issuer` valid for two hours. */
export function signToken(key: BenchKey, issuer: string): Promise<string> {
  return new SignJWT({ scope: 'read:items write:items', client_id: 'bench' })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setSubject('user-42')
    .setIssuedAt()
    .setExpirationTime('2h')
    .setJti('bench-token')
    .sign(key.privateKey);
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Signs `count` distinct tokens (differing in `jti`) like
 * {@link signToken}, with node:crypto directly so that a pool of thousands
 * of RSA tokens takes seconds, not minutes.
 */
export function signTokenPool(
  key: BenchKey,
  issuer: string,
  count: number,
): string[] {
  const header = encodeJson({ alg: key.alg, kid: key.kid, typ: 'at+jwt' });
  const iat = Math.floor(Date.now() / 1000);
  const hash = key.alg === 'EdDSA' ? null : 'sha256';
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const payload = encodeJson({
      scope: 'read:items write:items',
      client_id: 'bench',
      iss: issuer,
      aud: AUDIENCE,
      sub: 'user-42',
      iat,
      exp: iat + 7200,
      jti: `bench-token-${i}`,
    });
    const input = `${header}.${payload}`;
    const signature = sign(hash, Buffer.from(input), {
      key: key.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    tokens.push(`${input}.${signature.toString('base64url')}`);
  }

  return tokens;
}
