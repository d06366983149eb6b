/**
 * Request plumbing shared by the token endpoints: the form body (RFC 6749
 * section 3.2: urlencoded, no repeated parameter), `no-store` responses and
 * the RFC 6749 section 5.2 error renderer.
 */

import express from 'express';
import type {
  ErrorRequestHandler,
  Request,
  RequestHandler,
  Response,
} from 'express';

import { InvalidRequestError, isAuthError } from '@portcullis/core';
import type { Logger } from '@portcullis/core';

/** RFC 6749 section 5.1: token responses are never cached. */
export const NO_STORE = Object.freeze({
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
});

/** Parses `application/x-www-form-urlencoded` bodies up to 16 KiB. */
export const parseForm: RequestHandler = express.urlencoded({
  extended: false,
  limit: '16kb',
  parameterLimit: 50,
});

/**
 * The body as single-valued strings.
 *
 * @throws InvalidRequestError when the body is not a form or a parameter
 * appears more than once.
 */
export function formOf(req: Request): Record<string, string> {
  if (!req.is('application/x-www-form-urlencoded')) {
    throw new InvalidRequestError(
      'the body must be application/x-www-form-urlencoded',
    );
  }

  const body = (req.body ?? {}) as Record<string, unknown>;
  const form: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') {
      throw new InvalidRequestError(`parameter "${name}" is repeated`);
    }
    form[name] = value;
  }
  return form;
}

/** Sends `body` as JSON with the no-store headers. */
export function sendNoStore(res: Response, body: unknown): void {
  res.status(200).set(NO_STORE).json(body);
}

/**
 * Renders errors as RFC 6749 JSON with `no-store`: AuthErrors with their
 * code, status and headers; parser 4xx as `invalid_request`; anything else
 * as a bare `server_error`. No stack trace or token is ever sent.
 */
export function oauthErrorHandler(logger: Logger): ErrorRequestHandler {
  return function portcullisTokenErrors(err, _req, res, next) {
    if (res.headersSent) {
      next(err);
      return;
    }

    if (isAuthError(err)) {
      if (err.status >= 500) {
        logger.error('token endpoint failed', {
          code: err.code,
          cause: err.cause,
        });
      }
      res.status(err.status).set(err.headers).set(NO_STORE).json(err.toJSON());
      return;
    }

    const status = (err as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(400).set(NO_STORE).json({
        error: 'invalid_request',
        error_description: 'the request is malformed',
      });
      return;
    }

    logger.error('token endpoint error', { error: err });
    res.status(500).set(NO_STORE).json({
      error: 'server_error',
      error_description: 'the server could not complete the request',
    });
  };
}
