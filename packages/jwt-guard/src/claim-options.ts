/**
 * Validation of the claim, scope and revocation options of the verifier
 * (RFC 9068 profile, required claims and values, deny-list), split from
 * options.ts so that each file stays one screenful of rules.
 */

import type { JWTPayload } from 'jose';

import { configError } from '@portcullis/core';
import type { DenyList } from '@portcullis/stores';

const PACKAGE_NAME = '@portcullis/jwt-guard';

/** Claims that may carry the granted scopes. */
export type ScopeClaim = 'scope' | 'scp' | 'permissions';

/** The deny-list read after a token verifies (the `denyList` option). */
export interface DenyListOptions {
  /** Required. The store, from `@portcullis/stores`. */
  store: DenyList;
  /** The claim whose value is looked up. Default: `jti`. */
  claim?: 'jti' | 'sid';
  /**
   * Seconds a "not listed" answer is reused, when the store propagates
   * additions (`subscribe`): any instance's addition ends it as soon as
   * its message arrives, and this bounds how long a lost message could go
   * unnoticed. Lets cached tokens be admitted without a store round trip.
   * At most 60. Default: 0 (ask the store on every request).
   */
  cacheSeconds?: number;
}

/** The deny-list check of `isRevoked`. */
export type RevocationCheck = (
  claims: JWTPayload,
) => boolean | Promise<boolean>;

const MAX_DENY_LIST_CACHE_SECONDS = 60;

// RFC 9068 section 2.2: the claims every JWT access token carries.
const RFC9068_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'];

function fail(path: string, expected: string): never {
  throw configError(PACKAGE_NAME, path, expected);
}

/** Checks `requiredType`, defaulted by `profile`. */
export function checkRequiredType(input: Record<string, unknown>, prefix = '') {
  const value = input.requiredType;
  if (input.profile !== undefined && input.profile !== 'rfc9068') {
    fail(`${prefix}profile`, 'must be "rfc9068"');
  }

  if (value === undefined) {
    return input.profile === 'rfc9068' ? 'at+jwt' : undefined;
  }

  if (typeof value === 'string' && /^[\w.+-]+(\/[\w.+-]+)?$/.test(value)) {
    return value;
  }

  return fail(`${prefix}requiredType`, 'must be a media type such as "at+jwt"');
}

/** Checks an optional list of non-empty strings. */
export function checkStringList(
  path: string,
  value: unknown,
  allowed?: string[],
) {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, 'must be an array of strings');
  value.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string' || entry.length === 0) {
      fail(`${path}[${index}]`, 'must be a non-empty string');
    }

    if (allowed !== undefined && !allowed.includes(entry)) {
      fail(`${path}[${index}]`, `must be one of ${allowed.join(', ')}`);
    }
  });
  return value as string[];
}

/** Checks `requiredClaims`, adding those of the profile. */
export function checkRequiredClaims(
  input: Record<string, unknown>,
  prefix = '',
) {
  const listed = checkStringList(
    `${prefix}requiredClaims`,
    input.requiredClaims,
  );
  const profile = input.profile === 'rfc9068' ? RFC9068_CLAIMS : [];
  return Object.freeze([...new Set([...profile, ...listed])]);
}

/** Checks `claimValues` into frozen lists of allowed values. */
export function checkClaimValues(value: unknown, prefix = '') {
  if (value === undefined) return Object.freeze({});
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`${prefix}claimValues`, 'must be an object of claim names to values');
  }

  const result: Record<string, readonly unknown[]> = {};
  for (const [name, allowed] of Object.entries(value)) {
    const list = Array.isArray(allowed) ? allowed : [allowed];
    if (list.length === 0 || list.some((entry) => entry === undefined)) {
      fail(
        `${prefix}claimValues.${name}`,
        'must be a value or non-empty array',
      );
    }

    result[name] = Object.freeze([...list]);
  }

  return Object.freeze(result);
}

/** Checks an optional function option. */
export function checkFunction<T>(path: string, value: unknown): T | undefined {
  if (value === undefined || typeof value === 'function') {
    return value as T | undefined;
  }

  return fail(path, 'must be a function');
}

/** Checks the `denyList` option. */
export function checkDenyList(
  value: unknown,
): Readonly<Required<DenyListOptions>> | undefined {
  if (value === undefined) return undefined;
  const input = value as Partial<DenyListOptions> | null;
  if (typeof input?.store?.has !== 'function') {
    fail('denyList.store', 'must be a DenyList from @portcullis/stores');
  }

  const claim = input.claim ?? 'jti';
  if (claim !== 'jti' && claim !== 'sid') {
    fail('denyList.claim', 'must be "jti" or "sid"');
  }

  const cacheSeconds = input.cacheSeconds ?? 0;
  if (
    typeof cacheSeconds !== 'number' ||
    !Number.isInteger(cacheSeconds) ||
    cacheSeconds < 0 ||
    cacheSeconds > MAX_DENY_LIST_CACHE_SECONDS
  ) {
    fail('denyList.cacheSeconds', 'must be an integer from 0 to 60');
  }

  return Object.freeze({ store: input.store, claim, cacheSeconds });
}

/** Checks `audienceClaim`. */
export function checkAudienceClaim(
  value: unknown,
  prefix = '',
): 'aud' | 'client_id' {
  if (value === undefined || value === 'aud' || value === 'client_id') {
    return value ?? 'aud';
  }

  return fail(`${prefix}audienceClaim`, 'must be "aud" or "client_id"');
}

/** The claim rules that may differ per issuer. */
export interface ClaimRuleSet {
  readonly audienceClaim: 'aud' | 'client_id';
  readonly requiredType: string | undefined;
  readonly requiredClaims: readonly string[];
  readonly claimValues: Readonly<Record<string, readonly unknown[]>>;
  readonly scopeClaims: readonly ScopeClaim[];
}

/** Option names of {@link ClaimRuleSet}, allowed top-level and per issuer. */
export const RULE_KEYS = [
  'audienceClaim',
  'requiredType',
  'profile',
  'requiredClaims',
  'claimValues',
  'scopeClaims',
] as const;

/**
 * Checks the claim rules of `input` (top-level options, or an issuer entry
 * merged over them), naming options under `prefix`.
 *
 * @throws TypeError naming the option when one is invalid.
 */
export function checkClaimRules(
  input: Record<string, unknown>,
  prefix = '',
): ClaimRuleSet {
  const scopeClaims =
    input.scopeClaims === undefined
      ? ['scope' as const]
      : (checkStringList(`${prefix}scopeClaims`, input.scopeClaims, [
          'scope',
          'scp',
          'permissions',
        ]) as ScopeClaim[]);
  return Object.freeze({
    audienceClaim: checkAudienceClaim(input.audienceClaim, prefix),
    requiredType: checkRequiredType(input, prefix),
    requiredClaims: checkRequiredClaims(input, prefix),
    claimValues: checkClaimValues(input.claimValues, prefix),
    scopeClaims: Object.freeze(scopeClaims),
  });
}
