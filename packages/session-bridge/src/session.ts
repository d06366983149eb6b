/**
 * The request's session object. Its own enumerable properties are the
 * session data, as with express-session, so passport and openid-client's
 * strategy can read and write it; `regenerate`, `save` and `destroy` keep
 * express-session's callback contract and also return promises.
 */

import type { SessionRecord, SessionStore } from '@portcullis/stores';

import { createSessionId, publicIdFor, storeKeyFor } from './session-id.js';

type Callback = (err?: unknown) => void;

/** What the middleware needs from a session at the end of a request. */
export interface SessionState {
  id: string;
  createdAtMs: number;
  lastSeenAtMs: number;
  /** The id came from the store, not minted in this request. */
  persisted: boolean;
  /** The data as loaded or last saved, serialised; '{}' for a new one. */
  savedJson: string;
  destroyed: boolean;
}

/** Settings shared by every session of one middleware. */
export interface SessionContext {
  store: SessionStore;
  now: () => number;
  /** Seconds a record is kept after its last write. */
  ttlSecondsFor(state: SessionState): number;
  /** The user a session's data belongs to, for the store's index. */
  userIdOf(data: Readonly<Record<string, unknown>>): string | undefined;
  /** Turns data into what the store keeps (sealed when so configured). */
  seal(storeKey: string, json: string): Record<string, unknown>;
  /** Reads what the store keeps; undefined when it cannot be opened. */
  unseal(
    storeKey: string,
    stored: Record<string, unknown>,
  ): Record<string, unknown> | undefined;
  onRegenerate(): void;
  onDestroy(): void;
}

function settle(promise: Promise<void>, cb: Callback | undefined) {
  if (cb !== undefined) promise.then(() => cb(), cb);
  return promise;
}

/**
 * Reads a session's record and opens its data; undefined when the store
 * has none, or holds data that cannot be opened (altered, or sealed under
 * another key).
 */
export async function loadRecord(
  context: SessionContext,
  id: string,
): Promise<
  { record: SessionRecord; data: Record<string, unknown> } | undefined
> {
  const key = storeKeyFor(id);
  const record = await context.store.get(key);
  if (record === undefined) return undefined;

  const data = context.unseal(key, record.data);
  return data === undefined ? undefined : { record, data };
}

/** A server-side session; see the module comment for its contract. */
export class Session {
  [key: string]: unknown;
  readonly #context: SessionContext;
  readonly #state: SessionState;

  constructor(
    context: SessionContext,
    state: SessionState,
    data: Record<string, unknown>,
  ) {
    this.#context = context;
    this.#state = state;
    Object.assign(this, data);
  }

  /**
   * The session id: the cookie's value, a bearer secret. It changes on
   * `regenerate`. Never log it or put it in a token; use `publicId`.
   */
  get id(): string {
    return this.#state.id;
  }

  /**
   * A handle for this session that is safe to log, audit or carry in a
   * token's `sid` claim: the SHA-256 of the id. It changes with the id.
   */
  get publicId(): string {
    return publicIdFor(this.#state.id);
  }

  /** Internal bookkeeping for the middleware. */
  get state(): Readonly<SessionState> {
    return this.#state;
  }

  /** The data as a plain JSON string. */
  serialize(): string {
    return JSON.stringify({ ...this });
  }

  /**
   * Ends the current session in the store and starts an empty one under a
   * new id; the old id is dead at once. Call it at login and at every
   * privilege change (session fixation, OWASP ASVS V3.2).
   */
  regenerate(cb?: Callback): Promise<void> {
    return settle(this.#regenerate(), cb);
  }

  /** Writes the session to the store now instead of at the response's end. */
  save(cb?: Callback): Promise<void> {
    return settle(this.#save(this.serialize()), cb);
  }

  /**
   * Replaces the data with what the store holds now, to see a write made
   * by another request or instance. A session gone from the store comes
   * back empty.
   */
  reload(cb?: Callback): Promise<void> {
    return settle(this.#reload(), cb);
  }

  /** Removes the session from the store and clears the cookie. */
  destroy(cb?: Callback): Promise<void> {
    return settle(this.#destroy(), cb);
  }

  #clear(): void {
    for (const key of Object.keys(this)) delete this[key];
  }

  async #regenerate(): Promise<void> {
    if (this.#state.persisted) {
      await this.#context.store.destroy(storeKeyFor(this.#state.id));
    }

    this.#clear();
    const now = this.#context.now();
    Object.assign(this.#state, {
      id: createSessionId(),
      createdAtMs: now,
      lastSeenAtMs: now,
      persisted: false,
      savedJson: '{}',
      destroyed: false,
    });
    this.#context.onRegenerate();
  }

  /** Saves data the caller has just serialised (the middleware's commit). */
  saveSerialized(json: string): Promise<void> {
    return this.#save(json);
  }

  async #save(json: string): Promise<void> {
    if (this.#state.destroyed) return;

    const now = this.#context.now();
    const key = storeKeyFor(this.#state.id);
    const record: SessionRecord = {
      data: this.#context.seal(key, json),
      createdAtMs: this.#state.createdAtMs,
      lastSeenAtMs: now,
    };
    const userId = this.#context.userIdOf({ ...this });
    if (userId !== undefined) record.userId = userId;
    const ttlSeconds = this.#context.ttlSecondsFor(this.#state);
    await this.#context.store.set(key, record, ttlSeconds);
    Object.assign(this.#state, {
      lastSeenAtMs: now,
      persisted: true,
      savedJson: json,
    });
  }

  async #reload(): Promise<void> {
    if (this.#state.destroyed) return;

    const loaded = await loadRecord(this.#context, this.#state.id);
    this.#clear();
    if (loaded === undefined) {
      Object.assign(this.#state, { persisted: false, savedJson: '{}' });
      return;
    }

    Object.assign(this, loaded.data);
    Object.assign(this.#state, {
      persisted: true,
      savedJson: JSON.stringify(loaded.data),
      lastSeenAtMs: loaded.record.lastSeenAtMs,
    });
  }

  async #destroy(): Promise<void> {
    if (this.#state.persisted) {
      await this.#context.store.destroy(storeKeyFor(this.#state.id));
    }

    this.#clear();
    Object.assign(this.#state, { persisted: false, destroyed: true });
    this.#context.onDestroy();
  }
}
