/**
 * Step-up authentication (RFC 9470): a route that needs a given
 * authentication context class (`acr`) or a recent enough authentication
 * (`auth_time`) answers 401 `insufficient_user_authentication` with
 * `acr_values` and `max_age`, so the client can ask the user to sign in
 * again.
 */

import type { RequestHandler } from 'express';

import { configError } from '@portcullis/core';

import { StepUpRequiredError } from './errors.js';
import { checkGuardOptions, guard } from './guard-options.js';
import type { GuardOptions } from './guard-options.js';

/** Options of {@link requireAuthLevel}. */
export interface AuthLevelOptions extends GuardOptions {
  /** Accepted `acr` values, any of them. Default: not checked. */
  acrValues?: readonly string[];
  /** Largest age of `auth_time`, in seconds. Default: not checked. */
  maxAgeSeconds?: number;
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  clock?: () => number;
}

function checkOptions(options: AuthLevelOptions) {
  const { acrValues, maxAgeSeconds } = options;
  const fail = (path: string, expected: string) =>
    configError('@portcullis/jwt-guard', path, expected);
  if (acrValues === undefined && maxAgeSeconds === undefined) {
    throw fail('acrValues', 'or "maxAgeSeconds" is required');
  }

  if (
    acrValues !== undefined &&
    (!Array.isArray(acrValues) ||
      acrValues.length === 0 ||
      acrValues.some((v) => typeof v !== 'string' || v.length === 0))
  ) {
    throw fail('acrValues', 'must be a non-empty array of strings');
  }

  if (
    maxAgeSeconds !== undefined &&
    !(Number.isInteger(maxAgeSeconds) && maxAgeSeconds >= 0)
  ) {
    throw fail('maxAgeSeconds', 'must be a non-negative integer (seconds)');
  }
}

/**
 * Admits a request whose token's `acr` is one of `acrValues` and whose
 * `auth_time` is at most `maxAgeSeconds` old; otherwise 401
 * `insufficient_user_authentication` (RFC 9470 section 3). A missing or
 * non-numeric `auth_time` fails the age check.
 *
 * @throws TypeError at startup when neither requirement is given.
 * @example app.post('/transfer', requireAuth(o), requireAuthLevel({ acrValues: ['urn:mfa'] }))
 */
export function requireAuthLevel(options: AuthLevelOptions): RequestHandler {
  checkOptions(options);
  const { audit } = checkGuardOptions({ audit: options.audit });
  const clock = options.clock ?? Date.now;
  const requirement = Object.freeze({
    acrValues: options.acrValues,
    maxAgeSeconds: options.maxAgeSeconds,
  });

  const run = guard(audit, (auth) => {
    const { acr, auth_time: authTime } = auth.claims as Record<string, unknown>;
    const acrOk =
      requirement.acrValues === undefined ||
      (typeof acr === 'string' && requirement.acrValues.includes(acr));
    const ageOk =
      requirement.maxAgeSeconds === undefined ||
      (typeof authTime === 'number' &&
        Number.isFinite(authTime) &&
        clock() / 1000 - authTime <= requirement.maxAgeSeconds);
    return acrOk && ageOk ? undefined : new StepUpRequiredError(requirement);
  });
  return function portcullisRequireAuthLevel(req, _res, next) {
    run(req, next);
  };
}
