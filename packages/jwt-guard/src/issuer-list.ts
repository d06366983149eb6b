/**
 * The trusted issuers of a verifier: the single top-level issuer or the
 * `issuers` list, indexed by exact `iss`, each with its claim rules (an
 * entry's own rules over the top-level ones).
 */

import { configError, rejectUnknownKeys } from '@portcullis/core';

import { RULE_KEYS, checkClaimRules } from './claim-options.js';
import type { ClaimRuleSet } from './claim-options.js';
import { ISSUER_KEYS, checkIssuer } from './issuer-options.js';
import type { IssuerConfig } from './issuer-options.js';

const PACKAGE_NAME = '@portcullis/jwt-guard';

function fail(path: string, expected: string): never {
  throw configError(PACKAGE_NAME, path, expected);
}

/** Validates the single issuer or the `issuers` list. */
export function checkIssuers(input: Record<string, unknown>) {
  const defaults = { audience: input.audience, algorithms: input.algorithms };
  const single = ISSUER_KEYS.filter(
    (key) => !['audience', 'algorithms'].includes(key),
  ).some((key) => input[key] !== undefined);
  if (input.issuers === undefined) {
    return [checkIssuer('', input, defaults)];
  }

  if (single) fail('issuers', 'excludes "issuer" and its key options');
  if (!Array.isArray(input.issuers) || input.issuers.length === 0) {
    fail('issuers', 'must be a non-empty array');
  }

  return input.issuers.map((entry: unknown, index) => {
    const prefix = `issuers[${index}].`;
    if (typeof entry !== 'object' || entry === null) {
      fail(`issuers[${index}]`, 'must be an object');
    }

    rejectUnknownKeys(PACKAGE_NAME, entry, [...ISSUER_KEYS, ...RULE_KEYS]);
    return checkIssuer(prefix, entry as Record<string, unknown>, defaults);
  });
}

/**
 * Returns the claim rules per issuer: an entry's own rules over the
 * top-level ones, or the top-level rules when it sets none.
 */
export function issuerRules(
  input: Record<string, unknown>,
  top: ClaimRuleSet,
): ReadonlyMap<string, ClaimRuleSet> {
  const rules = new Map<string, ClaimRuleSet>();
  const entries = Array.isArray(input.issuers)
    ? (input.issuers as Record<string, unknown>[])
    : [input];
  entries.forEach((entry, index) => {
    const own = RULE_KEYS.filter((key) => entry[key] !== undefined);
    const prefix = entry === input ? '' : `issuers[${index}].`;
    const merged = { ...input, ...entry };
    rules.set(
      entry.issuer as string,
      own.length === 0 || entry === input
        ? top
        : checkClaimRules(merged, prefix),
    );
  });
  return rules;
}

/** Indexes issuers by exact `iss`, refusing duplicates. */
export function issuerMap(list: IssuerConfig[]): Map<string, IssuerConfig> {
  const map = new Map<string, IssuerConfig>();
  for (const entry of list) {
    if (map.has(entry.issuer)) fail('issuers', `lists "${entry.issuer}" twice`);
    map.set(entry.issuer, entry);
  }

  return map;
}
