/**
 * Backend-for-frontend token handling: the server keeps each session's
 * access and refresh tokens in the session, sealed with AES-256-GCM, and
 * hands API calls a valid access token, refreshing it shortly before it
 * expires. The browser only ever holds the session cookie.
 */

import {
  InvalidGrantError,
  InvalidTokenError,
  TemporarilyUnavailableError,
  configError,
  isAuthError,
  optionalLogger,
  positiveInteger,
  rejectUnknownKeys,
} from '@portcullis/core';
import type { Logger } from '@portcullis/core';
import type { ReplayCache } from '@portcullis/stores';
import type { Request } from 'express';

import { isSealingKey, open, seal } from './seal.js';

const PACKAGE = '@portcullis/session-bridge';
const SESSION_KEY = 'portcullis.tokens';
const DEFAULT_REFRESH_MARGIN_SECONDS = 60;
const DEFAULT_LOCK_SECONDS = 10;
const DEFAULT_LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 50;

/** The tokens kept for one audience. */
export interface TokenSet {
  accessToken: string;
  /** Expiry of the access token, epoch seconds. */
  expiresAt: number;
  /** Refresh token, if the issuer gave one. */
  refreshToken?: string;
}

/** What `refresh` receives. */
export interface RefreshRequest {
  audience: string;
  /** The stored refresh token, if any. */
  refreshToken: string | undefined;
  /** The request whose session is being served (read-only use). */
  req: Request;
}

/** Options of {@link createTokenBridge}. */
export interface TokenBridgeOptions {
  /** 32-byte key sealing tokens at rest. Required. */
  encryptionKey: Buffer;
  /**
   * Obtains a fresh token set, normally a refresh-token grant at the
   * issuer. Throw an `InvalidGrantError` when the grant is refused: the
   * session is then ended as possibly stolen. Required.
   */
  refresh: (request: RefreshRequest) => Promise<TokenSet>;
  /** Seconds before expiry when a token is renewed. Default: 60. */
  refreshMarginSeconds?: number;
  /**
   * Shares one refresh among several instances: the first to mark the
   * session's lock in this shared store refreshes and saves the session;
   * the others reload the session until the new token appears. Default:
   * none (one refresh per instance).
   */
  lock?: {
    store: ReplayCache;
    /** Seconds the lock lasts. Default: 10. */
    ttlSeconds?: number;
    /** Milliseconds a waiting instance waits. Default: 5000. */
    waitMs?: number;
  };
  /** Diagnostics. Default: silent. */
  logger?: Logger;
  /** Clock in epoch milliseconds, for tests. Default: `Date.now`. */
  now?: () => number;
}

/** The token bridge of one application. */
export interface TokenBridge {
  /** Keeps a token set for `audience` in the session (after login). */
  storeTokens(req: Request, audience: string, tokens: TokenSet): void;
  /**
   * A valid access token for `audience`, refreshed when close to expiry.
   * Concurrent calls for one session and audience share one refresh.
   *
   * @throws InvalidTokenError (401; the session is destroyed) when the
   * refresh is refused with InvalidGrantError; TemporarilyUnavailableError
   * (503) when the issuer cannot answer.
   */
  getAccessToken(req: Request, options: { audience: string }): Promise<string>;
  /** Forgets every token kept in the session. */
  clearTokens(req: Request): void;
}

type Sealed = Record<string, string>;

function sessionData(req: Request): Record<string, unknown> {
  return req.session as unknown as Record<string, unknown>;
}

function contextFor(audience: string): string {
  return `portcullis.tokens:${audience}`;
}

function isTokenSet(value: unknown): value is TokenSet {
  const set = value as Partial<TokenSet> | null;
  return (
    typeof set?.accessToken === 'string' &&
    typeof set.expiresAt === 'number' &&
    (set.refreshToken === undefined || typeof set.refreshToken === 'string')
  );
}

function normalize(options: TokenBridgeOptions) {
  if (typeof options !== 'object' || options === null) {
    throw configError(PACKAGE, 'options', 'must be an object');
  }
  rejectUnknownKeys(PACKAGE, options, [
    'encryptionKey',
    'refresh',
    'refreshMarginSeconds',
    'lock',
    'logger',
    'now',
  ]);
  if (!isSealingKey(options.encryptionKey)) {
    throw configError(PACKAGE, 'encryptionKey', 'must be a Buffer of 32 bytes');
  }
  if (typeof options.refresh !== 'function') {
    throw configError(PACKAGE, 'refresh', 'is required: expected a function');
  }
  const lock = options.lock;
  if (lock !== undefined && typeof lock.store?.markIfAbsent !== 'function') {
    throw configError(PACKAGE, 'lock.store', 'must be a ReplayCache');
  }

  return {
    key: options.encryptionKey,
    refresh: options.refresh,
    margin: positiveInteger(
      PACKAGE,
      'refreshMarginSeconds',
      options.refreshMarginSeconds,
      DEFAULT_REFRESH_MARGIN_SECONDS,
    ),
    lock:
      lock === undefined
        ? undefined
        : {
            store: lock.store,
            ttlSeconds: positiveInteger(
              PACKAGE,
              'lock.ttlSeconds',
              lock.ttlSeconds,
              DEFAULT_LOCK_SECONDS,
            ),
            waitMs: positiveInteger(
              PACKAGE,
              'lock.waitMs',
              lock.waitMs,
              DEFAULT_LOCK_WAIT_MS,
            ),
          },
    logger: optionalLogger(PACKAGE, options.logger),
    now: options.now ?? Date.now,
  };
}

/**
 * Creates the token bridge. Tokens live in `req.session`, so the session
 * middleware must run first.
 *
 * @throws TypeError at startup when an option is missing or malformed.
 * @example
 * const tokens = createTokenBridge({
 *   encryptionKey: Buffer.from(process.env.TOKEN_KEY!, 'base64url'),
 *   refresh: ({ refreshToken }) => issuer.refresh(refreshToken),
 * });
 * const token = await tokens.getAccessToken(req, { audience: apiUrl });
 */
export function createTokenBridge(options: TokenBridgeOptions): TokenBridge {
  const config = normalize(options);
  const inFlight = new Map<string, Promise<TokenSet>>();

  function read(req: Request, audience: string): TokenSet | undefined {
    const sealed = sessionData(req)[SESSION_KEY] as Sealed | undefined;
    const value = sealed?.[audience];
    if (typeof value !== 'string') return undefined;

    const json = open(config.key, contextFor(audience), value);
    const parsed: unknown = json === undefined ? undefined : JSON.parse(json);
    return isTokenSet(parsed) ? parsed : undefined;
  }

  function write(req: Request, audience: string, tokens: TokenSet): void {
    const data = sessionData(req);
    const sealed = { ...(data[SESSION_KEY] as Sealed | undefined) };
    sealed[audience] = seal(
      config.key,
      contextFor(audience),
      JSON.stringify(tokens),
    );
    data[SESSION_KEY] = sealed;
  }

  async function callRefresh(
    req: Request,
    audience: string,
    current: TokenSet | undefined,
  ): Promise<TokenSet> {
    const fresh = await config.refresh({
      audience,
      refreshToken: current?.refreshToken,
      req,
    });
    if (!isTokenSet(fresh)) throw new TypeError('refresh gave no token set');

    // An issuer that does not rotate refresh tokens omits them (RFC 6749
    // section 6): the one kept stays valid.
    const refreshToken = fresh.refreshToken ?? current?.refreshToken;
    return { ...fresh, refreshToken };
  }

  // Another instance holds the lock: reload the session until its new
  // token shows up, the session ends, or the wait runs out.
  async function waitForPeer(
    req: Request,
    audience: string,
    current: TokenSet | undefined,
    waitMs: number,
  ): Promise<TokenSet> {
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      await req.session.reload();
      if (Object.keys(sessionData(req)).length === 0) {
        throw new InvalidTokenError('the session has ended; sign in again');
      }

      const tokens = read(req, audience);
      if (tokens && tokens.accessToken !== current?.accessToken) return tokens;
    }
    throw new TemporarilyUnavailableError('the token refresh did not finish');
  }

  async function refreshShared(
    req: Request,
    audience: string,
    current: TokenSet | undefined,
  ): Promise<TokenSet> {
    const lock = config.lock;
    if (lock === undefined) return callRefresh(req, audience, current);

    const key = `portcullis.bff:${req.session.publicId}:${audience}`;
    if (!(await lock.store.markIfAbsent(key, lock.ttlSeconds))) {
      return waitForPeer(req, audience, current, lock.waitMs);
    }

    const fresh = await callRefresh(req, audience, current);
    write(req, audience, fresh);
    await req.session.save();
    return fresh;
  }

  async function refreshOnce(
    req: Request,
    audience: string,
    current: TokenSet | undefined,
  ): Promise<TokenSet> {
    const flight = `${req.session.publicId}\u0000${audience}`;
    let pending = inFlight.get(flight);
    if (pending === undefined) {
      pending = refreshShared(req, audience, current).finally(() =>
        inFlight.delete(flight),
      );
      inFlight.set(flight, pending);
    }

    try {
      return await pending;
    } catch (error) {
      if (error instanceof InvalidGrantError) {
        config.logger.warn('refresh refused; session ended', { audience });
        await req.session.destroy();
        throw new InvalidTokenError('the session has ended; sign in again', {
          cause: error,
        });
      }
      if (isAuthError(error)) throw error;
      throw new TemporarilyUnavailableError('the token issuer is unavailable', {
        cause: error,
      });
    }
  }

  return {
    storeTokens(req, audience, tokens) {
      write(req, audience, tokens);
    },

    async getAccessToken(req, { audience }) {
      const current = read(req, audience);
      const nowSeconds = Math.floor(config.now() / 1000);
      if (
        current !== undefined &&
        current.expiresAt - nowSeconds > config.margin
      ) {
        return current.accessToken;
      }

      const fresh = await refreshOnce(req, audience, current);
      write(req, audience, fresh);
      return fresh.accessToken;
    },

    clearTokens(req) {
      delete sessionData(req)[SESSION_KEY];
    },
  };
}
