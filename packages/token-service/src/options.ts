/**
 * The options of `createTokenService` and their normalisation: validated
 * once, synchronously, into a frozen and fully defaulted config, so that a
 * misconfigured application fails at startup.
 */

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

import { PACKAGE_NAME } from './package-name.js';
import { checkSigningKey } from './signing-key-shape.js';
import type { SigningAlgorithm } from './signing-key-shape.js';

const DEFAULT_ALGORITHM: SigningAlgorithm = 'ES256';
const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 300;
const MAX_SAFE_ACCESS_TOKEN_TTL_SECONDS = 3600;
const JWKS_PATH = '/.well-known/jwks.json';
const QUERY_OR_FRAGMENT = /[?#]/;

const KNOWN_OPTIONS = [
  'issuer',
  'algorithm',
  'signingKey',
  'accessTokenTtlSeconds',
  'audit',
  'logger',
] as const;

/** Options of `createTokenService`. */
export interface TokenServiceOptions {
  /**
   * Required. The `iss` of every token, used as given. Must be https, or
   * http on a loopback host, without query or fragment.
   */
  issuer: string;
  /**
   * Signature algorithm: `ES256` (P-256) or `EdDSA` (Ed25519).
   * Default: ES256.
   */
  algorithm?: SigningAlgorithm;
  /**
   * Private JWK of the algorithm's key type. Default: a key pair generated
   * at start, which lives only as long as the process.
   */
  signingKey?: JWK;
  /** Lifetime of an access token, in seconds. Default: 300. */
  accessTokenTtlSeconds?: number;
  /** Receives a `token.issued` event per token. Default: none. */
  audit?: AuditBus;
  /** Receives diagnostics; never a token or key. Default: silent. */
  logger?: Logger;
}

/** The normalised, frozen options. */
export interface TokenServiceConfig {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly algorithm: SigningAlgorithm;
  readonly signingKey: JWK | undefined;
  readonly accessTokenTtlSeconds: number;
  readonly audit: AuditBus | undefined;
  readonly logger: Logger;
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

function checkAlgorithm(value: unknown): SigningAlgorithm {
  if (value === undefined) return DEFAULT_ALGORITHM;
  if (value === 'ES256' || value === 'EdDSA') return value;
  throw configError(PACKAGE_NAME, 'algorithm', 'must be "ES256" or "EdDSA"');
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
  const algorithm = checkAlgorithm(input.algorithm);

  return Object.freeze({
    issuer,
    jwksUri: `${issuer.replace(/\/+$/, '')}${JWKS_PATH}`,
    algorithm,
    signingKey: checkSigningKey(input.signingKey, algorithm),
    accessTokenTtlSeconds: positiveInteger(
      PACKAGE_NAME,
      'accessTokenTtlSeconds',
      input.accessTokenTtlSeconds,
      DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    ),
    audit: optionalAuditBus(PACKAGE_NAME, input.audit),
    logger: optionalLogger(PACKAGE_NAME, input.logger),
  });
}

/**
 * Logs one warning per setting that is allowed but risky: a key generated
 * at start (tokens die with the process and differ between instances), and
 * an access-token lifetime over an hour.
 */
export function warnAboutRiskyOptions(config: TokenServiceConfig): void {
  if (config.signingKey === undefined) {
    config.logger.warn(
      'signing key generated at start; tokens stop verifying after a ' +
        'restart and differ between instances',
      { issuer: config.issuer },
    );
  }

  if (config.accessTokenTtlSeconds > MAX_SAFE_ACCESS_TOKEN_TTL_SECONDS) {
    config.logger.warn('access token lifetime is over an hour', {
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    });
  }
}
