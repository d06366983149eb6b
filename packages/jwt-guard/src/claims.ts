/**
 * Checks the claims of a token whose signature has verified (RFC 7519
 * section 4.1, RFC 9068 section 4): issuer, time claims, audience and the
 * claims a profile requires. Time claims must be JSON numbers; a string
 * such as "1700000000" is refused, not coerced.
 */

import { TokenRejectedError } from './errors.js';

/** The claim rules of one issuer. */
export interface ClaimRules {
  readonly issuer: string;
  /** Accepted audiences; empty skips the audience check (never default). */
  readonly audiences: readonly string[];
  /** The claim that names the audience: `aud`, or `client_id` (Cognito). */
  readonly audienceClaim: 'aud' | 'client_id';
  readonly clockToleranceSeconds: number;
  readonly maxTokenAgeSeconds: number | undefined;
  /** Claims that must be present. */
  readonly requiredClaims: readonly string[];
  /** Claims that must equal one of the given values. */
  readonly claimValues: Readonly<Record<string, readonly unknown[]>>;
}

function reject(reason: ConstructorParameters<typeof TokenRejectedError>[0]) {
  return new TokenRejectedError(reason);
}

function numericDate(claims: Record<string, unknown>, name: string) {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw reject('JWT_GUARD_CLAIM_INVALID');
  }

  return value;
}

// RFC 7519 sections 4.1.4 and 4.1.5, with the tolerance on both sides:
// the token is valid while now < exp + tolerance and now >= nbf - tolerance.
function checkTimes(
  claims: Record<string, unknown>,
  rules: ClaimRules,
  now: number,
): void {
  const tolerance = rules.clockToleranceSeconds;
  const exp = numericDate(claims, 'exp');
  const nbf = numericDate(claims, 'nbf');
  const iat = numericDate(claims, 'iat');
  if (exp === undefined) throw reject('JWT_GUARD_CLAIM_MISSING');
  if (now >= exp + tolerance) throw reject('JWT_GUARD_EXPIRED');
  if (nbf !== undefined && now < nbf - tolerance) {
    throw reject('JWT_GUARD_NOT_YET_VALID');
  }

  if (iat !== undefined && iat > now + tolerance) {
    throw reject('JWT_GUARD_ISSUED_IN_FUTURE');
  }

  if (rules.maxTokenAgeSeconds === undefined) return;
  if (iat === undefined) throw reject('JWT_GUARD_CLAIM_MISSING');
  if (now - iat > rules.maxTokenAgeSeconds + tolerance) {
    throw reject('JWT_GUARD_TOO_OLD');
  }
}

function audienceValues(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

function checkAudience(
  claims: Record<string, unknown>,
  rules: ClaimRules,
): void {
  if (rules.audiences.length === 0) return;
  const value = claims[rules.audienceClaim];
  if (value === undefined) throw reject('JWT_GUARD_AUDIENCE_MISMATCH');
  const granted = audienceValues(value);
  if (rules.audienceClaim === 'client_id' && Array.isArray(value)) {
    throw reject('JWT_GUARD_CLAIM_INVALID');
  }

  const matches = granted.some(
    (entry) => typeof entry === 'string' && rules.audiences.includes(entry),
  );
  if (!matches) throw reject('JWT_GUARD_AUDIENCE_MISMATCH');
}

function checkRequired(
  claims: Record<string, unknown>,
  rules: ClaimRules,
): void {
  for (const name of rules.requiredClaims) {
    if (claims[name] === undefined) throw reject('JWT_GUARD_CLAIM_MISSING');
  }

  for (const [name, allowed] of Object.entries(rules.claimValues)) {
    if (!allowed.includes(claims[name])) {
      throw reject('JWT_GUARD_CLAIM_INVALID');
    }
  }
}

/**
 * Checks `claims` against `rules` at `nowSeconds`.
 *
 * @throws TokenRejectedError with the reason of the first failed check.
 */
export function checkClaims(
  claims: Record<string, unknown>,
  rules: ClaimRules,
  nowSeconds: number,
): void {
  if (claims.iss !== rules.issuer) throw reject('JWT_GUARD_ISSUER_UNKNOWN');
  checkTimes(claims, rules, nowSeconds);
  checkAudience(claims, rules);
  checkRequired(claims, rules);
}
