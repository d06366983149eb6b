/**
 * startDevIdp: a local OpenID Provider (OpenID Connect Core 1.0, code flow)
 * on 127.0.0.1, built on oidc-provider, for the demo and the tests.
 */

/// <reference path="./oidc-provider.d.ts" />

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
// The named export: require(esm) of a default export breaks the CJS build.
import { Provider } from 'oidc-provider';

import { createCredentialChecker } from './credentials.js';
import { INTERACTION_MOUNT_PATH } from './interaction-path.js';
import { createInteractionRouter } from './interactions.js';
import { normalizeOptions } from './options.js';
import { createProviderConfiguration } from './provider-config.js';
import { generateSigningJwk } from './signing-key.js';
import type { DevIdpConfig, DevIdpOptions } from './options.js';
import type { TestUser } from './test-users.js';

const LOOPBACK_HOST = '127.0.0.1';

/** A running dev IdP. */
export interface DevIdp {
  /** The issuer identifier, `http://127.0.0.1:PORT`, with no trailing slash. */
  readonly issuer: string;
  /** The users that can sign in. */
  readonly users: readonly TestUser[];
  /** Stops listening and closes every open connection. Idempotent. */
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: LOOPBACK_HOST }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

function createApp(provider: Provider, config: DevIdpConfig) {
  const app = express();
  app.disable('x-powered-by');
  const checker = createCredentialChecker(config.users);
  app.use(INTERACTION_MOUNT_PATH, createInteractionRouter(provider, checker));

  app.use(provider.callback());
  return app;
}

/**
 * Starts a dev IdP: generates a fresh RS256 signing key and cookie keys,
 * listens on 127.0.0.1 and serves discovery, the authorization, token,
 * userinfo, JWKS and end-session endpoints, and a login form.
 *
 * @param options - `clients` (required), `port` (default 0, ephemeral) and
 *   `users` (default DEFAULT_TEST_USERS).
 * @throws TypeError when an option is wrong; the listen error (such as
 *   EADDRINUSE) when the port is taken.
 * @example
 * const idp = await startDevIdp({
 *   clients: [{
 *     clientId: 'portcullis-demo',
 *     clientSecret: 'portcullis-demo-secret',
 *     redirectUris: ['http://127.0.0.1:3000/login/google/callback'],
 *   }],
 * });
 * // idp.issuer is http://127.0.0.1:PORT; sign in as alice@example.test
 * await idp.close();
 */
export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  const config = normalizeOptions(options);
  const signingJwk = await generateSigningJwk();

  const server = createServer();
  const port = await listen(server, config.port);
  const issuer = `http://${LOOPBACK_HOST}:${port}`;
  try {
    const configuration = createProviderConfiguration({ config, signingJwk });
    const provider = new Provider(issuer, configuration);
    server.on('request', createApp(provider, config));
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  let closing: Promise<void> | undefined;
  return Object.freeze({
    issuer,
    users: config.users,
    close: () => (closing ??= closeServer(server)),
  });
}
