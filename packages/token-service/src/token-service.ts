/**
 * The application's own issuer: signs RFC 9068 access tokens with the key
 * ring's current key and publishes the public keys that verify them.
 */

import { randomBytes } from 'node:crypto';

import type { Router } from 'express';
import type { JWK } from 'jose';

import { createMemoryKeyStore } from '@portcullis/stores';

import { createAccessTokenMinter } from './access-token.js';
import type { MintAccessToken } from './access-token.js';
import { createJwksRouter } from './jwks-router.js';
import { createStaticKeyRing } from './key-ring.js';
import type { KeyRing, KeyRotation } from './key-ring.js';
import { normalizeOptions, warnAboutRiskyOptions } from './options.js';
import type { TokenServiceConfig, TokenServiceOptions } from './options.js';
import { createOwnTokenVerifier } from './access-token-verifier.js';
import { PACKAGE_NAME } from './package-name.js';
import { createRefreshGrant } from './refresh-grant.js';
import type {
  IssuedRefreshToken,
  RefreshedTokens,
  RefreshInput,
  RefreshTokenInput,
} from './refresh-grant.js';
import { loadSigningKey } from './signing-key.js';
import { createStoredKeyRing } from './stored-key-ring.js';
import { createTokenEndpoints } from './token-endpoints.js';

/** A running token service. */
export interface TokenService {
  /** The `iss` of every token, as configured. */
  readonly issuer: string;
  /** `${issuer without trailing slash}/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /**
   * Signs an access token for `input` with the ring's active key. With a
   * rotating ring, `ttlSeconds` is capped (LIM-018).
   *
   * @throws TypeError (as a rejection) when the input is malformed.
   * @throws TemporarilyUnavailableError (503, as a rejection) when the key
   * store or the signer fails.
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
  /**
   * The published keys (pending, active and retired), as a fresh copy;
   * never a private member.
   */
  jwks(): { keys: JWK[] };
  /**
   * Publishes a new key as pending; it signs once it has been published
   * `keyRotation.pendingSeconds`, and the key it replaces is retired. Not an
   * emergency revocation (LIM-001); concurrent calls on several instances
   * leave an extra pending key (LIM-016).
   *
   * @throws TypeError (as a rejection) with `signingKey` or `signer`.
   * @throws the store's error (as a rejection) when the store fails.
   */
  rotateKeys(): Promise<KeyRotation>;
  /** Stops the key ring's refresh timer. */
  close(): void;
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

const STATIC_ROTATE_ERROR =
  `${PACKAGE_NAME}: rotateKeys needs generated keys, ` +
  'not "signingKey" or "signer"';

async function createKeyRing(config: TokenServiceConfig): Promise<KeyRing> {
  const options = { probe: true, rotateError: STATIC_ROTATE_ERROR };
  if (config.signer !== undefined) {
    return createStaticKeyRing(config.signer, options);
  }

  if (config.signingKey !== undefined) {
    const key = await loadSigningKey(config.signingKey, config.algorithm);
    return createStaticKeyRing(key.signer, { ...options, probe: false });
  }

  // Without a store, the ring lives in memory and so does its KEK.
  return createStoredKeyRing({
    store: config.keyStore ?? createMemoryKeyStore(),
    keks: config.keyEncryptionKeys ?? [{ id: 'memory', key: randomBytes(32) }],
    algorithm: config.algorithm,
    rotation: config.keyRotation,
    logger: config.logger,
  });
}

async function startTokenService(
  config: TokenServiceConfig,
): Promise<TokenService> {
  const ring = await createKeyRing(config);
  const router = createJwksRouter(() => ring.jwks(), config.jwksMaxAgeSeconds);
  const mintAccessToken = createAccessTokenMinter(config, ring);
  const grant = createRefreshGrant(config, mintAccessToken);
  let endpoints: Router | undefined;
  const tokenEndpoints = (): Router => {
    endpoints ??= createTokenEndpoints({
      config,
      mint: mintAccessToken,
      grant,
      verify: createOwnTokenVerifier(config.issuer, ring),
      jwksRouter: router,
    });
    return endpoints;
  };

  config.logger.info('token service started', {
    issuer: config.issuer,
    kid: (await ring.signer()).kid,
  });
  return Object.freeze({
    issuer: config.issuer,
    jwksUri: config.jwksUri,
    mintAccessToken,
    issueRefreshToken: grant.issueRefreshToken,
    refresh: grant.refresh,
    jwks: () => structuredClone(ring.jwks()) as { keys: JWK[] },
    rotateKeys: () => ring.rotate(),
    close: () => ring.close(),
    router: () => router,
    tokenEndpoints,
  });
}

/**
 * Creates the token service. Options are checked before anything runs, so
 * a bad option throws synchronously instead of rejecting.
 *
 * @param options - see {@link TokenServiceOptions}; defaults: `algorithm`
 * ES256, keys generated and rotated in process memory,
 * `accessTokenTtlSeconds` 300, `jwksMaxAgeSeconds` 300.
 * @throws TypeError, synchronously, naming the option when one is missing,
 * unknown or unsafe, two exclude each other, or `signingKey` is not a
 * private key for `algorithm`.
 * @throws TypeError, as a rejection, when `signingKey` cannot be imported
 * or its public members do not match its private key, a stored key does
 * not open with `keyEncryptionKeys`, or `signer` fails its probe.
 * @throws the key store's error, as a rejection, when it cannot be read.
 *
 * @example
 * const tokens = await createTokenService({
 *   issuer: 'https://auth.example.com',
 *   keyStore: createRedisStores({ client: redis }).keys,
 *   keyEncryptionKeys: [{ id: 'kek-1', key: kekBytes }],
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
