/**
 * The application's own issuer: signs RFC 9068 access tokens and publishes
 * the public key that verifies them.
 */

import type { Router } from 'express';
import type { JWK } from 'jose';

import { createAccessTokenMinter } from './access-token.js';
import type { MintAccessToken } from './access-token.js';
import { createJwksRouter } from './jwks-router.js';
import { normalizeOptions, warnAboutRiskyOptions } from './options.js';
import type { TokenServiceConfig, TokenServiceOptions } from './options.js';
import { createOwnTokenVerifier } from './access-token-verifier.js';
import { createRefreshGrant } from './refresh-grant.js';
import type {
  IssuedRefreshToken,
  RefreshedTokens,
  RefreshInput,
  RefreshTokenInput,
} from './refresh-grant.js';
import { loadSigningKey } from './signing-key.js';
import { createTokenEndpoints } from './token-endpoints.js';

/** A running token service. */
export interface TokenService {
  /** The `iss` of every token, as configured. */
  readonly issuer: string;
  /** `${issuer without trailing slash}/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /**
   * Signs an access token for `input`.
   *
   * @throws TypeError (as a rejection) when the input is malformed.
   */
  readonly mintAccessToken: MintAccessToken;
  /**
   * Starts a refresh-token family and returns its first token. Requires
   * the `refreshTokens` option.
   *
   * @throws TypeError (as a rejection) when the input is malformed.
   * @throws TemporarilyUnavailableError (503) when the store fails.
   */
  issueRefreshToken(input: RefreshTokenInput): Promise<IssuedRefreshToken>;
  /**
   * Rotates `refreshToken` for `clientId` and mints an access token.
   *
   * @throws InvalidGrantError (400) when the token is unknown, expired,
   * revoked, another client's, or reused (the family is then revoked).
   * @throws TemporarilyUnavailableError (503) when the store fails.
   */
  refresh(input: RefreshInput): Promise<RefreshedTokens>;
  /** The public signing keys, as a fresh copy; never a private member. */
  jwks(): { keys: JWK[] };
  /**
   * A router serving `GET /.well-known/jwks.json`; mount it at the path of
   * the issuer URL.
   */
  router(): Router;
  /**
   * A router with `POST /token`, `POST /revoke`, `POST /introspect`,
   * `GET /.well-known/oauth-authorization-server` and the JWKS; mount it at
   * the path of the issuer URL. Created once, on first call.
   *
   * @throws TypeError when a `client_credentials` client has no audience.
   */
  tokenEndpoints(): Router;
}

async function startTokenService(
  config: TokenServiceConfig,
): Promise<TokenService> {
  const key = await loadSigningKey(config.signingKey, config.algorithm);
  const jwks = { keys: [key.publicJwk] };
  const router = createJwksRouter(jwks);
  const mintAccessToken = createAccessTokenMinter(config, key);
  const grant = createRefreshGrant(config, mintAccessToken);
  let endpoints: Router | undefined;
  const tokenEndpoints = (): Router => {
    endpoints ??= createTokenEndpoints({
      config,
      mint: mintAccessToken,
      grant,
      verify: createOwnTokenVerifier(config.issuer, jwks, key.algorithm),
      jwksRouter: router,
    });
    return endpoints;
  };

  config.logger.info('token service started', {
    issuer: config.issuer,
    kid: key.publicJwk.kid,
  });
  return Object.freeze({
    issuer: config.issuer,
    jwksUri: config.jwksUri,
    mintAccessToken,
    issueRefreshToken: grant.issueRefreshToken,
    refresh: grant.refresh,
    jwks: () => structuredClone(jwks),
    router: () => router,
    tokenEndpoints,
  });
}

/**
 * Creates the token service. Options are checked before anything runs, so
 * a bad option throws synchronously instead of rejecting.
 *
 * @param options - see {@link TokenServiceOptions}; defaults: `algorithm`
 * ES256, a generated key, `accessTokenTtlSeconds` 300.
 * @throws TypeError, synchronously, naming the option when one is missing,
 * unknown or unsafe, or `signingKey` is not a private key for `algorithm`.
 * @throws TypeError, as a rejection, when `signingKey` cannot be imported
 * or its public members do not match its private key.
 *
 * @example
 * const tokens = await createTokenService({
 *   issuer: 'https://auth.example.com',
 *   signingKey: JSON.parse(process.env.SIGNING_JWK),
 * });
 * app.use(tokens.router());
 * const { accessToken } = await tokens.mintAccessToken({
 *   subject: 'user-1',
 *   audience: 'https://api.example.com',
 *   clientId: 'web',
 *   scope: ['read:items'],
 * });
 */
export function createTokenService(
  options: TokenServiceOptions,
): Promise<TokenService> {
  const config = normalizeOptions(options);
  warnAboutRiskyOptions(config);
  return startTokenService(config);
}
