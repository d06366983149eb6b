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
  /**
   * The user the session belongs to (for example `iss|sub`). Stores with a
   * per-user index list and destroy sessions by it. Default: none.
   */
  userId?: string;
}

/** Keeps sessions by key. Keys are opaque to the store. */
export interface SessionStore {
  /** Returns the record, or undefined when absent or expired. */
  get(key: string): Promise<SessionRecord | undefined>;
  /** Writes the record; it expires after `ttlSeconds`. */
  set(key: string, record: SessionRecord, ttlSeconds: number): Promise<void>;
  /** Removes the record; removing an absent key is not an error. */
  destroy(key: string): Promise<void>;
  /**
   * Keys of the live sessions whose record has this `userId`, sorted.
   * Optional: the memory, Redis and PostgreSQL adapters have it.
   */
  listByUser?(userId: string): Promise<string[]>;
  /**
   * Destroys every session of the user ("sign out everywhere") and returns
   * how many live sessions it destroyed. Optional, as `listByUser`.
   */
  destroyByUser?(userId: string): Promise<number>;
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
  /**
   * Propagation to local caches: calls `listener` with each key that any
   * instance sharing the store adds, or with `undefined` when changes may
   * have been missed (after a reconnection), meaning "clear the cache".
   * Resolves once listening, with a function that stops listening.
   * `onStatus`, when given, hears `false` as soon as the subscription's
   * connection is lost (messages may be missed from then on) and `true`
   * once it listens again, so a cache can stop trusting its answers in
   * between. Optional: a DenyList without propagation leaves it out.
   */
  subscribe?(
    listener: DenyListListener,
    onStatus?: DenyListStatusListener,
  ): Promise<() => Promise<void>>;
}

/**
 * Receives deny-list changes: an added key, or `undefined` when changes may
 * have been missed. It must not throw.
 */
export type DenyListListener = (key: string | undefined) => void;

/**
 * Hears whether a deny-list subscription is live: `false` when its
 * connection is lost, `true` when it listens again. It must not throw.
 */
export type DenyListStatusListener = (live: boolean) => void;

/** Remembers one-time values (DPoP `jti`, nonces) for a while. */
export interface ReplayCache {
  /**
   * Records `key` for `ttlSeconds` unless it is already recorded and live.
   * Atomic set-if-absent: among concurrent callers with the same key,
   * exactly one receives true.
   */
  markIfAbsent(key: string, ttlSeconds: number): Promise<boolean>;
}

/** Counts attempts (failed logins, client authentications) per key. */
export interface AttemptCounter {
  /**
   * Adds one and returns the count in the current fixed window, which
   * starts at the first increment and lasts `windowSeconds`. Atomic: N
   * concurrent increments return 1..N (within one window).
   */
  increment(key: string, windowSeconds: number): Promise<number>;
  /** Forgets the key's count; resetting an absent key is not an error. */
  reset(key: string): Promise<void>;
}

/** A refresh-token family as it is created (RFC 9700 section 4.14.2). */
export interface NewRefreshFamily {
  /** Unique id of the family, chosen by the caller. */
  familyId: string;
  /** The client the family is bound to. */
  clientId: string;
  /** The subject the tokens act for. */
  subject: string;
  /** The session the family is bound to, if any. */
  sessionId?: string;
  /** The DPoP key thumbprint (RFC 9449 `jkt`) it is bound to, if any. */
  dpopJkt?: string;
  /** The granted scope, space-separated. */
  scope: string;
  /** Hash of the first refresh token; the token itself is never stored. */
  tokenHash: string;
  /** Idle lifetime in seconds: each rotation restarts it. */
  idleTtlSeconds: number;
  /** Absolute lifetime in seconds from creation: rotation never extends it. */
  absoluteTtlSeconds: number;
  /** Caller data (JSON), for example the `jti`s of live access tokens. */
  data?: Record<string, unknown>;
}

/** A refresh-token family as the store keeps it. Times in epoch ms. */
export interface RefreshFamily {
  familyId: string;
  clientId: string;
  subject: string;
  sessionId?: string;
  dpopJkt?: string;
  scope: string;
  data: Record<string, unknown>;
  /** Hash of the only token of the family that may be used. */
  currentTokenHash: string;
  /** Hash of the token rotated last; retried until `graceUntilMs`. */
  previousTokenHash?: string;
  graceUntilMs?: number;
  /** Number of rotations so far. */
  generation: number;
  createdAtMs: number;
  rotatedAtMs: number;
  /** Idle lifetime in seconds, restarted by each rotation. */
  idleTtlSeconds: number;
  idleExpiresAtMs: number;
  absoluteExpiresAtMs: number;
  /** Set once the family is revoked; a revoked family never comes back. */
  revokedAtMs?: number;
}

/** Input of {@link RefreshTokenStore.rotate}. */
export interface RotateRefreshToken {
  /** Hash of the token the client presented. */
  presentedHash: string;
  /** Hash of the successor token. */
  successorHash: string;
  /** The authenticated client; a different client changes nothing. */
  clientId: string;
  /** How long a retry with the rotated token still counts as benign. */
  graceSeconds: number;
  /** Replaces the family's `data` when the rotation happens. */
  data?: Record<string, unknown>;
}

/**
 * Outcome of a rotation. `rotated`: the presented token was current and the
 * successor is now current. `retry`: the presented token was rotated less
 * than `graceSeconds` ago to this same successor, which is still current;
 * nothing changed. `reused`: an older token was presented (theft); the
 * family is now revoked. `revoked`, `expired`, `not_found` and
 * `client_mismatch` change nothing.
 */
export type RotateResult =
  | { status: 'rotated' | 'retry' | 'reused'; family: RefreshFamily }
  | { status: 'revoked' | 'expired'; family: RefreshFamily }
  | { status: 'not_found' | 'client_mismatch' };

/**
 * Keeps refresh-token families. Tokens are known only by their hashes.
 * Rotation is a compare-and-set on the family's current token, so among
 * concurrent rotations of one token exactly one succeeds.
 */
export interface RefreshTokenStore {
  /** Creates a family; rejects when the id or the token hash exists. */
  create(family: NewRefreshFamily): Promise<RefreshFamily>;
  /** Rotates atomically; see {@link RotateResult}. */
  rotate(input: RotateRefreshToken): Promise<RotateResult>;
  /** Revokes the family; true when it was live before this call. */
  revokeFamily(familyId: string): Promise<boolean>;
  /**
   * Revokes every live family bound to the session (logout) and returns
   * those this call revoked, sorted by `familyId`, so the caller can
   * deny-list their access tokens.
   */
  revokeBySession(sessionId: string): Promise<RefreshFamily[]>;
  /**
   * The family that issued the token with this hash (current or not), or
   * undefined when unknown or past its absolute lifetime.
   */
  findByTokenHash(tokenHash: string): Promise<RefreshFamily | undefined>;
  /** The family with this id, or undefined as above. */
  getFamily(familyId: string): Promise<RefreshFamily | undefined>;
}

/** Lifecycle state of a signing key. */
export type SigningKeyState = 'pending' | 'active' | 'retired';

/** One signing key as the key store keeps it. */
export interface SigningKeyRecord {
  /** The key id (`kid`). */
  kid: string;
  state: SigningKeyState;
  /** Key material and metadata (JSON), opaque to the store. */
  data: Record<string, unknown>;
  /** Epoch milliseconds. */
  createdAtMs: number;
  /** When `state` last changed, in epoch milliseconds. */
  stateChangedAtMs: number;
}

/** Keeps the signing keys shared by every instance of the issuer. */
export interface KeyStore {
  /** Every key, oldest first (by `createdAtMs`, then `kid`). */
  list(): Promise<SigningKeyRecord[]>;
  /** Inserts the key; false (and no change) when the kid exists. */
  put(record: SigningKeyRecord): Promise<boolean>;
  /**
   * Compare-and-set of the state: moves `kid` from `from` to `to` and
   * returns true, or returns false when its state is not `from`.
   */
  updateState(
    kid: string,
    from: SigningKeyState,
    to: SigningKeyState,
    atMs: number,
  ): Promise<boolean>;
  /** Removes the key; removing an absent kid is not an error. */
  remove(kid: string): Promise<void>;
}
