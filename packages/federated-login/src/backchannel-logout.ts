/**
 * The OIDC Back-Channel Logout 1.0 receiver (section 2.8):
 * `POST /login/:provider/backchannel-logout` with a `logout_token` form
 * field. A valid, unreplayed token is handed to the application's
 * `onBackchannelLogout` hook, which ends the matching sessions; the IdP
 * gets 200, or 400 for a bad token, with `Cache-Control: no-store`.
 */

import type { Request, Response } from 'express';

import { describeCause, toLoginError } from './errors.js';
import { createJwksSource } from './jwks-cache.js';
import {
  InvalidLogoutTokenError,
  validateLogoutToken,
} from './logout-token.js';
import type { DiscoveryCache } from './discovery-cache.js';
import type { JwksSource } from './jwks-cache.js';
import type { FederatedLoginConfig } from './options.js';
import type { ResolvedProvider } from './options.js';

const LOGOUT_TOKEN_MAX_AGE_SECONDS = 5 * 60;
const CLOCK_SKEW_SECONDS = 60;

/** What a back-channel logout asks the application to end. */
export interface BackchannelLogoutEvent {
  /** The provider's name here. */
  provider: string;
  issuer: string;
  /** The user's `sub`, when the token names one. */
  subject: string | undefined;
  /**
   * The IdP session id, when the token names one: end the sessions whose
   * `req.session.login.sid` equals it (with the same issuer).
   */
  sid: string | undefined;
}

/** Remembers logout token ids; the stores package's ReplayCache fits. */
export interface LogoutReplayCache {
  /** True when `key` was not recorded yet (and now is). */
  markIfAbsent(key: string, ttlSeconds: number): Promise<boolean>;
}

/** An in-process replay cache: enough for one instance. */
export function createMemoryReplayCache(clock: () => number) {
  const seen = new Map<string, number>();
  return {
    async markIfAbsent(key: string, ttlSeconds: number) {
      const now = clock();
      for (const [entry, until] of seen) if (until <= now) seen.delete(entry);
      if (seen.has(key)) return false;
      seen.set(key, now + ttlSeconds * 1000);
      return true;
    },
  };
}

function answer(res: Response, status: number, error?: string) {
  res.status(status).set('Cache-Control', 'no-store');
  if (error === undefined) res.end();
  else res.json({ error });
}

/** Builds the receiver of one OpenID provider. */
export function createBackchannelReceiver(
  config: FederatedLoginConfig,
  provider: ResolvedProvider,
  discovery: DiscoveryCache,
) {
  const metadata = async () =>
    (await discovery.get(config.clock())).serverMetadata();
  const jwks: JwksSource = createJwksSource(
    async () => String((await metadata()).jwks_uri),
    { timeoutMs: config.idpTimeoutMs, clock: config.clock },
  );

  async function validate(token: unknown) {
    const server = await metadata();
    return validateLogoutToken(token, {
      issuer: server.issuer,
      clientId: provider.clientId,
      algorithms: server.id_token_signing_alg_values_supported ?? ['RS256'],
      keys: jwks,
      now: Math.floor(config.clock() / 1000),
      maxAgeSeconds: LOGOUT_TOKEN_MAX_AGE_SECONDS,
      skewSeconds: CLOCK_SKEW_SECONDS,
    });
  }

  return async function receiveBackchannelLogout(req: Request, res: Response) {
    const token = (req.body as Record<string, unknown> | undefined)
      ?.logout_token;
    let claims;
    try {
      claims = await validate(token);
    } catch (error) {
      const unavailable =
        !(error instanceof InvalidLogoutTokenError) &&
        toLoginError(error).code === 'LOGIN_IDP_UNAVAILABLE';
      config.logger.warn('back-channel logout refused', {
        provider: provider.name,
        reason: error instanceof Error ? error.message : 'invalid',
      });
      answer(res, unavailable ? 503 : 400, 'invalid_request');
      return;
    }

    const ttl = claims.rememberUntil - Math.floor(config.clock() / 1000);
    const key = `${claims.issuer} ${claims.jti}`;
    try {
      if (
        !(await config.logoutReplayCache.markIfAbsent(key, Math.max(ttl, 1)))
      ) {
        config.logger.warn('back-channel logout replayed', {
          provider: provider.name,
        });
        answer(res, 400, 'invalid_request');
        return;
      }

      await config.onBackchannelLogout!({
        provider: provider.name,
        issuer: claims.issuer,
        subject: claims.subject,
        sid: claims.sid,
      });
    } catch (error) {
      config.logger.error('back-channel logout failed', {
        provider: provider.name,
        cause: describeCause(error),
      });
      answer(res, 503, 'temporarily_unavailable');
      return;
    }

    config.audit?.emit('auth.logout', { subject: claims.subject });
    answer(res, 200);
  };
}
