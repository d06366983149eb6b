/**
 * Checks of the JOSE header (RFC 7515 section 4.1) that run before any key
 * is chosen, and the `typ` comparison of RFC 8725 section 3.11.
 */

import type { ClaimRuleSet } from './claim-options.js';
import { TokenRejectedError } from './errors.js';
import type { ParsedToken } from './parse-token.js';

function normalizeType(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return lower.startsWith('application/') ? lower.slice(12) : lower;
}

/**
 * Checks the JOSE header before any key is used: `alg` present and not
 * `none`, no `crit`, a string `kid`, and the required `typ`.
 *
 * @throws TokenRejectedError with the reason of the failed check.
 */
export function checkHeader(rules: ClaimRuleSet, parsed: ParsedToken): string {
  const { alg, crit, kid, typ } = parsed.header;
  if (typeof alg !== 'string') {
    throw new TokenRejectedError('JWT_GUARD_MALFORMED_TOKEN');
  }

  if (alg.toLowerCase() === 'none') {
    throw new TokenRejectedError('JWT_GUARD_UNSIGNED');
  }

  // RFC 7515 section 4.1.11: no extension is understood here, so any
  // critical one is refused.
  if (crit !== undefined) {
    throw new TokenRejectedError('JWT_GUARD_CRIT_UNSUPPORTED');
  }

  if (kid !== undefined && typeof kid !== 'string') {
    throw new TokenRejectedError('JWT_GUARD_MALFORMED_TOKEN');
  }

  const required = normalizeType(rules.requiredType);
  if (required !== undefined && normalizeType(typ) !== required) {
    throw new TokenRejectedError('JWT_GUARD_TYPE_MISMATCH');
  }

  return alg;
}
