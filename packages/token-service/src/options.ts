/**
 * The options of `createTokenService` and their normalisation: validated
 * once, synchronously, into a frozen and fully defaulted config, so that a
 * misconfigured application fails at startup.
 */

import { randomBytes } from 'node:crypto';

import type { JWK } from 'jose';

import {
  configError,
  parseSecureUrl,
  positiveInteger,
  rejectUnknownKeys,
  optionalAuditBus,
  optionalLogger,
} from '@portcullis/core';
import type { AuditBus, Logger } from '@portcullis/core';
import type {
  DenyList,
  RefreshTokenStore,
  ReplayCache,
} from '@portcullis/stores';

import { checkClients } from './client-config.js';
import type { ClientConfig, NormalizedClient } from './client-config.js';

import { KEY_OPTION_NAMES, checkKeyOptions } from './key-options.js';
import type { KeyConfig, KeyOptions } from './key-options.js';
import { PACKAGE_NAME } from './package-name.js';
import { checkSigningKey } from './signing-key-shape.js';
import type { SigningAlgorithm } from './signing-key-shape.js';

const DEFAULT_ALGORITHM: SigningAlgorithm = 'ES256';
const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 300;
const MAX_SAFE_ACCESS_TOKEN_TTL_SECONDS = 3600;
const DEFAULT_REFRESH_IDLE_TTL_SECONDS = 14 * 24 * 3600;
const DEFAULT_REFRESH_ABSOLUTE_TTL_SECONDS = 30 * 24 * 3600;
const DEFAULT_REFRESH_GRACE_SECONDS = 5;
const MIN_REFRESH_SECRET_LENGTH = 32;
const JWKS_PATH = '/.well-known/jwks.json';
const QUERY_OR_FRAGMENT = /[?#]/;

const KNOWN_OPTIONS = [
  'issuer',
  'algorithm',
  'signingKey',
  'accessTokenTtlSeconds',
  'audit',
  'logger',
  'audience',
  'refreshTokens',
  'denyList',
  'refreshTokenSecret',
  'refreshIdleTtlSeconds',
  'refreshAbsoluteTtlSeconds',
  'refreshGraceSeconds',
  'clients',
  ...KEY_OPTION_NAMES,
  'replayCache',
] as const;

/** Options of `createTokenService`. */
export interface TokenServiceOptions extends KeyOptions {
  /**
   * Required. The `iss` of every token, used as given. Must be https, or
   * http on a loopback host, without query or fragment.
   */
  issuer: string;
  /**
   * Signature algorithm: `ES256` (P-256), `EdDSA` (Ed25519) or `RS256`
   * (RSA of at least 2048 bits; generated keys have 2048). Default: ES256,
   * or the `signer`'s.
   */
  algorithm?: SigningAlgorithm;
  /**
   * Private JWK of the algorithm's key type; it signs for the service's
   * whole life (a static ring). Default: keys generated and rotated in the
   * `keyStore`, or in process memory without one.
   */
  signingKey?: JWK;
  /** Lifetime of an access token, in seconds. Default: 300. */
  accessTokenTtlSeconds?: number;
  /** Receives a `token.issued` event per token. Default: none. */
  audit?: AuditBus;
  /** Receives diagnostics; never a token or key. Default: silent. */
  logger?: Logger;
  /**
   * The `aud` of access tokens minted by `refresh` and the token endpoint,
   * unless the family or the client names another. Default: none.
   */
  audience?: string;
  /** Keeps refresh-token families. Required for refresh tokens. */
  refreshTokens?: RefreshTokenStore;
  /**
   * Receives the `sid` of a family whose token was reused, and the `jti`
   * of revoked access tokens. Default: none (nothing is deny-listed).
   */
  denyList?: DenyList;
  /**
   * Server secret (at least 32 characters) keying the HMAC that derives a
   * refresh token's successor. Every instance needs the same one. Default:
   * random per process.
   */
  refreshTokenSecret?: string;
  /** Idle lifetime of a refresh-token family. Default: 14 days. */
  refreshIdleTtlSeconds?: number;
  /** Absolute lifetime of a refresh-token family. Default: 30 days. */
  refreshAbsoluteTtlSeconds?: number;
  /** How long a retried refresh gets the same successor. Default: 5. */
  refreshGraceSeconds?: number;
  /** Clients of the token endpoints. Default: none. */
  clients?: readonly ClientConfig[];
  /**
   * Records the `jti` of `private_key_jwt` assertions so that each is used
   * once; pass the Redis or PostgreSQL one from `@portcullis/stores` when
   * several instances serve the endpoints. Default: one in process memory.
   */
  replayCache?: ReplayCache;
}

/** The normalised, frozen options. */
export interface TokenServiceConfig extends KeyConfig {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly algorithm: SigningAlgorithm;
  readonly signingKey: JWK | undefined;
  readonly accessTokenTtlSeconds: number;
  readonly audit: AuditBus | undefined;
  readonly logger: Logger;
  readonly audience: string | undefined;
  readonly refreshTokens: RefreshTokenStore | undefined;
  readonly denyList: DenyList | undefined;
  readonly refreshTokenSecret: Buffer;
  readonly refreshTokenSecretGenerated: boolean;
  readonly refreshIdleTtlSeconds: number;
  readonly refreshAbsoluteTtlSeconds: number;
  readonly refreshGraceSeconds: number;
  readonly clients: ReadonlyMap<string, NormalizedClient>;
  readonly replayCache: ReplayCache | undefined;
}

function checkStore<T>(name: string, value: unknown, methods: string[]): T {
  const object = value as Record<string, unknown> | null;
  if (methods.every((m) => typeof object?.[m] === 'function')) {
    return value as T;
  }

  throw configError(PACKAGE_NAME, name, `must have ${methods.join(', ')}`);
}

function checkRefreshSecret(value: unknown): Buffer | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.length >= MIN_REFRESH_SECRET_LENGTH) {
    return Buffer.from(value, 'utf8');
  }

  throw configError(
    PACKAGE_NAME,
    'refreshTokenSecret',
    `must be a string of at least ${MIN_REFRESH_SECRET_LENGTH} characters`,
  );
}

function checkAudience(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.length > 0) return value;
  throw configError(PACKAGE_NAME, 'audience', 'must be a non-empty string');
}

function checkIssuer(value: unknown): string {
  const url = parseSecureUrl(PACKAGE_NAME, 'issuer', value);
  // RFC 8414 section 2: an issuer identifier has no query or fragment.
  if (
    QUERY_OR_FRAGMENT.test(url.href) ||
    QUERY_OR_FRAGMENT.test(String(value))
  ) {
    throw configError(
      PACKAGE_NAME,
      'issuer',
      'must not contain a query or a fragment',
    );
  }

  return value as string;
}

function checkAlgorithm(value: unknown, signer: unknown): SigningAlgorithm {
  if (value === undefined) {
    const own = (signer as { algorithm?: SigningAlgorithm } | undefined)
      ?.algorithm;
    return own ?? DEFAULT_ALGORITHM;
  }

  if (value === 'ES256' || value === 'EdDSA' || value === 'RS256') {
    return value;
  }
  throw configError(
    PACKAGE_NAME,
    'algorithm',
    'must be "ES256", "EdDSA" or "RS256"',
  );
}

/**
 * Validates `options` and returns the frozen config.
 *
 * @throws TypeError naming the option when one is missing, unknown or
 * unsafe, or when `signingKey` is not a private key for `algorithm`.
 */
export function normalizeOptions(options: unknown): TokenServiceConfig {
  if (typeof options !== 'object' || options === null) {
    throw configError(PACKAGE_NAME, 'options', 'must be an object');
  }

  rejectUnknownKeys(PACKAGE_NAME, options, KNOWN_OPTIONS);
  const input = options as Record<string, unknown>;
  const issuer = checkIssuer(input.issuer);
  const algorithm = checkAlgorithm(input.algorithm, input.signer);
  const secret = checkRefreshSecret(input.refreshTokenSecret);
  const int = (name: string, fallback: number): number =>
    positiveInteger(PACKAGE_NAME, name, input[name], fallback);
  const idle = int('refreshIdleTtlSeconds', DEFAULT_REFRESH_IDLE_TTL_SECONDS);
  const absolute = int(
    'refreshAbsoluteTtlSeconds',
    DEFAULT_REFRESH_ABSOLUTE_TTL_SECONDS,
  );
  if (idle > absolute) {
    throw configError(
      PACKAGE_NAME,
      'refreshIdleTtlSeconds',
      'must not exceed refreshAbsoluteTtlSeconds',
    );
  }

  const accessTokenTtlSeconds = positiveInteger(
    PACKAGE_NAME,
    'accessTokenTtlSeconds',
    input.accessTokenTtlSeconds,
    DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  );

  return Object.freeze({
    issuer,
    jwksUri: `${issuer.replace(/\/+$/, '')}${JWKS_PATH}`,
    algorithm,
    signingKey: checkSigningKey(input.signingKey, algorithm),
    accessTokenTtlSeconds,
    ...checkKeyOptions(input, accessTokenTtlSeconds),
    audit: optionalAuditBus(PACKAGE_NAME, input.audit),
    logger: optionalLogger(PACKAGE_NAME, input.logger),
    audience: checkAudience(input.audience),
    refreshTokens:
      input.refreshTokens === undefined
        ? undefined
        : checkStore<RefreshTokenStore>('refreshTokens', input.refreshTokens, [
            'create',
            'rotate',
            'revokeFamily',
            'findByTokenHash',
          ]),
    denyList:
      input.denyList === undefined
        ? undefined
        : checkStore<DenyList>('denyList', input.denyList, ['add', 'has']),
    refreshTokenSecret: secret ?? randomBytes(32),
    refreshTokenSecretGenerated: secret === undefined,
    refreshIdleTtlSeconds: idle,
    refreshAbsoluteTtlSeconds: absolute,
    refreshGraceSeconds: int(
      'refreshGraceSeconds',
      DEFAULT_REFRESH_GRACE_SECONDS,
    ),
    clients: checkClients(input.clients),
    replayCache:
      input.replayCache === undefined
        ? undefined
        : checkStore<ReplayCache>('replayCache', input.replayCache, [
            'markIfAbsent',
          ]),
  });
}

/**
 * Logs one warning per setting that is allowed but risky: keys generated
 * in memory (tokens die with the process and differ between instances), and
 * an access-token lifetime over an hour.
 */
export function warnAboutRiskyOptions(config: TokenServiceConfig): void {
  const fixed = config.signingKey !== undefined || config.signer !== undefined;
  if (!fixed && config.keyStore === undefined) {
    config.logger.warn(
      'signing key generated at start; tokens stop verifying after a ' +
        'restart and differ between instances',
      { issuer: config.issuer },
    );
  }

  if (
    config.refreshTokens !== undefined &&
    config.refreshTokenSecretGenerated
  ) {
    config.logger.warn(
      'refreshTokenSecret generated at start; retried refreshes on other ' +
        'instances or after a restart count as reuse',
      { issuer: config.issuer },
    );
  }

  if (config.accessTokenTtlSeconds > MAX_SAFE_ACCESS_TOKEN_TTL_SECONDS) {
    config.logger.warn('access token lifetime is over an hour', {
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    });
  }
}
