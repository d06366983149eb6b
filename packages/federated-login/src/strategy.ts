/**
 * One provider's passport strategy, on openid-client. Discovery runs on
 * first use and is cached; a failed discovery is retried on the next login.
 * The authorization request always carries PKCE S256 (the strategy's own),
 * plus a `state` and a `nonce` that are kept in the session and checked on
 * the callback (RFC 6749 section 10.12, OIDC Core 1.0 section 15.5.2).
 */

import * as client from 'openid-client';
import { Strategy } from 'openid-client/passport';
import type { AuthenticateOptions } from 'openid-client/passport';
import type { Request } from 'express';

import { LoginError } from './errors.js';
import { toFederatedProfile } from './profile.js';
import type { FederatedProfile } from './profile.js';

/** Milliseconds any single call to the IdP may take. */
export const IDP_TIMEOUT_MS = 10_000;

/** A provider ready to be used by the router. */
export interface ResolvedProvider {
  name: string;
  displayName: string;
  issuer: URL;
  clientId: string;
  clientSecret: string;
  scope: string;
  callbackUrl: string;
  /** Plain http is allowed, for a loopback development issuer. */
  insecure: boolean;
}

/** Which route a strategy call serves; passed as an authenticate option. */
export type LoginPhase = 'start' | 'callback';

class StateAndNonceStrategy extends Strategy {
  // The route decides, not the query string: a start URL carrying `code`
  // or `error` still starts a login, and a callback never starts one.
  override shouldInitiateAuthRequest(
    _req: Request,
    _currentUrl: URL,
    options: AuthenticateOptions,
  ): boolean {
    return (options as { phase?: LoginPhase }).phase === 'start';
  }

  override authorizationRequestParams(
    req: Request,
    options: AuthenticateOptions,
  ): URLSearchParams {
    const params = new URLSearchParams(
      super.authorizationRequestParams(req, options) ?? undefined,
    );
    params.set('state', client.randomState());
    params.set('nonce', client.randomNonce());
    return params;
  }
}

async function discover(provider: ResolvedProvider) {
  return client.discovery(
    provider.issuer,
    provider.clientId,
    { client_secret: provider.clientSecret },
    client.ClientSecretBasic(provider.clientSecret),
    {
      execute: provider.insecure ? [client.allowInsecureRequests] : [],
      timeout: IDP_TIMEOUT_MS / 1000,
    },
  );
}

function createStrategy(
  provider: ResolvedProvider,
  config: client.Configuration,
) {
  return new StateAndNonceStrategy(
    {
      config,
      name: provider.name,
      scope: provider.scope,
      callbackURL: provider.callbackUrl,
      sessionKey: `portcullis.login.${provider.name}`,
    },
    (tokens, verified) => {
      const claims = tokens.claims();
      if (claims === undefined) {
        verified(new LoginError('LOGIN_RESPONSE_INVALID'));
        return;
      }

      const profile: FederatedProfile = toFederatedProfile(provider.name, {
        ...claims,
      });
      verified(null, profile);
    },
  );
}

/**
 * Returns a loader that discovers the provider once and builds its strategy;
 * concurrent first logins share one discovery.
 */
export function strategyLoader(provider: ResolvedProvider) {
  let pending: Promise<Strategy> | undefined;

  return function loadStrategy(): Promise<Strategy> {
    pending ??= discover(provider).then(
      (config) => createStrategy(provider, config),
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}
