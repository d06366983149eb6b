// An Express app with sessions and the login router, served on an
// ephemeral loopback port, and a dev IdP that knows its callback.

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import { createAuditBus } from '@portcullis/core';
import type { AuditEvent } from '@portcullis/core';
import { createSessionMiddleware } from '@portcullis/session-bridge';
import { createMemorySessionStore } from '@portcullis/stores';

import { spawnDevIdp } from '../../../../test-support/spawn-dev-idp.js';
import type { SpawnedDevIdp } from '../../../../test-support/spawn-dev-idp.js';
import { createFederatedLogin, oidcProvider } from '../../src/index.js';
import type { FederatedProfile, ProviderConfig } from '../../src/index.js';

export const CLIENT_ID = 'login-tests';
export const CLIENT_SECRET = 'login-tests-client-secret';

export interface LoginHarness {
  baseUrl: string;
  idp: SpawnedDevIdp;
  /** Profiles handed to resolveUser, in order. */
  resolved: FederatedProfile[];
  /** Audit events emitted so far. */
  events: AuditEvent[];
  /** What resolveUser answers next: a user, or false to refuse. */
  answer: { value: unknown };
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

/** A loopback URL on which nothing listens. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  const url = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return url;
}

export async function startLoginHarness(): Promise<LoginHarness> {
  const server = createServer();
  const baseUrl = await listen(server);
  const idp = await spawnDevIdp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`${baseUrl}/login/dev/callback`],
  });

  const resolved: FederatedProfile[] = [];
  const events: AuditEvent[] = [];
  const answer = { value: { id: 'local-1' } as unknown };
  const audit = createAuditBus();
  audit.onAny((event) => events.push(event));

  const down: ProviderConfig = {
    name: 'down',
    displayName: 'Unreachable IdP',
    issuer: await closedPortUrl(),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  };
  const login = createFederatedLogin({
    baseUrl,
    providers: [
      oidcProvider({
        name: 'dev',
        displayName: 'Dev IdP',
        issuer: idp.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      }),
      down,
    ],
    resolveUser: (profile) => {
      resolved.push(profile);
      return answer.value;
    },
    successRedirect: '/me',
    audit,
  });

  const app = express();
  app.use(
    createSessionMiddleware({
      store: createMemorySessionStore(),
      origin: baseUrl,
    }),
  );
  app.use(login.router);
  app.get('/me', (req, res) => {
    res.json({
      user: req.session.user ?? null,
      login: req.session.login ?? null,
    });
  });
  server.on('request', app);

  return {
    baseUrl,
    idp,
    resolved,
    events,
    answer,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await idp.stop();
    },
  };
}
