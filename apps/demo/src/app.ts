/**
 * The demo application: composes every Portcullis package. Pages use the
 * cookie session; `/api` is protected by the JWT guard, and a browser call
 * to it is given an access token that the server minted for the session
 * (backend-for-frontend: no token ever reaches the browser).
 */

import express from 'express';
import helmet from 'helmet';
import type { Express, NextFunction, Request, Response } from 'express';
import { InvalidGrantError, authErrorHandler } from '@portcullis/core';
import type { AuditBus, Logger } from '@portcullis/core';
import { createFederatedLogin } from '@portcullis/federated-login';
import type { ProviderConfig } from '@portcullis/federated-login';
import { requireAuth } from '@portcullis/jwt-guard';
import {
  createCsrfProtection,
  createSessionManager,
  createSessionMiddleware,
  createTokenBridge,
  csrfToken,
} from '@portcullis/session-bridge';
import type {
  RefreshRequest,
  TokenBridge,
  TokenSet,
} from '@portcullis/session-bridge';
import {
  createMemoryDenyList,
  createMemorySessionStore,
} from '@portcullis/stores';
import { createTokenService } from '@portcullis/token-service';
import type { TokenService } from '@portcullis/token-service';

import { accountRoutes } from './account-routes.js';
import { homePage, profilePage } from './pages.js';
import type { TestCredential } from './pages.js';
import { createUserDirectory } from './users.js';
import type { DemoUser } from './users.js';

/** Options of {@link createDemoApp}. */
export interface DemoAppOptions {
  /** The demo's public origin, such as http://127.0.0.1:3000. */
  baseUrl: string;
  /** Identity providers for the sign-in buttons. */
  providers: ProviderConfig[];
  /** 32-byte key sealing the session's tokens at rest. */
  tokenEncryptionKey: Buffer;
  /** 32-byte key sealing every session's data at rest. */
  sessionEncryptionKey: Buffer;
  /** The folder of static files (styles, scripts). */
  publicDir: string;
  /** Credentials listed on the home page for the local IdP. */
  testUsers: readonly TestCredential[];
  logger: Logger;
  audit: AuditBus;
}

function sessionUser(req: Request): DemoUser | undefined {
  return req.session.user as DemoUser | undefined;
}

/**
 * Gives a browser's API call the session's access token (the BFF pattern):
 * the token bridge keeps it sealed in the session and renews it before it
 * expires; the browser never sees it.
 */
function bearerFromSession(bridge: TokenBridge, audience: string) {
  return async function attachSessionToken(
    req: Request,
    _res: Response,
    next: NextFunction,
  ) {
    if (req.headers.authorization !== undefined || !sessionUser(req)) {
      next();
      return;
    }

    try {
      const token = await bridge.getAccessToken(req, { audience });
      req.headers.authorization = `Bearer ${token}`;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Mints the session's access tokens: the demo's stand-in for a refresh. */
function mintForSession(tokens: TokenService) {
  return async ({ req, audience }: RefreshRequest): Promise<TokenSet> => {
    const user = sessionUser(req);
    if (user === undefined) throw new InvalidGrantError('no signed-in user');

    const minted = await tokens.mintAccessToken({
      subject: user.id,
      audience,
      clientId: 'portcullis-demo',
      scope: ['profile:read'],
      sessionId: req.session.publicId,
    });
    return { accessToken: minted.accessToken, expiresAt: minted.expiresAt };
  };
}

/** The origins of the providers' issuers, for the CSP. */
function idpOrigins(providers: readonly ProviderConfig[]): string[] {
  return [...new Set(providers.map((p) => new URL(p.issuer).origin))];
}

/** Builds the demo's Express application. */
export async function createDemoApp(options: DemoAppOptions): Promise<Express> {
  const { logger, audit } = options;
  const baseUrl = new URL(options.baseUrl);
  const audience = new URL('/api', baseUrl).href;
  const tokens = await createTokenService({
    issuer: baseUrl.origin,
    audit,
    logger,
  });
  const denyList = createMemoryDenyList();
  const bridge = createTokenBridge({
    encryptionKey: options.tokenEncryptionKey,
    refresh: mintForSession(tokens),
  });
  const users = createUserDirectory();
  const sessionStore = createMemorySessionStore();
  const manager = createSessionManager({ store: sessionStore, denyList });
  const sessions = createSessionMiddleware({
    store: sessionStore,
    origin: baseUrl.origin,
    userIdOf: (data) => (data.user as DemoUser | undefined)?.id,
    idpSession: { denyList },
    encryptionKey: options.sessionEncryptionKey,
    audit,
    logger,
  });
  const login = createFederatedLogin({
    baseUrl: baseUrl.origin,
    providers: options.providers,
    resolveUser: (profile) => users.resolve(profile),
    successRedirect: '/profile',
    // The IdP ended one of its sessions: end the sessions that came from
    // it, or every session of the user when only the subject is named.
    onBackchannelLogout: async ({ issuer, subject, sid }) => {
      if (sid !== undefined) {
        await manager.endByIdpSession(issuer, sid);
        return;
      }
      const user = subject ? users.byIdentity(issuer, subject) : undefined;
      if (user !== undefined) await manager.endAllForUser(user.id);
    },
    audit,
    logger,
  });
  const guard = requireAuth({
    issuer: tokens.issuer,
    audience,
    jwksUri: tokens.jwksUri,
    algorithms: ['ES256'],
    requiredType: 'at+jwt',
    isRevoked: (claims) => denyList.has(`sid:${String(claims.sid)}`),
    audit,
    logger,
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          upgradeInsecureRequests: baseUrl.protocol === 'https:' ? [] : null,
          // The logout form redirects to the IdP's end-session endpoint;
          // browsers apply form-action to a form's redirects too.
          formAction: ["'self'", ...idpOrigins(options.providers)],
        },
      },
      strictTransportSecurity: baseUrl.protocol === 'https:',
    }),
  );
  app.use('/static', express.static(options.publicDir, { index: false }));
  app.use(tokens.router());
  app.use(sessions);
  app.use(login.router);
  app.use(express.urlencoded({ extended: false, limit: '4kb' }));
  app.use(
    createCsrfProtection({ allowedOrigins: [baseUrl.origin], logger, audit }),
  );

  app.get('/api/me', bearerFromSession(bridge, audience), guard, (req, res) => {
    const claims = req.auth!.claims;
    res.set('Cache-Control', 'no-store').json({
      sub: claims.sub,
      iss: claims.iss,
      aud: claims.aud,
      scope: claims.scope,
      sid: claims.sid,
      exp: claims.exp,
    });
  });

  app.get('/', (req, res) => {
    res
      .type('html')
      .send(homePage(login.providers, sessionUser(req), options.testUsers));
  });

  app.get('/profile', (req, res) => {
    const user = sessionUser(req);
    if (user === undefined) {
      res.redirect(303, '/');
      return;
    }
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(profilePage(user, csrfToken(req)));
  });

  app.use(
    accountRoutes({
      sessions: manager,
      denyList,
      audit,
      endSessionUrl: (req) => login.endSessionUrl(req),
    }),
  );

  app.use((_req, res) => {
    res.status(404).type('text').send('not found');
  });
  app.use(authErrorHandler({ logger }));
  return app;
}
