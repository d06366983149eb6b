/**
 * The passport strategy of a plain OAuth 2.0 provider (GitHub and the
 * generic preset), on passport-oauth2: authorization code with PKCE S256
 * and `state` kept in the login transaction, then the provider's profile
 * fetcher with the access token, each request bounded by the IdP timeout.
 */

import { Strategy as OAuth2Strategy } from 'passport-oauth2';
import type { Request } from 'express';
import type OAuth2 from 'passport-oauth2';

import { LoginError } from './errors.js';
import { toFederatedProfile } from './profile.js';
import type { FetchJson, OAuth2ProviderConfig } from './providers.js';
import type { TransactionBinding } from './transaction-binding.js';
import { attachedTransaction } from './transaction-binding.js';

/** A validated OAuth 2.0 provider, as the router uses it. */
export interface ResolvedOAuth2Provider {
  type: 'oauth2';
  name: string;
  displayName: string;
  issuer: URL;
  authorizationUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string | undefined;
  callbackUrl: string;
  fetchProfile: OAuth2ProviderConfig['fetchProfile'];
}

type StoreCallback = (err: Error | null, state?: string) => void;
type VerifyCallback = (err: Error | null, ok: unknown, info?: unknown) => void;

// passport-oauth2 calls a five-argument store with the PKCE verifier it
// generated, and hands the verifier from `verify` to the token request.
function transactionStore(binding: TransactionBinding, newState: () => string) {
  return {
    store(
      req: Request,
      codeVerifier: string,
      _state: unknown,
      _meta: unknown,
      callback: StoreCallback,
    ) {
      const state = newState();
      binding.begin(req, { state, codeVerifier });
      callback(null, state);
    },
    verify(req: Request, state: string, _meta: unknown, cb: VerifyCallback) {
      const transaction = attachedTransaction(req);
      if (transaction.state !== state) cb(null, false, {});
      else cb(null, transaction.codeVerifier);
    },
  };
}

function createFetchJson(accessToken: string, timeoutMs: number): FetchJson {
  return async function fetchJson(url) {
    const response = await fetch(url, {
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${accessToken}`,
        'user-agent': 'portcullis-federated-login',
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      throw Object.assign(new Error('profile request failed'), {
        status: response.status,
      });
    }

    return response.json() as Promise<unknown>;
  };
}

type TokenCallback = (
  err: unknown,
  accessToken?: string,
  refreshToken?: string,
  results?: Record<string, unknown>,
) => void;

interface OAuthClient {
  getOAuthAccessToken(code: string, params: object, cb: TokenCallback): void;
}

// GitHub answers a refused code with 200 and an `error` field; hand it to
// passport-oauth2 as the error response it is (a TokenError), not as a
// response without a token.
function reportErrorsAnsweredWith200(strategy: OAuth2Strategy): void {
  const oauth = (strategy as unknown as { _oauth2: OAuthClient })._oauth2;
  const exchange = oauth.getOAuthAccessToken.bind(oauth);
  oauth.getOAuthAccessToken = (code, params, callback) => {
    exchange(code, params, (err, accessToken, refreshToken, results) => {
      if (!err && !accessToken && typeof results?.error === 'string') {
        callback({ statusCode: 400, data: JSON.stringify(results) });
        return;
      }
      callback(err, accessToken, refreshToken, results);
    });
  };
}

/** Builds the passport-oauth2 strategy of one provider. */
export function createOAuth2Strategy(
  provider: ResolvedOAuth2Provider,
  binding: TransactionBinding,
  settings: { timeoutMs: number; newState: () => string },
): OAuth2Strategy {
  const strategy = new OAuth2Strategy(
    {
      authorizationURL: provider.authorizationUrl,
      tokenURL: provider.tokenUrl,
      clientID: provider.clientId,
      clientSecret: provider.clientSecret,
      callbackURL: provider.callbackUrl,
      scope: provider.scope,
      pkce: true,
      state: true,
      store: transactionStore(
        binding,
        settings.newState,
      ) as unknown as OAuth2.StateStore,
      customHeaders: { 'user-agent': 'portcullis-federated-login' },
    },
    (
      _accessToken: string,
      _refreshToken: string,
      profile: unknown,
      verified: OAuth2.VerifyCallback,
    ) => {
      verified(null, profile as Express.User);
    },
  );
  strategy.name = provider.name;
  reportErrorsAnsweredWith200(strategy);

  // passport-oauth2 reads `code` from the query to decide it is a callback;
  // the route decides here, so a start URL carrying `code` still starts.
  strategy.authenticate = function authenticateByRoute(req, options) {
    if ((options as { phase?: string } | undefined)?.phase === 'start') {
      Object.defineProperty(req, 'query', { value: {}, configurable: true });
    }
    OAuth2Strategy.prototype.authenticate.call(this, req, options);
  };

  strategy.userProfile = (accessToken, done) => {
    const fetchJson = createFetchJson(accessToken, settings.timeoutMs);
    provider.fetchProfile(fetchJson).then((claims) => {
      const subject = claims.sub;
      if (typeof subject !== 'string' || subject === '') {
        throw new LoginError('LOGIN_RESPONSE_INVALID');
      }

      const iss = provider.issuer.href.replace(/\/$/, '');
      done(null, toFederatedProfile(provider.name, { ...claims, iss }));
    }, done);
  };
  return strategy;
}
