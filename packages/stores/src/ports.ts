/**
 * The storage ports. Each is narrow and names the atomic operations its
 * callers rely on; adapters (memory now, Redis and PostgreSQL later) must
 * pass the same contract tests. Any method may reject when the backing store
 * cannot answer: callers fail closed on a rejection.
 */

/** One server-side session as the store keeps it. */
export interface SessionRecord {
  /** The application's session data; JSON-serialisable. */
  data: Record<string, unknown>;
  /** When the session was created, in epoch milliseconds. */
  createdAtMs: number;
  /** When the session was last used, in epoch milliseconds. */
  lastSeenAtMs: number;
}

/** Keeps sessions by key. Keys are opaque to the store. */
export interface SessionStore {
  /** Returns the record, or undefined when absent or expired. */
  get(key: string): Promise<SessionRecord | undefined>;
  /** Writes the record; it expires after `ttlSeconds`. */
  set(key: string, record: SessionRecord, ttlSeconds: number): Promise<void>;
  /** Removes the record; removing an absent key is not an error. */
  destroy(key: string): Promise<void>;
}

/** Remembers revoked token ids (`jti`) or session ids (`sid`). */
export interface DenyList {
  /**
   * Adds an entry that lives until `expiresAtSeconds` (epoch seconds),
   * normally the `exp` of the last token it can affect.
   */
  add(key: string, expiresAtSeconds: number): Promise<void>;
  /** True when the entry is present and not expired. */
  has(key: string): Promise<boolean>;
}
