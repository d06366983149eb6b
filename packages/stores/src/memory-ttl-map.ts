/**
 * A Map whose entries expire. The memory adapters build on it; expired
 * entries are dropped when read and swept as writes happen, so memory stays
 * bounded by the live entries without a timer.
 */

const SWEEP_EVERY_WRITES = 256;

/** Options of {@link MemoryTtlMap}. */
export interface MemoryTtlMapOptions {
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  now?: () => number;
}

/** A key-value map with a deadline on every entry. */
export class MemoryTtlMap<V> {
  readonly #entries = new Map<string, { value: V; expiresAtMs: number }>();
  readonly #now: () => number;
  #writes = 0;

  constructor(options: MemoryTtlMapOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** The number of entries, live or not yet swept. */
  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;

    if (entry.expiresAtMs <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, expiresAtMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAtMs });
    this.#writes += 1;
    if (this.#writes % SWEEP_EVERY_WRITES === 0) this.sweep();
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops every expired entry. */
  sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAtMs <= now) this.#entries.delete(key);
    }
  }
}
