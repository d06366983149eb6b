/**
 * The options shared by the authorization guards (`requireScopes`,
 * `requireAnyScope`, `requireClaim`, `requireAuthLevel`) and the outcome
 * reporting they share with `requireAuth`.
 */

import type { NextFunction, Request } from 'express';

import { configError, optionalAuditBus } from '@portcullis/core';
import type { AuditBus, AuthError } from '@portcullis/core';

import { MissingTokenError } from './errors.js';
import { reportRefused } from './report.js';
import type { AuthContext } from './request-auth.js';

const PACKAGE_NAME = '@portcullis/jwt-guard';

/** Options of every authorization guard. */
export interface GuardOptions {
  /** Receives `token.refused` per refusal. Default: none. */
  audit?: AuditBus;
}

/** Checks an authorization guard's options. */
export function checkGuardOptions(options: unknown): { audit?: AuditBus } {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw configError(PACKAGE_NAME, 'options', 'must be an object');
  }

  return {
    audit: optionalAuditBus(PACKAGE_NAME, (options as GuardOptions).audit),
  };
}

/** Checks a non-empty list of scope names (no spaces, RFC 6749 3.3). */
export function checkScopeList(path: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw configError(PACKAGE_NAME, path, 'must be a non-empty array');
  }

  value.forEach((scope: unknown, index) => {
    if (
      typeof scope !== 'string' ||
      !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)
    ) {
      throw configError(
        PACKAGE_NAME,
        `${path}[${index}]`,
        'must be a scope token (printable ASCII, no space or quote)',
      );
    }
  });
  return Object.freeze([...value]) as string[];
}

/**
 * Runs `check` on `req.auth`: a request that reached the guard without a
 * verified token (optional mode) is refused with a bare 401 challenge.
 */
export function guard(
  audit: AuditBus | undefined,
  check: (auth: AuthContext) => AuthError | undefined,
) {
  return (req: Request, next: NextFunction): void => {
    const error =
      req.auth === undefined ? new MissingTokenError() : check(req.auth);
    if (error === undefined) {
      next();
      return;
    }

    reportRefused({ audit, logger: SILENT }, error, req.auth?.issuer);
    next(error);
  };
}

const SILENT = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
