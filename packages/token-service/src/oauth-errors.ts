/**
 * The RFC 6749 section 5.2 errors only the token endpoint raises
 * (`unsupported_grant_type`, `invalid_scope`), as AuthError subclasses so
 * that core's handler and this package's router render them alike.
 */

import { AuthError } from '@portcullis/core';

/** 400 `unsupported_grant_type`: the server does not support the grant. */
export class UnsupportedGrantTypeError extends AuthError {
  constructor(description: string) {
    super('unsupported_grant_type', 400, description);
  }
}

/** 400 `invalid_scope`: the scope is malformed or exceeds the grant. */
export class InvalidScopeError extends AuthError {
  constructor(description: string) {
    super('invalid_scope', 400, description);
  }
}

/** 400 `unauthorized_client`: the client may not use this grant type. */
export class UnauthorizedClientError extends AuthError {
  constructor(description: string) {
    super('unauthorized_client', 400, description);
  }
}
