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
import type { Request } from 'express';

import { isSealingKey, open, seal } from './seal.js';

const PACKAGE = '@portcullis/session-bridge';
const SESSION_KEY = 'portcullis.tokens';
const DEFAULT_REFRESH_MARGIN_SECONDS = 60;

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
    'logger',
    'now',
  ]);
  if (!isSealingKey(options.encryptionKey)) {
    throw configError(PACKAGE, 'encryptionKey', 'must be a Buffer of 32 bytes');
  }
  if (typeof options.refresh !== 'function') {
    throw configError(PACKAGE, 'refresh', 'is required: expected a function');
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

  async function refreshOnce(
    req: Request,
    audience: string,
    current?: TokenSet,
  ) {
    const flight = `${req.session.publicId}\u0000${audience}`;
    let pending = inFlight.get(flight);
    if (pending === undefined) {
      pending = config
        .refresh({ audience, refreshToken: current?.refreshToken, req })
        .finally(() => inFlight.delete(flight));
      inFlight.set(flight, pending);
    }

    try {
      const tokens = await pending;
      if (!isTokenSet(tokens))
        throw new TypeError('refresh returned no token set');
      return tokens;
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
      // An issuer that does not rotate refresh tokens omits them (RFC 6749
      // section 6): the one kept stays valid.
      const refreshToken = fresh.refreshToken ?? current?.refreshToken;
      write(req, audience, { ...fresh, refreshToken });
      return fresh.accessToken;
    },

    clearTokens(req) {
      delete sessionData(req)[SESSION_KEY];
    },
  };
}
