/**
 * The test users of the dev IdP. Their passwords are fixed and published:
 * they exist so that the demo and the tests can sign in, and protect
 * nothing.
 */

/** A user that can sign in at the dev IdP. */
export interface TestUser {
  /** Subject identifier: the `sub` claim. Required, unique. */
  sub: string;
  /** Login name and the `email` claim. Required, unique (case-insensitive). */
  email: string;
  /** Password typed into the login form. Required. */
  password: string;
  /** Display name: the `name` claim. Required. */
  name: string;
  /** The `email_verified` claim. Required. */
  emailVerified: boolean;
  /**
   * Extra claims put in the ID token and userinfo, to imitate a provider's
   * claim shapes, such as Google's `hd` or Entra ID's `tid`. Values are
   * strings, numbers or booleans. Default: none.
   */
  claims?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The users a dev IdP has when `users` is not given: two with verified
 * email addresses and one (mallory) whose address is not verified, so that
 * a relying party's check of `email_verified` can be exercised.
 */
export const DEFAULT_TEST_USERS: readonly TestUser[] = Object.freeze([
  Object.freeze({
    sub: 'user-alice',
    email: 'alice@example.test',
    password: 'alice-password',
    name: 'Alice Example',
    emailVerified: true,
  }),
  Object.freeze({
    sub: 'user-bob',
    email: 'bob@example.test',
    password: 'bob-password',
    name: 'Bob Example',
    emailVerified: true,
  }),
  Object.freeze({
    sub: 'user-mallory',
    email: 'mallory@example.test',
    password: 'mallory-password',
    name: 'Mallory Example',
    emailVerified: false,
  }),
]);
