/**
 * The guard's view of the deny-list store. Without `cacheSeconds` every
 * check asks the store. With it, and a store that propagates additions
 * (`DenyList.subscribe`: Redis pub/sub, PostgreSQL LISTEN/NOTIFY, or the
 * memory store's own listeners), a "not listed" answer is reused for that
 * many seconds: an addition made by any instance removes it as soon as its
 * message arrives; when the subscription reports its connection lost,
 * every answer is dropped and none is reused until it listens again; and
 * the time bound caps how long a message lost unnoticed (a connection that
 * dies silently) could matter. A reused answer is what lets a cached token
 * be admitted without waiting.
 */

import type { DenyList } from '@portcullis/stores';

import type { Logger } from '@portcullis/core';

/** Most "not listed" answers kept; past it they are all dropped. */
const MAX_CLEAR_KEYS = 50_000;

/** A view over one deny-list store. */
export interface DenyListView {
  /** True when `key` was found not listed recently enough to reuse. */
  knownClear(key: string, nowMs: number): boolean;
  /** Asks the store; remembers a "not listed" answer when allowed. */
  has(key: string, nowMs: number): Promise<boolean>;
  /** Stops listening for additions. */
  close(): void;
}

/**
 * Creates the view. With `cacheMs` 0, or a store without `subscribe`,
 * nothing is remembered; answers are also remembered only while the
 * subscription is live.
 */
export function createDenyListView(
  store: DenyList,
  cacheMs: number,
  logger: Logger,
): DenyListView {
  const clear = new Map<string, number>();
  let listening = false;
  let closed = false;
  // Bumped by every message, so an answer that was in flight while an
  // addition arrived is not remembered.
  let generation = 0;
  let stop: (() => Promise<void>) | undefined;

  let live = true;
  if (cacheMs > 0 && store.subscribe !== undefined) {
    store
      .subscribe(
        (key) => {
          generation += 1;
          if (key === undefined) clear.clear();
          else clear.delete(key);
        },
        (isLive) => {
          generation += 1;
          live = isLive;
          clear.clear();
        },
      )
      .then(
        (unsubscribe) => {
          if (closed) {
            unsubscribe().catch(() => undefined);
            return;
          }

          stop = unsubscribe;
          listening = true;
        },
        () => {
          logger.warn('deny-list subscription failed; asking the store');
        },
      );
  }

  return {
    knownClear(key, nowMs) {
      if (!listening || !live) return false;
      const until = clear.get(key);
      return until !== undefined && nowMs < until;
    },
    async has(key, nowMs) {
      const startedAt = generation;
      const listed = await store.has(key);
      if (listed === false && listening && live && generation === startedAt) {
        if (clear.size >= MAX_CLEAR_KEYS) clear.clear();
        clear.set(key, nowMs + cacheMs);
      }

      return listed;
    },
    close() {
      closed = true;
      listening = false;
      clear.clear();
      stop?.().catch(() => undefined);
      stop = undefined;
    },
  };
}
