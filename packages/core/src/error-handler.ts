/**
 * An Express error handler that renders AuthErrors as RFC 6749 / RFC 6750
 * JSON with their status and headers, client errors raised by Express as
 * `invalid_request`, and every other error as a bare 500.
 * It never sends a stack trace, a token or a library's message.
 */

import type { ErrorRequestHandler } from 'express';

import { isAuthError } from './errors.js';
import { silentLogger } from './logger.js';
import type { Logger } from './logger.js';

function clientErrorStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return status;
  }
  return undefined;
}

/** Options of {@link authErrorHandler}. */
export interface AuthErrorHandlerOptions {
  /** Receives the private cause of each error. Default: silent. */
  logger?: Logger;
}

/**
 * Creates the error-handling middleware; mount it after the routes.
 *
 * @example
 * app.use('/api', requireAuth(...), api);
 * app.use(authErrorHandler({ logger }));
 */
export function authErrorHandler(
  options: AuthErrorHandlerOptions = {},
): ErrorRequestHandler {
  const logger = options.logger ?? silentLogger;

  return function portcullisErrorHandler(err, _req, res, next) {
    if (res.headersSent) {
      next(err);
      return;
    }

    if (isAuthError(err)) {
      if (err.status >= 500) {
        logger.error('request failed', { code: err.code, cause: err.cause });
      }
      res.status(err.status).set(err.headers).json(err.toJSON());
      return;
    }

    // Express and body parsers mark client errors (a malformed URL
    // escape, a body too large) with a 4xx status; they are answered as
    // `invalid_request` without their message.
    const status = clientErrorStatus(err);
    if (status !== undefined) {
      res.status(status).json({
        error: 'invalid_request',
        error_description: 'the request is malformed',
      });
      return;
    }

    logger.error('unexpected error', { error: err });
    res.status(500).json({
      error: 'server_error',
      error_description: 'the server could not complete the request',
    });
  };
}
