/**
 * The resource-server guard: verifies an RFC 6750 bearer token against the
 * issuer's JWKS (RFC 7515, RFC 7519, RFC 9068) and attaches it as
 * `req.auth`, or hands an RFC 6750 error to `next`.
 */

import { jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyOptions } from 'jose';
import type { NextFunction, Request, RequestHandler } from 'express';

import type { AuthError } from '@portcullis/core';

import {
  INVALID_TOKEN_DESCRIPTION,
  MissingTokenError,
  invalidTokenError,
} from './errors.js';
import { extractBearerToken } from './extract-token.js';
import { createKeyResolver } from './key-resolver.js';
import { toAuthError } from './map-error.js';
import { normalizeOptions, warnAboutRiskyOptions } from './options.js';
import type { GuardConfig, RequireAuthOptions } from './options.js';
import type { AuthContext } from './request-auth.js';
import { checkRevocation } from './revocation.js';
import { parseScopes } from './scopes.js';

function buildVerifyOptions(config: GuardConfig): JWTVerifyOptions {
  return Object.freeze({
    issuer: config.issuer,
    audience: config.audience as string | string[],
    algorithms: config.algorithms as string[],
    clockTolerance: config.clockToleranceSeconds,
    requiredClaims: ['exp'],
    ...(config.requiredType === undefined ? {} : { typ: config.requiredType }),
  });
}

// jose checks `iat` only against a maximum token age; a token issued in the
// future (beyond the clock tolerance) is refused here.
function checkIssuedAt(config: GuardConfig, payload: JWTPayload): void {
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (
    typeof payload.iat === 'number' &&
    payload.iat > nowSeconds + config.clockToleranceSeconds
  ) {
    throw invalidTokenError(INVALID_TOKEN_DESCRIPTION, undefined);
  }
}

function reportRejection(config: GuardConfig, error: AuthError): void {
  // A request without credentials is routine, not a rejected token.
  if (error instanceof MissingTokenError) return;

  config.audit?.emit('token.rejected', { code: error.code });
  const cause = error.cause as { code?: unknown } | undefined;
  const reason = typeof cause?.code === 'string' ? cause.code : undefined;
  const level = error.status >= 500 ? 'warn' : 'debug';
  config.logger[level]('access token rejected', { code: error.code, reason });
}

/**
 * Creates middleware that admits only requests with a valid bearer token.
 *
 * It checks the signature against the issuer's JWKS with an algorithm from
 * the allowlist, then `iss`, `aud`, `exp` (required), `nbf`, `iat` (not
 * in the future) and, when configured, the `typ` header, then the optional
 * deny-list. On success `req.auth` holds the verified token; on
 * failure `next` receives an AuthError for `authErrorHandler` to render.
 *
 * @param options - see {@link RequireAuthOptions}; defaults:
 * `clockToleranceSeconds` 5, `maxTokenBytes` 8192.
 * @throws TypeError at startup, naming the option, when one is missing,
 * unknown or unsafe (such as `none` or `HS256` in `algorithms`).
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
  const config = normalizeOptions(options);
  warnAboutRiskyOptions(config);
  const resolveKey = createKeyResolver(config.jwksUrl);
  const verifyOptions = buildVerifyOptions(config);

  async function authenticate(req: Request): Promise<AuthContext> {
    const token = extractBearerToken(
      req.headers.authorization,
      config.maxTokenBytes,
    );
    const { payload, protectedHeader } = await jwtVerify(
      token,
      resolveKey,
      verifyOptions,
    );

    checkIssuedAt(config, payload);
    await checkRevocation(config.isRevoked, payload);
    return Object.freeze({
      token,
      header: protectedHeader,
      claims: payload,
      scopes: parseScopes(payload.scope),
    });
  }

  // Express 4 ignores a returned promise, so the handler never returns one:
  // both outcomes end in an explicit call to next.
  return function portcullisRequireAuth(req, _res, next: NextFunction) {
    authenticate(req).then(
      (auth) => {
        req.auth = auth;
        next();
      },
      (error: unknown) => {
        const authError = toAuthError(error);
        reportRejection(config, authError);
        next(authError);
      },
    );
  };
}
