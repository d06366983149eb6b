/**
 * The resource-server guard for Express: reads an RFC 6750 bearer token,
 * hands it to the verifier core and attaches the result as `req.auth`, or
 * hands an RFC 6750 error to `next`. A thin layer over `createVerifier`.
 */

import type { NextFunction, Request, RequestHandler } from 'express';

import { configError } from '@portcullis/core';

import { MissingTokenError } from './errors.js';
import { checkTokenSyntax, extractCredentials } from './extract-token.js';
import type { Credentials } from './extract-token.js';
import { toAuthError } from './map-error.js';
import { normalizeOptions } from './options.js';
import type { VerifierOptions } from './options.js';
import type { DpopRequest } from './dpop.js';
import { certificateDer, checkMtls } from './mtls.js';
import type { MtlsOptions } from './mtls.js';
import { reportAccepted, reportRefused } from './report.js';
import type { AuthContext } from './request-auth.js';
import { buildVerifier } from './verifier.js';
import type { Verifier } from './verifier.js';

// RFC 9449 section 4.3: exactly one DPoP header. The htu is compared with
// the URL the client used; behind a proxy, Express's `trust proxy` setting
// decides what req.protocol and req.host report (LIM-015).
function dpopRequest(req: Request): DpopRequest {
  const raw = req.headersDistinct?.dpop ?? [];
  return {
    proof: raw.length === 1 ? raw[0] : undefined,
    method: req.method,
    url: `${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`,
  };
}

/** Options of `requireAuth`: the verifier's, plus the middleware's own. */
export interface RequireAuthOptions extends VerifierOptions {
  /**
   * Admit requests without bearer credentials, leaving `req.auth` unset. A
   * presented token that fails is still refused. Default: false.
   */
  optional?: boolean;
  /**
   * RFC 8705 certificate-bound tokens: where the client certificate comes
   * from, and whether every token must be bound. Bound tokens are always
   * checked against the socket certificate. Default: socket, not required.
   */
  mtls?: MtlsOptions;
  /**
   * Fetch every remote JWKS when the middleware is built instead of on the
   * first request; a failure is logged and retried on demand. Default:
   * false.
   */
  preload?: boolean;
}

const MIDDLEWARE_KEYS = ['optional', 'preload', 'mtls'];

function checkFlag(name: string, value: unknown): boolean {
  if (value === undefined || typeof value === 'boolean') return value === true;
  throw configError('@portcullis/jwt-guard', name, 'must be a boolean');
}

/**
 * Creates middleware that admits only requests with a valid bearer token
 * (or, with `optional`, also requests without one).
 *
 * On success `req.auth` holds the verified token; on failure `next`
 * receives an AuthError for `authErrorHandler` to render: 401
 * `invalid_token`, 400 `invalid_request`, 503 `temporarily_unavailable`
 * when keys or the deny-list cannot answer.
 *
 * Limitations: `typ` is checked only when asked (LIM-001); the DPoP `htu`
 * follows Express's `trust proxy` (LIM-015); the default DPoP replay store
 * and nonce provider are per process (LIM-014, LIM-016).
 *
 * @param options - see {@link RequireAuthOptions}; defaults:
 * `clockToleranceSeconds` 5, `maxTokenBytes` 8192, `optional` false.
 * @throws TypeError at startup, naming the option, when one is missing,
 * unknown or unsafe (such as `none` or `HS256` without `secret`).
 *
 * @example
 * app.use(
 *   '/api',
 *   requireAuth({
 *     issuer: 'https://auth.example.com',
 *     audience: 'https://api.example.com',
 *     jwksUri: 'https://auth.example.com/.well-known/jwks.json',
 *     algorithms: ['ES256'],
 *   }),
 * );
 * app.use(authErrorHandler());
 */
export function requireAuth(options: RequireAuthOptions): RequestHandler {
  const config = normalizeOptions(options, MIDDLEWARE_KEYS);
  const optional = checkFlag('optional', options.optional);
  const mtls = checkMtls(options.mtls);
  const verifier: Verifier = buildVerifier(config);
  if (checkFlag('preload', options.preload)) {
    verifier.preload().catch(() => {
      config.logger.warn('JWKS preload failed; retrying on demand');
    });
  }

  const schemes: ('bearer' | 'dpop')[] =
    config.dpop === undefined ? ['bearer'] : ['bearer', 'dpop'];

  function fail(error: unknown, next: NextFunction): void {
    const authError = toAuthError(error);
    if (optional && authError instanceof MissingTokenError) {
      reportAccepted(config, 'JWT_GUARD_ANONYMOUS');
      next();
      return;
    }

    reportRefused(config, authError);
    next(authError);
  }

  // Express 4 ignores a returned promise, so the handler never returns one:
  // every outcome ends in an explicit call to next.
  return function portcullisRequireAuth(req: Request, _res, next) {
    let credentials: Credentials;
    try {
      credentials = extractCredentials(
        req.headers.authorization,
        config.maxTokenBytes,
        schemes,
        false,
      );
    } catch (error) {
      fail(error, next);
      return;
    }

    const { scheme, token } = credentials;
    const dpop = scheme === 'dpop' ? dpopRequest(req) : undefined;
    let certificate: Uint8Array | undefined;
    try {
      certificate = certificateDer(mtls.certificate(req));
    } catch {
      certificate = undefined;
    }

    const requireCertificateBinding = mtls.required;
    const context = { scheme, dpop, certificate, requireCertificateBinding };
    // A cached token that needs no I/O is answered in this same turn.
    let cached: AuthContext | undefined;
    try {
      cached = verifier.verifyCached(token, context);
    } catch (error) {
      next(toAuthError(error));
      return;
    }

    if (cached !== undefined) {
      req.auth = cached;
      next();
      return;
    }

    try {
      checkTokenSyntax(token);
    } catch (error) {
      fail(error, next);
      return;
    }

    verifier.verify(token, context).then(
      (auth) => {
        req.auth = auth;
        next();
      },
      (error: unknown) => next(toAuthError(error)),
    );
  };
}
