/**
 * A small forwarding proxy for the backend-for-frontend pattern: a browser
 * call under the mount path goes to the downstream API with the session's
 * access token attached. Cookies and the browser's own Authorization header
 * never travel downstream.
 */

import { Readable } from 'node:stream';

import {
  AuthError,
  InvalidRequestError,
  configError,
  parseSecureUrl,
  rejectUnknownKeys,
} from '@portcullis/core';
import type { Request, RequestHandler } from 'express';

import type { TokenBridge } from './token-bridge.js';

const PACKAGE = '@portcullis/session-bridge';
const DEFAULT_TIMEOUT_MS = 10_000;
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'content-length'];
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'cache-control',
  'www-authenticate',
  'location',
];

/** Options of {@link createApiProxy}. */
export interface ApiProxyOptions {
  /** Supplies the session's access tokens. Required. */
  tokens: TokenBridge;
  /** The downstream API's base URL; the mount path's remainder is appended. */
  target: string;
  /** The audience of the tokens to send. Default: `target`. */
  audience?: string;
  /** Milliseconds to wait for the downstream API. Default: 10000. */
  timeoutMs?: number;
}

/** 502 `server_error` for a downstream API that failed or did not answer. */
class BadGatewayError extends AuthError {
  constructor(cause: unknown) {
    super('server_error', 502, 'the downstream API did not answer', { cause });
  }
}

function downstreamUrl(target: URL, req: Request): URL {
  const base = target.href.endsWith('/') ? target.href : `${target.href}/`;
  const url = new URL(req.url.replace(/^\/+/, ''), base);
  if (
    url.origin !== target.origin ||
    !url.pathname.startsWith(target.pathname)
  ) {
    throw new InvalidRequestError('the request path leaves the API');
  }
  return url;
}

function requestHeaders(req: Request, token: string): Headers {
  const headers = new Headers({ authorization: `Bearer ${token}` });
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.get(name);
    if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/**
 * Creates the proxy middleware. Mount it under a path and after the session
 * middleware and the CSRF check.
 *
 * @throws TypeError at startup when an option is missing or malformed.
 * @example
 * app.use('/bff/orders', createApiProxy({
 *   tokens,
 *   target: 'https://orders.internal.example/v1',
 * }));
 */
export function createApiProxy(options: ApiProxyOptions): RequestHandler {
  rejectUnknownKeys(PACKAGE, options, [
    'tokens',
    'target',
    'audience',
    'timeoutMs',
  ]);
  if (typeof options.tokens?.getAccessToken !== 'function') {
    throw configError(PACKAGE, 'tokens', 'is required: expected a TokenBridge');
  }
  const target = parseSecureUrl(PACKAGE, 'target', options.target);
  const audience = options.audience ?? options.target;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return async function portcullisApiProxy(req, res, next) {
    let upstream: Response;
    try {
      const token = await options.tokens.getAccessToken(req, { audience });
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      upstream = await fetch(downstreamUrl(target, req), {
        method: req.method,
        headers: requestHeaders(req, token),
        body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
        duplex: 'half',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      } as RequestInit);
    } catch (error) {
      next(error instanceof AuthError ? error : new BadGatewayError(error));
      return;
    }

    let body: Buffer;
    try {
      body = Buffer.from(await upstream.arrayBuffer());
    } catch (error) {
      next(new BadGatewayError(error));
      return;
    }

    res.status(upstream.status);
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) res.set(name, value);
    }
    res.send(body);
  };
}
