/**
 * The passport strategy of an OpenID provider, on openid-client's
 * functions: an authorization code request with PKCE S256 (RFC 7636),
 * `state` and `nonce`; on the callback, the code exchange checked against
 * the transaction's state, PKCE verifier and nonce (OIDC Core 1.0 section
 * 3.1.3.7: an ID token without the nonce is refused) and the claims checks
 * of the provider.
 */

import * as client from 'openid-client';
import { Strategy } from 'passport';
import type { Request } from 'express';

import { LoginError } from './errors.js';
import { toFederatedProfile } from './profile.js';
import type { DiscoveryCache } from './discovery-cache.js';
import type { FederatedProfile } from './profile.js';
import type { TransactionBinding } from './transaction-binding.js';

/** A validated OpenID provider, as the router uses it. */
export interface ResolvedOidcProvider {
  type: 'oidc';
  name: string;
  displayName: string;
  issuer: URL;
  clientId: string;
  clientSecret: string;
  scope: string;
  callbackUrl: string;
  insecure: boolean;
  authorizationParams: Readonly<Record<string, string>>;
  checkClaims:
    ((claims: Readonly<Record<string, unknown>>) => void) | undefined;
  trustEmailVerified: boolean;
}

/** Which route a strategy call serves; passed as an authenticate option. */
export type LoginPhase = 'start' | 'callback';

/** What the strategy needs besides the provider. */
export interface OidcStrategyDeps {
  discovery: DiscoveryCache;
  transactions: TransactionBinding;
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** True while the provider's breaker is open. */
  isUnavailable: () => boolean;
}

// The callback URL is rebuilt from the registered redirect_uri, not from
// Host or X-Forwarded-* headers, so a proxy cannot change what is checked.
function currentUrl(callbackUrl: string, req: Request): URL {
  const url = new URL(callbackUrl);
  const query = req.originalUrl.indexOf('?');
  url.search = query === -1 ? '' : req.originalUrl.slice(query);
  return url;
}

/**
 * A passport strategy for one OpenID provider. Plain private fields, not
 * `#fields`: passport runs a strategy through `Object.create` of it.
 */
export class OidcLoginStrategy extends Strategy {
  readonly name: string;
  private readonly provider: ResolvedOidcProvider;
  private readonly deps: OidcStrategyDeps;

  constructor(provider: ResolvedOidcProvider, deps: OidcStrategyDeps) {
    super();
    this.name = provider.name;
    this.provider = provider;
    this.deps = deps;
  }

  override authenticate(req: Request, options: { phase?: LoginPhase }): void {
    const step = options.phase === 'start' ? this.start(req) : this.finish(req);
    step.catch((error: unknown) => this.error(error as Error));
  }

  private async start(req: Request): Promise<void> {
    const config = await this.deps.discovery.get(this.deps.clock());
    // Stale metadata after a failed refresh must not send the user to an
    // IdP that just proved unreachable.
    if (this.deps.isUnavailable()) {
      throw new LoginError('LOGIN_IDP_UNAVAILABLE');
    }
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    this.deps.transactions.begin(req, { state, nonce, codeVerifier });

    const url = client.buildAuthorizationUrl(config, {
      ...this.provider.authorizationParams,
      redirect_uri: this.provider.callbackUrl,
      scope: this.provider.scope,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    this.redirect(url.href);
  }

  private async finish(req: Request): Promise<void> {
    const transaction = this.deps.transactions.current(req);
    const config = await this.deps.discovery.get(this.deps.clock());
    const tokens = await client.authorizationCodeGrant(
      config,
      currentUrl(this.provider.callbackUrl, req),
      {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      },
    );

    const claims = tokens.claims();
    if (claims === undefined || claims.nonce !== transaction.nonce) {
      throw new LoginError('LOGIN_RESPONSE_INVALID');
    }
    this.provider.checkClaims?.(claims);

    const profile: FederatedProfile = toFederatedProfile(
      this.provider.name,
      { ...claims },
      this.provider.trustEmailVerified,
    );
    this.success(profile, { idToken: tokens.id_token });
  }
}
