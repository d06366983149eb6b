import express from 'express';
import request from 'supertest';

import {
  InvalidTokenError,
  TemporarilyUnavailableError,
  authErrorHandler,
} from '../src/index.js';
import type { Logger } from '../src/index.js';

function appThrowing(error: unknown, logger?: Logger) {
  const app = express();
  app.get('/', () => {
    throw error;
  });
  app.use(authErrorHandler({ logger }));
  return app;
}

describe('authErrorHandler', () => {
  it('renders an AuthError with its status, headers and RFC body', async () => {
    const error = new InvalidTokenError('the access token is invalid', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      cause: new Error('signature mismatch for eyJhbGciOi'),
    });
    const res = await request(appThrowing(error)).get('/');

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token"',
    );
    expect(res.body).toEqual({
      error: 'invalid_token',
      error_description: 'the access token is invalid',
    });
    expect(res.text).not.toContain('eyJ');
  });

  it('renders any other error as a bare 500 without a stack', async () => {
    const logged: unknown[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn() {},
      error: (_m, fields) => logged.push(fields),
    };
    const res = await request(
      appThrowing(new Error('secret internals at /srv/app.js:10'), logger),
    ).get('/');

    expect(res.status).toBe(500);
    expect(res.body.error).toBe('server_error');
    expect(res.text).not.toMatch(/internals|at \//);
    expect(logged).toHaveLength(1);
  });

  it('answers a client error raised by Express with its 4xx status', async () => {
    const app = express();
    app.get('/login/:provider', (_req, res) => {
      res.send('unreachable');
    });
    app.use(authErrorHandler());
    const res = await request(app).get('/login/%zz');

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'the request is malformed',
    });
  });

  it('logs the cause of a 503', async () => {
    const logged: unknown[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn() {},
      error: (_m, fields) => logged.push(fields),
    };
    const cause = new Error('ECONNREFUSED');
    const res = await request(
      appThrowing(
        new TemporarilyUnavailableError('try later', { cause }),
        logger,
      ),
    ).get('/');

    expect(res.status).toBe(503);
    expect(logged).toEqual([{ code: 'temporarily_unavailable', cause }]);
  });
});
