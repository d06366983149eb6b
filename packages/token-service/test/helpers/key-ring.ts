/** Short key-ring timings and polling helpers for the key lifecycle tests. */

import { randomBytes } from 'node:crypto';

import { decodeProtectedHeader } from 'jose';

import type { KeyStore } from '@portcullis/stores';

import { createTokenService } from '../../src/index.js';
import type { TokenService, TokenServiceOptions } from '../../src/index.js';
import { AUDIENCE, ISSUER } from './keys.js';

/** One KEK shared by the instances of a test. */
export const KEK = Object.freeze({ id: 'kek-1', key: randomBytes(32) });

/**
 * Timings of a fast ring: a key is pending 2 s, active 3 s before the
 * schedule rotates it, retired 2 s; instances re-read the store every
 * second and the JWKS max-age is 1 s.
 */
export const FAST_RING = Object.freeze({
  accessTokenTtlSeconds: 1,
  jwksMaxAgeSeconds: 1,
  keyRotation: {
    refreshSeconds: 1,
    pendingSeconds: 2,
    intervalSeconds: 3,
    retiredSeconds: 2,
  },
});

/** Options of an instance over `store` with the fast ring. */
export function ringOptions(
  store: KeyStore,
  overrides: Partial<TokenServiceOptions> = {},
): TokenServiceOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    keyStore: store,
    keyEncryptionKeys: [KEK],
    ...FAST_RING,
    keyRotation: { ...FAST_RING.keyRotation, intervalSeconds: 3600 },
    ...overrides,
  };
}

/** Starts an instance; the caller closes it. */
export function startInstance(
  store: KeyStore,
  overrides: Partial<TokenServiceOptions> = {},
): Promise<TokenService> {
  return createTokenService(ringOptions(store, overrides));
}

/** The `kid` header of a compact JWS. */
export function kidOf(token: string): string {
  return decodeProtectedHeader(token).kid as string;
}

/** Mints a token for the fixed test subject. */
export async function mint(service: TokenService, ttlSeconds?: number) {
  const issued = await service.mintAccessToken({
    subject: 'user-1',
    audience: AUDIENCE,
    clientId: 'web',
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  });
  return issued.accessToken;
}

/** Polls `check` every 100 ms until it resolves truthy, or fails. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The states of the store's keys, by kid. */
export async function states(store: KeyStore): Promise<Record<string, string>> {
  const records = await store.list();
  return Object.fromEntries(records.map((r) => [r.kid, r.state]));
}
