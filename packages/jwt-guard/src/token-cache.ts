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

import type { KeySet } from './key-set.js';
import type { AuthContext } from './request-auth.js';

/** Default bounds of the cache. */
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;
export const DEFAULT_CACHE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * What a hit gives back: the frozen context handed to the application
 * (the same object on every hit; its header and claims are deeply frozen),
 * the key that verified the token and the key set it was found in.
 */
export interface CachedToken {
  readonly auth: AuthContext;
  readonly alg: string;
  readonly kid: string | undefined;
  readonly key: KeyObject;
  /** The set the key was last confirmed in; a newer set is looked up. */
  keySet: KeySet | undefined;
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

interface Slot {
  readonly entry: CachedToken;
  /** Used since eviction last passed it. */
  recent: boolean;
}

/**
 * A bounded cache of verified tokens, evicting in least-recently-used
 * order approximated by the CLOCK rule: a hit only marks its slot, and
 * eviction gives a marked slot a second pass (clears the mark and moves it
 * to the young end) before evicting the oldest unmarked one. A hit then
 * costs one lookup and a flag write instead of a reinsertion.
 */
export class TokenCache {
  readonly #entries = new Map<string, Slot>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  /** The entry of `token`, counted as a hit or a miss. */
  get(token: string): CachedToken | undefined {
    const entry = this.peek(token);
    if (entry === undefined) this.#misses += 1;
    else this.hit(token, entry);
    return entry;
  }

  /** The entry of `token`, neither counted nor marked. */
  peek(token: string): CachedToken | undefined {
    return this.#entries.get(token)?.entry;
  }

  /** Counts a hit on an entry from {@link peek} and marks it recent. */
  hit(token: string, _entry: CachedToken): void {
    const slot = this.#entries.get(token);
    if (slot === undefined) return;
    this.#hits += 1;
    slot.recent = true;
  }

  set(token: string, entry: CachedToken): void {
    const cost = costOf(token);
    if (cost > this.#maxBytes) return;

    this.delete(token);
    this.#entries.set(token, { entry, recent: false });
    this.#bytes += cost;
    this.#evict();
  }

  // A new entry starts unmarked, so a flood of tokens seen once evicts
  // each other before it evicts tokens in use. Each marked slot is moved
  // at most once per call, so this ends.
  #evict(): void {
    let passes = this.#entries.size;
    for (const [oldest, slot] of this.#entries) {
      if (
        this.#entries.size <= this.#maxEntries &&
        this.#bytes <= this.#maxBytes
      ) {
        return;
      }

      if (slot.recent && passes > 0) {
        passes -= 1;
        slot.recent = false;
        this.#entries.delete(oldest);
        this.#entries.set(oldest, slot);
        continue;
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
