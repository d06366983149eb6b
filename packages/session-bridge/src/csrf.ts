/**
 * CSRF defence for routes behind the session (OWASP CSRF Prevention Cheat
 * Sheet): every unsafe method must come from an allowed origin, judged by
 * Fetch Metadata (`Sec-Fetch-Site`) or else the `Origin` header, and carry a
 * synchronizer token bound to the server-side session, in a header or a
 * form field. The token is never kept in a cookie, so a tossed or planted
 * cookie cannot satisfy the check.
 */

import { randomBytes, timingSafeEqual } from 'node:crypto';

import {
  AccessDeniedError,
  configError,
  optionalAuditBus,
  optionalLogger,
  parseSecureUrl,
  rejectUnknownKeys,
} from '@portcullis/core';
import type { AuditBus, Logger } from '@portcullis/core';
import type { Request, RequestHandler } from 'express';

const PACKAGE = '@portcullis/session-bridge';
const TOKEN_BYTES = 32;
const SESSION_KEY = 'portcullis.csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const DEFAULT_HEADER = 'x-csrf-token';
const DEFAULT_FIELD = '_csrf';

/** Options of {@link createCsrfProtection}. */
export interface CsrfOptions {
  /**
   * The origins allowed to send unsafe requests, such as
   * `https://app.example`. Required, at least one.
   */
  allowedOrigins: string[];
  /** Request header carrying the token. Default: `x-csrf-token`. */
  headerName?: string;
  /** Form field carrying the token (needs a body parser). Default: `_csrf`. */
  fieldName?: string;
  /** Receives a warning per refused request. Default: silent. */
  logger?: Logger;
  /** Audit bus; refusals emit `csrf.refused`. Default: none. */
  audit?: AuditBus;
}

/** Why a request failed the check; logged and audited, never sent. */
export type CsrfRefusal = 'CSRF_ORIGIN' | 'CSRF_TOKEN_MISSING' | 'CSRF_TOKEN';

/**
 * Returns the session's CSRF token, creating it on first use. Put it in a
 * hidden form field or send it in the header on fetch calls. It changes
 * whenever the session id does (login, logout).
 */
export function csrfToken(req: Request): string {
  const session = req.session as unknown as Record<string, unknown>;
  const existing = session[SESSION_KEY];
  if (typeof existing === 'string') return existing;

  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  session[SESSION_KEY] = token;
  return token;
}

function sameToken(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

function presentedToken(req: Request, header: string, field: string) {
  const fromHeader = req.get(header);
  if (fromHeader !== undefined) return fromHeader;

  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = body?.[field];
  return typeof fromBody === 'string' ? fromBody : undefined;
}

// Fetch Metadata first: a browser's `same-origin` cannot be forged by
// script, and Chromium sends `Origin: null` on form posts under a
// no-referrer policy. Other sites pass only with a listed Origin; requests
// without Fetch Metadata need a listed Origin.
function originAllowed(req: Request, allowed: ReadonlySet<string>): boolean {
  const site = req.get('sec-fetch-site');
  if (site === 'same-origin') return true;
  if (site === 'none') return false;

  const origin = req.get('origin');
  return origin !== undefined && allowed.has(origin);
}

function checkRequest(
  req: Request,
  allowed: ReadonlySet<string>,
  header: string,
  field: string,
): CsrfRefusal | undefined {
  if (!originAllowed(req, allowed)) return 'CSRF_ORIGIN';

  const session = req.session as unknown as Record<string, unknown>;
  const expected = session[SESSION_KEY];
  const presented = presentedToken(req, header, field);
  if (typeof expected !== 'string' || presented === undefined) {
    return 'CSRF_TOKEN_MISSING';
  }
  return sameToken(expected, presented) ? undefined : 'CSRF_TOKEN';
}

function normalizeOrigins(value: unknown): ReadonlySet<string> {
  if (!Array.isArray(value) || value.length === 0) {
    throw configError(
      PACKAGE,
      'allowedOrigins',
      'must list at least one origin',
    );
  }

  return new Set(
    value.map((origin, index) => {
      const url = parseSecureUrl(PACKAGE, `allowedOrigins[${index}]`, origin);
      if (url.origin !== origin) {
        throw configError(
          PACKAGE,
          `allowedOrigins[${index}]`,
          `must be a bare origin such as "${url.origin}"`,
        );
      }
      return url.origin;
    }),
  );
}

/**
 * Creates the CSRF middleware. Mount it after the session middleware (and
 * after a body parser when forms carry the token) on every route group that
 * accepts unsafe methods with the session cookie.
 *
 * @throws TypeError at startup when an option is missing or malformed.
 * @example
 * app.use(sessions, express.urlencoded({ extended: false }));
 * app.use(createCsrfProtection({ allowedOrigins: ['https://app.example'] }));
 * // in a form: <input type="hidden" name="_csrf" value="${csrfToken(req)}">
 */
export function createCsrfProtection(options: CsrfOptions): RequestHandler {
  if (typeof options !== 'object' || options === null) {
    throw configError(PACKAGE, 'options', 'must be an object');
  }
  rejectUnknownKeys(PACKAGE, options, [
    'allowedOrigins',
    'headerName',
    'fieldName',
    'logger',
    'audit',
  ]);
  const allowed = normalizeOrigins(options.allowedOrigins);
  const header = (options.headerName ?? DEFAULT_HEADER).toLowerCase();
  const field = options.fieldName ?? DEFAULT_FIELD;
  const logger = optionalLogger(PACKAGE, options.logger);
  const audit = optionalAuditBus(PACKAGE, options.audit);

  return function portcullisCsrf(req, _res, next) {
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }

    const refusal = checkRequest(req, allowed, header, field);
    if (refusal === undefined) {
      next();
      return;
    }

    logger.warn('cross-site request refused', { reason: refusal });
    audit?.emit('csrf.refused', { reason: refusal });
    next(
      new AccessDeniedError('the request failed the cross-site request check'),
    );
  };
}
