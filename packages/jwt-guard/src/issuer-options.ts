/**
 * Validation of one trusted issuer: its exact `iss` string, its key source
 * (exactly one of `jwksUri`, `jwks`, `discovery` or `secret`) and the
 * algorithms it may use. HMAC is allowed only with an explicit secret of at
 * least 32 bytes, and never next to public keys.
 */

import type { JWK } from 'jose';

import { configError, parseSecureUrl } from '@portcullis/core';

import { HMAC_ALGORITHMS, isAsymmetricAlgorithm } from './algorithms.js';
import type { ScopeClaim } from './claim-options.js';
import { importKeySet } from './key-set.js';
import type { KeySet } from './key-set.js';

const PACKAGE_NAME = '@portcullis/jwt-guard';

// RFC 7518 section 3.2: an HMAC key at least as long as the hash output.
const MIN_SECRET_BYTES = 32;

/** One trusted issuer, as given in `issuers`. */
export interface IssuerOptions {
  /** Required. The exact `iss` value. https, or http on loopback. */
  issuer: string;
  /** URL of the issuer's JWKS. */
  jwksUri?: string;
  /** A JWKS given inline: `{ keys: [...] }`. */
  jwks?: { keys: JWK[] };
  /** Find the JWKS through OIDC Discovery / RFC 8414. Default: false. */
  discovery?: boolean;
  /** HMAC secret of at least 32 bytes; allows only HS256/384/512. */
  secret?: string | Uint8Array;
  /** Audience(s) of this issuer; default: the top-level `audience`. */
  audience?: string | readonly string[];
  /** Algorithms of this issuer; default: the top-level `algorithms`. */
  algorithms?: readonly string[];
  /** Claim rules of this issuer; each defaults to the top-level option. */
  audienceClaim?: 'aud' | 'client_id';
  /** See the top-level `requiredType`. */
  requiredType?: string;
  /** See the top-level `profile`. */
  profile?: 'rfc9068';
  /** See the top-level `requiredClaims`. */
  requiredClaims?: readonly string[];
  /** See the top-level `claimValues`. */
  claimValues?: Readonly<Record<string, unknown>>;
  /** See the top-level `scopeClaims`. */
  scopeClaims?: readonly ScopeClaim[];
}

/** Where an issuer's keys come from, after validation. */
export type KeySpec =
  | { readonly kind: 'jwks'; readonly set: KeySet }
  | { readonly kind: 'uri'; readonly url: URL }
  | { readonly kind: 'discovery' }
  | { readonly kind: 'secret'; readonly secret: Uint8Array };

/** A validated issuer. */
export interface IssuerConfig {
  readonly issuer: string;
  readonly keys: KeySpec;
  readonly audiences: readonly string[];
  readonly algorithms: readonly string[];
}

/** Fields of an issuer entry. */
export const ISSUER_KEYS = [
  'issuer',
  'jwksUri',
  'jwks',
  'discovery',
  'secret',
  'audience',
  'algorithms',
] as const;

/** Checks an audience option into a frozen non-empty list. */
export function checkAudience(path: string, value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw configError(
      PACKAGE_NAME,
      path,
      'is required: expected a non-empty string or array of strings',
    );
  }

  list.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string' || entry.length === 0) {
      const at = typeof value === 'string' ? path : `${path}[${index}]`;
      throw configError(PACKAGE_NAME, at, 'must be a non-empty string');
    }
  });
  return Object.freeze([...new Set(list as string[])]) as string[];
}

/** Checks an algorithm allowlist; HMAC only when `hmac` is true. */
export function checkAlgorithms(
  path: string,
  value: unknown,
  hmac: boolean,
): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw configError(
      PACKAGE_NAME,
      path,
      'is required: expected a non-empty array such as ["ES256"]',
    );
  }

  value.forEach((entry: unknown, index) => {
    const at = `${path}[${index}]`;
    const isHmac = HMAC_ALGORITHMS.includes(entry as string);
    if (hmac && isHmac) return;
    if (!hmac && isAsymmetricAlgorithm(entry)) return;
    if (hmac) {
      throw configError(PACKAGE_NAME, at, 'must be HS256, HS384 or HS512');
    }

    if (entry === 'none' || isHmac || /^(none|hs)/i.test(String(entry))) {
      throw configError(
        PACKAGE_NAME,
        at,
        `must not be "${String(entry)}": only asymmetric algorithms are ` +
          'accepted with public keys (HMAC needs "secret")',
      );
    }

    throw configError(PACKAGE_NAME, at, 'is not a supported algorithm');
  });
  return Object.freeze([...new Set(value as string[])]) as string[];
}

function checkSecret(path: string, value: unknown): Uint8Array {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (!(bytes instanceof Uint8Array)) {
    throw configError(PACKAGE_NAME, path, 'must be a string or Uint8Array');
  }

  if (bytes.length < MIN_SECRET_BYTES) {
    throw configError(
      PACKAGE_NAME,
      path,
      `must be at least ${MIN_SECRET_BYTES} bytes (got ${bytes.length})`,
    );
  }

  return Uint8Array.from(bytes);
}

function checkKeySpec(prefix: string, input: Record<string, unknown>) {
  const given = ['jwksUri', 'jwks', 'discovery', 'secret'].filter(
    (name) => input[name] !== undefined && input[name] !== false,
  );
  if (given.length !== 1) {
    throw configError(
      PACKAGE_NAME,
      `${prefix}jwksUri`,
      given.length === 0
        ? 'is required: give one of jwksUri, jwks, discovery or secret'
        : `excludes ${given.slice(1).join(', ')}: give one key source`,
    );
  }

  if (input.secret !== undefined) {
    return {
      kind: 'secret',
      secret: checkSecret(`${prefix}secret`, input.secret),
    } as const;
  }

  if (input.discovery !== undefined) {
    if (input.discovery !== true) {
      throw configError(PACKAGE_NAME, `${prefix}discovery`, 'must be true');
    }

    return { kind: 'discovery' } as const;
  }

  if (input.jwks !== undefined) {
    try {
      return { kind: 'jwks', set: importKeySet(input.jwks) } as const;
    } catch {
      throw configError(PACKAGE_NAME, `${prefix}jwks`, 'must be a JWK Set');
    }
  }

  const url = parseSecureUrl(PACKAGE_NAME, `${prefix}jwksUri`, input.jwksUri);
  return { kind: 'uri', url } as const;
}

/**
 * Validates one issuer. `defaults` gives the top-level audience and
 * algorithms when the entry has none.
 *
 * @throws TypeError naming the option when the entry is invalid.
 */
export function checkIssuer(
  prefix: string,
  input: Record<string, unknown>,
  defaults: { audience: unknown; algorithms: unknown },
): IssuerConfig {
  parseSecureUrl(PACKAGE_NAME, `${prefix}issuer`, input.issuer);
  const keys: KeySpec = checkKeySpec(prefix, input);
  const audiencePath = input.audience === undefined ? '' : prefix;
  const algorithmsPath = input.algorithms === undefined ? '' : prefix;

  return Object.freeze({
    // The `iss` claim is compared with the string as given, never with a
    // normalised URL, so that a trailing slash is never added or removed.
    issuer: input.issuer as string,
    keys,
    audiences: checkAudience(
      `${audiencePath}audience`,
      input.audience ?? defaults.audience,
    ),
    algorithms: checkAlgorithms(
      `${algorithmsPath}algorithms`,
      input.algorithms ?? defaults.algorithms,
      keys.kind === 'secret',
    ),
  });
}
