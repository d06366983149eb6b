/**
 * The verified-token cache: a token whose signature and claims verified is
 * remembered with the key that verified it, so a later request with the
 * same token skips parsing and the signature check. The verifier still
 * re-checks on every hit what can change: that the same key is still the
 * issuer's key for its `kid`, every claim against the clock (so no entry
 * outlives `exp`), the binding proofs, revocation and the deny-list.
 * Bounded by entries and by bytes, least recently used first out.
 */

import type { KeyObject } from 'node:crypto';

/** Default bounds of the cache. */
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;
export const DEFAULT_CACHE_MAX_BYTES = 16 * 1024 * 1024;

/** What a hit gives back: the parse result and the key that verified it. */
export interface CachedToken {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly issuer: string;
  readonly alg: string;
  readonly kid: string | undefined;
  readonly key: KeyObject;
}

/** Counters for metrics and tests. */
export interface TokenCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
}

/** The `tokenCache` option. */
export interface TokenCacheOptions {
  /** Most tokens kept. Default: 10000. */
  maxEntries?: number;
  /** Most bytes kept, estimated as three times the token's length in UTF-16. Default: 16 MiB. */
  maxBytes?: number;
}

// A token's string is held as the map key and its parse result as the
// value; both are about the token's size, kept in UTF-16.
function costOf(token: string): number {
  return token.length * 2 * 3;
}

/** A bounded LRU of verified tokens. */
export class TokenCache {
  readonly #entries = new Map<string, CachedToken>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  get(token: string): CachedToken | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) {
      this.#misses += 1;
      return undefined;
    }

    this.#hits += 1;
    this.#entries.delete(token);
    this.#entries.set(token, entry);
    return entry;
  }

  set(token: string, entry: CachedToken): void {
    const cost = costOf(token);
    if (cost > this.#maxBytes) return;

    this.delete(token);
    this.#entries.set(token, entry);
    this.#bytes += cost;
    for (const oldest of this.#entries.keys()) {
      if (
        this.#entries.size <= this.#maxEntries &&
        this.#bytes <= this.#maxBytes
      ) {
        break;
      }
      this.delete(oldest);
    }
  }

  delete(token: string): void {
    if (this.#entries.delete(token)) this.#bytes -= costOf(token);
  }

  stats(): TokenCacheStats {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      hits: this.#hits,
      misses: this.#misses,
    };
  }
}
