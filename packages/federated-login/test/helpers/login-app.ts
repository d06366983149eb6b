// An Express app with sessions and the login router, served on an
// ephemeral loopback port, and a dev IdP that knows its callbacks. The IdP
// also stands in for Google (`hd`) and Entra ID (`tid`) through the presets'
// issuer override and its extra user claims.

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import { createAuditBus } from '@portcullis/core';
import type { AuditEvent } from '@portcullis/core';
import {
  createSessionManager,
  createSessionMiddleware,
} from '@portcullis/session-bridge';
import type { SessionManager } from '@portcullis/session-bridge';
import { createMemorySessionStore } from '@portcullis/stores';

import { spawnDevIdp } from '../../../../test-support/spawn-dev-idp.js';
import type { SpawnedDevIdp } from '../../../../test-support/spawn-dev-idp.js';
import {
  createFederatedLogin,
  entraProvider,
  googleProvider,
  oidcProvider,
} from '../../src/index.js';
import type {
  BackchannelLogoutEvent,
  FederatedLoginOptions,
  FederatedProfile,
  ProviderConfig,
  ResolveUser,
} from '../../src/index.js';

export const CLIENT_ID = 'login-tests';
export const CLIENT_SECRET = 'login-tests-client-secret';

/** Users of the dev IdP: alice and bob carry Google and Entra claims. */
export const IDP_USERS = [
  {
    sub: 'user-alice',
    email: 'alice@example.test',
    password: 'alice-password',
    name: 'Alice Example',
    emailVerified: true,
    claims: { hd: 'example.test', tid: 'tenant-a' },
  },
  {
    sub: 'user-bob',
    email: 'bob@example.test',
    password: 'bob-password',
    name: 'Bob Example',
    emailVerified: true,
    claims: { hd: 'other.test', tid: 'tenant-b' },
  },
  {
    sub: 'user-mallory',
    email: 'mallory@example.test',
    password: 'mallory-password',
    name: 'Mallory Example',
    emailVerified: false,
  },
];

const PROVIDER_NAMES = ['dev', 'dev2', 'google', 'entra'];

export interface LoginHarness {
  baseUrl: string;
  idp: SpawnedDevIdp;
  /** Profiles handed to resolveUser, in order. */
  resolved: FederatedProfile[];
  /** Audit events emitted so far. */
  events: AuditEvent[];
  /** What resolveUser answers next: a user, or false to refuse. */
  answer: { value: unknown };
  /** The session manager over the harness's store. */
  sessions: SessionManager;
  /** Back-channel logout events handed to the app. */
  logouts: BackchannelLogoutEvent[];
  /** Logout tokens the IdP posted, as received. */
  logoutTokens: string[];
  /** Stops the dev IdP (its port is kept for restartIdp). */
  stopIdp(): Promise<void>;
  /** Starts the dev IdP again on the same port. */
  restartIdp(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startLoginHarness}. */
export interface HarnessOptions {
  /** Replaces the recording resolveUser. */
  resolveUser?: ResolveUser;
  /** Extra options of createFederatedLogin. */
  login?: Partial<FederatedLoginOptions>;
  /** Serve the IdP on a fixed free port, so it can be restarted. */
  restartable?: boolean;
  /**
   * Index sessions by `req.session.user.id` in the store (session-bridge's
   * userIdOf), and end them on back-channel logout through the session
   * manager, for the user id `issuer|subject`.
   */
  endSessionsByUser?: boolean;
}

export function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

/** A loopback URL on which nothing listens. */
export async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  const url = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return url;
}

function providersFor(issuer: string, down: string): ProviderConfig[] {
  const credentials = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
  return [
    oidcProvider({
      name: 'dev',
      displayName: 'Dev IdP',
      issuer,
      ...credentials,
    }),
    oidcProvider({
      name: 'dev2',
      displayName: 'Dev 2',
      issuer,
      ...credentials,
    }),
    googleProvider({ ...credentials, issuer, hostedDomains: ['example.test'] }),
    entraProvider({
      ...credentials,
      name: 'entra',
      issuer,
      tenant: 'organizations',
      allowedTenants: ['tenant-a'],
    }),
    { name: 'down', displayName: 'Down', issuer: down, ...credentials },
  ];
}

export async function startLoginHarness(
  options: HarnessOptions = {},
): Promise<LoginHarness> {
  const server = createServer();
  const baseUrl = await listen(server);
  const port = options.restartable
    ? Number(new URL(await closedPortUrl()).port)
    : 0;
  const spawnOptions = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: PROVIDER_NAMES.map((n) => `${baseUrl}/login/${n}/callback`),
    postLogoutRedirectUris: [`${baseUrl}/`],
    backchannelLogoutUri: `${baseUrl}/login/dev/backchannel-logout`,
    users: IDP_USERS,
    port,
  };
  let idp = await spawnDevIdp(spawnOptions);
  const fixedIssuer = idp.issuer;

  const resolved: FederatedProfile[] = [];
  const events: AuditEvent[] = [];
  const answer = { value: { id: 'local-1' } as unknown };
  const logouts: BackchannelLogoutEvent[] = [];
  const logoutTokens: string[] = [];
  // IdP sessions ended by back-channel logout, as "issuer sid".
  const endedIdpSessions = new Set<string>();
  const audit = createAuditBus();
  audit.onAny((event) => events.push(event));

  const store = createMemorySessionStore();
  const sessions = createSessionManager({ store });
  const login = createFederatedLogin({
    baseUrl,
    providers: providersFor(idp.issuer, await closedPortUrl()),
    resolveUser:
      options.resolveUser ??
      ((profile) => {
        resolved.push(profile);
        return answer.value;
      }),
    successRedirect: '/me',
    onBackchannelLogout: async (event) => {
      logouts.push(event);
      if (options.endSessionsByUser) {
        await sessions.endAllForUser(`${event.issuer}|${event.subject}`);
      } else {
        endedIdpSessions.add(`${event.issuer} ${event.sid}`);
      }
    },
    audit,
    ...options.login,
  });

  const app = express();
  app.use(
    createSessionMiddleware({
      store,
      origin: baseUrl,
      userIdOf: (data) => {
        const user = data.user as { id?: unknown } | undefined;
        return typeof user?.id === 'string' ? user.id : undefined;
      },
    }),
  );
  // The app's side of back-channel logout: a session whose IdP session
  // ended is destroyed on its next request.
  app.use(async (req, _res, next) => {
    const signedIn = req.session.login as
      { issuer?: string; sid?: string } | undefined;
    if (endedIdpSessions.has(`${signedIn?.issuer} ${signedIn?.sid}`)) {
      await req.session.destroy();
    }
    next();
  });
  app.post(
    '/login/dev/backchannel-logout',
    express.urlencoded({ extended: false }),
    (req, _res, next) => {
      logoutTokens.push(String(req.body?.logout_token));
      next();
    },
  );
  app.use(login.router);
  app.get('/me', (req, res) => {
    res.json({
      user: req.session.user ?? null,
      login: req.session.login ?? null,
    });
  });
  app.post('/logout', async (req, res) => {
    const idpLogout = await login.endSessionUrl(req);
    await req.session.destroy();
    res.redirect(303, idpLogout ?? '/');
  });
  server.on('request', app);

  let running = true;
  return {
    baseUrl,
    get idp() {
      return idp;
    },
    resolved,
    events,
    answer,
    sessions,
    logouts,
    logoutTokens,
    async stopIdp() {
      running = false;
      await idp.stop();
    },
    async restartIdp() {
      idp = await spawnDevIdp(spawnOptions);
      running = true;
      if (idp.issuer !== fixedIssuer) throw new Error('IdP moved');
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (running) await idp.stop();
    },
  };
}
