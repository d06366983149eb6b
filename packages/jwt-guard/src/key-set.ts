/**
 * An imported JSON Web Key Set (RFC 7517 section 5): the verification keys
 * of one issuer, indexed by `kid`, and the choice of the key for a token.
 * Only public signature keys are kept; a set never yields an HMAC secret.
 */

import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { keyFitsAlgorithm } from './algorithms.js';
import { TokenRejectedError } from './errors.js';

/** One usable key of a set. */
export interface KeyEntry {
  readonly kid: string | undefined;
  /** The key's own `alg`, which then binds it to that algorithm. */
  readonly alg: string | undefined;
  readonly key: KeyObject;
}

/** The usable keys of a set. */
export interface KeySet {
  readonly entries: readonly KeyEntry[];
}

/** The outcome of looking up a token's key in a set. */
export type KeyLookup =
  | { readonly found: KeyObject }
  | { readonly missing: 'kid' | 'type' | 'ambiguous' };

const ASYMMETRIC_KTY = new Set(['RSA', 'EC', 'OKP']);

function isUsableJwk(jwk: Record<string, unknown>): boolean {
  if (!ASYMMETRIC_KTY.has(jwk.kty as string)) return false;
  // A private member means the publisher leaked a private key; skip it.
  if ('d' in jwk || 'p' in jwk) return false;
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  const ops = jwk.key_ops;
  if (ops !== undefined && !(Array.isArray(ops) && ops.includes('verify'))) {
    return false;
  }

  return jwk.kid === undefined || typeof jwk.kid === 'string';
}

function importEntry(jwk: Record<string, unknown>): KeyEntry | undefined {
  if (!isUsableJwk(jwk)) return undefined;
  try {
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    const alg = typeof jwk.alg === 'string' ? jwk.alg : undefined;
    return { kid: jwk.kid as string | undefined, alg, key };
  } catch {
    return undefined;
  }
}

/**
 * Imports a JWKS document. Keys that are not public signature keys, or
 * that node:crypto cannot import, are skipped.
 *
 * @throws TypeError when `document` is not an object with a `keys` array.
 */
export function importKeySet(document: unknown): KeySet {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new TypeError('not a JWK Set');

  const entries: KeyEntry[] = [];
  for (const jwk of keys) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    const entry = importEntry(jwk as Record<string, unknown>);
    if (entry !== undefined) entries.push(entry);
  }

  return Object.freeze({ entries: Object.freeze(entries) });
}

/**
 * Finds the key for a token's `kid` and `alg`: the key must carry that kid
 * (any key when the token has none), allow `alg` and be of its type.
 */
export function lookupKey(
  set: KeySet,
  kid: string | undefined,
  alg: string,
): KeyLookup {
  // A set never changes, so each (kid, alg) is looked up once per set.
  let memo = LOOKUPS.get(set);
  if (memo === undefined) {
    memo = new Map();
    LOOKUPS.set(set, memo);
  }

  const memoKey = `${alg} ${kid ?? ''}`;
  const known = memo.get(memoKey);
  if (known !== undefined) return known;
  const found = findKey(set, kid, alg);
  // Bounded: unknown kids chosen by clients are not remembered.
  if ('found' in found || memo.size < MAX_MEMO_PER_SET) {
    memo.set(memoKey, found);
  }

  return found;
}

const LOOKUPS = new WeakMap<KeySet, Map<string, KeyLookup>>();
const MAX_MEMO_PER_SET = 64;

function findKey(set: KeySet, kid: string | undefined, alg: string): KeyLookup {
  const named =
    kid === undefined
      ? set.entries
      : set.entries.filter((entry) => entry.kid === kid);
  if (named.length === 0) return { missing: 'kid' };

  const fitting = named.filter(
    (entry) =>
      (entry.alg === undefined || entry.alg === alg) &&
      keyFitsAlgorithm(entry.key, alg),
  );
  if (fitting.length === 0) return { missing: 'type' };
  if (fitting.length > 1) return { missing: 'ambiguous' };
  return { found: (fitting[0] as KeyEntry).key };
}

/** Turns a failed lookup into the token's rejection. */
export function lookupFailure(
  missing: 'kid' | 'type' | 'ambiguous',
): TokenRejectedError {
  if (missing === 'kid') return new TokenRejectedError('JWT_GUARD_KID_UNKNOWN');
  if (missing === 'type') {
    return new TokenRejectedError('JWT_GUARD_KEY_ALG_MISMATCH');
  }

  return new TokenRejectedError('JWT_GUARD_KID_AMBIGUOUS');
}
