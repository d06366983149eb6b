/**
 * Account linking by email, for `resolveUser` hooks that want it. It is
 * never done by the router: an application opts in by calling this helper.
 * A new provider identity may join an existing account only when both
 * sides hold the same address and both verified it; otherwise an attacker
 * who registers the victim's address, unverified, at any accepted provider
 * would take over the account.
 */

import type { FederatedProfile } from './profile.js';

/** What the application knows about an existing account's email. */
export interface LinkableAccount {
  email?: string | undefined;
  /** True only when this application or a trusted IdP verified it. */
  emailVerified: boolean;
}

function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

/**
 * True when `profile` may be linked to `account` by email: both emails are
 * present, equal (case-insensitive) and verified. Presets that cannot vouch
 * for an email (Entra ID) report it unverified, so they never link.
 *
 * @example
 * const existing = await users.findByEmail(profile.email);
 * if (existing && canLinkByEmail(existing, profile)) {
 *   await users.addIdentity(existing.id, profile.issuer, profile.subject);
 * }
 */
export function canLinkByEmail(
  account: LinkableAccount,
  profile: FederatedProfile,
): boolean {
  if (account.emailVerified !== true || profile.emailVerified !== true) {
    return false;
  }
  if (typeof account.email !== 'string' || profile.email === undefined) {
    return false;
  }
  return normalizeEmail(account.email) === normalizeEmail(profile.email);
}
