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

// A token's string and its parse result are each about the token's size,
// kept in UTF-16.
function costOf(token: string): number {
  return token.length * 2 * 3;
}

/** A cached entry as {@link TokenCache.find} returns it. */
export interface TokenCacheSlot {
  readonly entry: CachedToken;
}

interface Slot extends TokenCacheSlot {
  readonly token: string;
  readonly cost: number;
  /** Used since the clock hand last passed it. */
  recent: boolean;
}

/**
 * A bounded cache of verified tokens, evicting in least-recently-used
 * order approximated by the CLOCK rule. Entries sit in a ring of at most
 * `maxEntries` slots; a hit only marks its slot. To make room, a hand
 * sweeps the ring: a marked slot loses its mark and is passed, the first
 * unmarked one is evicted. A hit costs one lookup and a flag write, an
 * eviction a few steps of the hand, whatever the size. A new entry starts
 * unmarked, so a flood of tokens seen once evicts each other before it
 * evicts tokens in use.
 */
// Slots are indexed by the token's last characters (the end of its
// signature) rather than the whole token, so a lookup hashes a few dozen
// characters instead of the whole token; the slot then holds the whole
// token, compared in full before an entry is returned.
const INDEX_CHARS = 32;

function indexKey(token: string): string {
  return token.length <= INDEX_CHARS ? token : token.slice(-INDEX_CHARS);
}

export class TokenCache {
  readonly #index = new Map<string, number>();
  readonly #ring: (Slot | undefined)[] = [];
  readonly #free: number[] = [];
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #hand = 0;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  /** The entry of `token`, counted as a hit or a miss. */
  get(token: string): CachedToken | undefined {
    const slot = this.find(token);
    if (slot === undefined) this.#misses += 1;
    else this.hit(slot);
    return slot?.entry;
  }

  /** The entry of `token`, neither counted nor marked. */
  peek(token: string): CachedToken | undefined {
    return this.find(token)?.entry;
  }

  /** The slot of `token`, for {@link hit}; neither counted nor marked. */
  find(token: string): TokenCacheSlot | undefined {
    const at = this.#index.get(indexKey(token));
    const slot = at === undefined ? undefined : this.#ring[at];
    return slot?.token === token ? slot : undefined;
  }

  /** Counts a hit on a slot from {@link find} and marks it recent. */
  hit(slot: TokenCacheSlot): void {
    this.#hits += 1;
    (slot as Slot).recent = true;
  }

  set(token: string, entry: CachedToken): void {
    const cost = costOf(token);
    if (cost > this.#maxBytes) return;

    // One slot per index key: a different token ending alike replaces it.
    const previous = this.#index.get(indexKey(token));
    if (previous !== undefined) this.#remove(previous);
    while (
      this.#index.size > 0 &&
      (this.#index.size >= this.#maxEntries ||
        this.#bytes + cost > this.#maxBytes)
    ) {
      this.#evictOne();
    }

    const at = this.#free.pop() ?? this.#ring.length;
    this.#ring[at] = { token, entry, cost, recent: false };
    this.#index.set(indexKey(token), at);
    this.#bytes += cost;
  }

  delete(token: string): void {
    const at = this.#index.get(indexKey(token));
    if (at !== undefined && this.#ring[at]?.token === token) this.#remove(at);
  }

  #remove(at: number): void {
    const slot = this.#ring[at];
    if (slot === undefined) return;
    this.#ring[at] = undefined;
    this.#free.push(at);
    this.#index.delete(indexKey(slot.token));
    this.#bytes -= slot.cost;
  }

  // Two turns of the hand always find an unmarked slot: the first clears
  // every mark it passes.
  #evictOne(): void {
    const size = this.#ring.length;
    for (let step = 0; step < 2 * size; step += 1) {
      const at = this.#hand;
      this.#hand = (at + 1) % size;
      const slot = this.#ring[at];
      if (slot === undefined) continue;
      if (slot.recent) {
        slot.recent = false;
        continue;
      }

      this.#remove(at);
      return;
    }
  }

  stats(): TokenCacheStats {
    return {
      entries: this.#index.size,
      bytes: this.#bytes,
      hits: this.#hits,
      misses: this.#misses,
    };
  }
}
