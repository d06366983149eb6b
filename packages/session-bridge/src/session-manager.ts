/**
 * Managing a user's sessions from the server: list them, end one, or end
 * all of them ("sign out everywhere"). Works on stores that keep the
 * per-user index (`listByUser`, `destroyByUser`), which the session
 * middleware fills through its `userIdOf` option.
 */

import { configError } from '@portcullis/core';
import type { DenyList, SessionStore } from '@portcullis/stores';

import { idpSessionKey } from './idp-session.js';

import { publicIdOfStoreKey, storeKeyForPublicId } from './session-id.js';

const PACKAGE = '@portcullis/session-bridge';
const DEFAULT_RETAIN_SECONDS = 12 * 60 * 60;

/** A session as listed for its user; never its cookie value. */
export interface SessionSummary {
  /** The session's public handle, as `req.session.publicId`. */
  publicId: string;
  createdAtMs: number;
  lastSeenAtMs: number;
}

/** Server-side operations on users' sessions. */
export interface SessionManager {
  /** The user's live sessions, oldest first. */
  listForUser(userId: string): Promise<SessionSummary[]>;
  /** Ends one session by its public handle; an unknown one is a no-op. */
  end(publicId: string): Promise<void>;
  /** Ends every session of the user; returns how many ended. */
  endAllForUser(userId: string): Promise<number>;
  /**
   * Ends every session that came from this IdP session (back-channel
   * logout), on every instance, at its next request. Needs `denyList` here
   * and the middleware's `idpSession` option on the same deny-list.
   */
  endByIdpSession(issuer: string, sid: string): Promise<void>;
}

/** Options of {@link createSessionManager}. */
export interface SessionManagerOptions {
  /** The sessions' store; it must keep the per-user index. Required. */
  store: SessionStore;
  /** Where IdP logouts are recorded, for `endByIdpSession`. Default: none. */
  denyList?: DenyList;
  /**
   * How long an IdP logout is remembered, in seconds: at least the
   * sessions' absolute timeout. Default: 43200.
   */
  retainSeconds?: number;
}

/**
 * Creates the manager for a session store.
 *
 * @throws TypeError when the store keeps no per-user index.
 * @example
 * const sessions = createSessionManager({ store });
 * await sessions.endAllForUser(user.id); // sign out everywhere
 */
export function createSessionManager(
  options: SessionManagerOptions,
): SessionManager {
  const { store, denyList } = options;
  const retainSeconds = options.retainSeconds ?? DEFAULT_RETAIN_SECONDS;
  if (
    typeof store?.listByUser !== 'function' ||
    typeof store.destroyByUser !== 'function'
  ) {
    throw configError(PACKAGE, 'store', 'must keep a per-user index');
  }
  const listByUser = store.listByUser.bind(store);
  const destroyByUser = store.destroyByUser.bind(store);

  return {
    async listForUser(userId) {
      const keys = await listByUser(userId);
      const records = await Promise.all(keys.map((key) => store.get(key)));
      const summaries: SessionSummary[] = [];
      keys.forEach((key, index) => {
        const record = records[index];
        const publicId = publicIdOfStoreKey(key);
        if (record === undefined || publicId === undefined) return;
        summaries.push({
          publicId,
          createdAtMs: record.createdAtMs,
          lastSeenAtMs: record.lastSeenAtMs,
        });
      });
      return summaries.sort((a, b) => a.createdAtMs - b.createdAtMs);
    },

    async end(publicId) {
      await store.destroy(storeKeyForPublicId(publicId));
    },

    endAllForUser(userId) {
      return destroyByUser(userId);
    },

    async endByIdpSession(issuer, sid) {
      if (denyList === undefined) {
        throw configError(
          PACKAGE,
          'denyList',
          'is required by endByIdpSession',
        );
      }
      const until = Math.floor(Date.now() / 1000) + retainSeconds;
      await denyList.add(idpSessionKey(issuer, sid), until);
    },
  };
}
