/**
 * Checks an email and password against the test users in constant time:
 * both values are hashed and every user is compared with timingSafeEqual,
 * so neither the position of a match nor a near miss shows in the timing.
 */

import { createHash, timingSafeEqual } from 'node:crypto';

import type { TestUser } from './test-users.js';

/** Finds the user with these credentials, or undefined. */
export type CredentialChecker = (
  email: string,
  password: string,
) => TestUser | undefined;

interface HashedUser {
  user: TestUser;
  emailHash: Buffer;
  passwordHash: Buffer;
}

function hash(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Builds a checker over a fixed list of users. Emails compare
 * case-insensitively; passwords compare exactly.
 */
export function createCredentialChecker(
  users: readonly TestUser[],
): CredentialChecker {
  const hashed: HashedUser[] = users.map((user) => ({
    user,
    emailHash: hash(normalizeEmail(user.email)),
    passwordHash: hash(user.password),
  }));

  return function checkCredentials(email, password) {
    const emailHash = hash(normalizeEmail(email));
    const passwordHash = hash(password);
    let found: TestUser | undefined;

    // No early exit: every user costs the same two comparisons.
    for (const entry of hashed) {
      const emailMatches = timingSafeEqual(entry.emailHash, emailHash);
      const passwordMatches = timingSafeEqual(entry.passwordHash, passwordHash);
      if (emailMatches && passwordMatches && found === undefined) {
        found = entry.user;
      }
    }

    return found;
  };
}
