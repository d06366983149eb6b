/** A local OpenID Provider with test users, standing in for Google. */

export { startDevIdp } from './dev-idp.js';
export type { DevIdp } from './dev-idp.js';
export type { DevIdpClient, DevIdpOptions } from './options.js';
export { DEFAULT_TEST_USERS } from './test-users.js';
export type { TestUser } from './test-users.js';
