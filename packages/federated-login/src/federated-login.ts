/**
 * The login router: `GET /login/:provider` starts an authorization code
 * flow and `GET /login/:provider/callback` finishes it, then hands the
 * verified profile to the application's `resolveUser` hook and signs the
 * user in on a fresh session id. It needs a session middleware that keeps
 * express-session's contract (`regenerate`, `save`), such as session-bridge.
 */

import { randomBytes } from 'node:crypto';

import * as client from 'openid-client';
import { Passport } from 'passport';
import { Router, urlencoded } from 'express';
import type { Request, Response } from 'express';

import { createBackchannelReceiver } from './backchannel-logout.js';
import { createDiscoveryCache } from './discovery-cache.js';
import { LoginError, toLoginError } from './errors.js';
import { createIdpBreaker } from './idp-breaker.js';
import { createOAuth2Strategy } from './oauth2-strategy.js';
import { OidcLoginStrategy } from './oidc-strategy.js';
import { normalizeOptions } from './options.js';
import { sendLoginErrorPage } from './pages.js';
import { safeReturnTo } from './return-to.js';
import { runStrategy } from './run-strategy.js';
import { callSession, sessionOf } from './session-access.js';
import {
  attachTransaction,
  attachedTransaction,
} from './transaction-binding.js';
import {
  pendingTransactions,
  saveTransaction,
  takeTransaction,
} from './transactions.js';
import type { DiscoveryCache } from './discovery-cache.js';
import type { IdpBreaker } from './idp-breaker.js';
import type {
  FederatedLoginConfig,
  FederatedLoginOptions,
  ResolvedProvider,
} from './options.js';
import type { FederatedProfile } from './profile.js';
import type { TransactionBinding } from './transaction-binding.js';
import type { LoginTransaction } from './transactions.js';

const STATE_BYTES = 32;
const LOGOUT_BODY_LIMIT = '32kb';
// The ID token stays server-side, for id_token_hint at logout.
const ID_TOKEN_KEY = 'portcullis.login.idToken';
const RETURN_TO = Symbol('portcullis.login.returnTo');

/** What the session keeps about how the user signed in. */
export interface FederatedLoginSession {
  provider: string;
  issuer: string;
  subject: string;
  /** The IdP session id (`sid` of the ID token), for back-channel logout. */
  sid?: string;
  /** Epoch seconds of the login. */
  authTime: number;
}

/** A provider as listed for login buttons. */
export interface ProviderLink {
  name: string;
  displayName: string;
  loginPath: string;
}

/** The result of {@link createFederatedLogin}. */
export interface FederatedLogin {
  /** Mount at the application's root: it serves `/login/...`. */
  router: Router;
  /** The configured providers, for rendering sign-in buttons. */
  providers: readonly ProviderLink[];
  /**
   * The IdP's end-session URL (OpenID Connect RP-Initiated Logout 1.0) for
   * the signed-in user, with `id_token_hint`, `client_id` and
   * `post_logout_redirect_uri`; undefined when the user did not sign in
   * with an OpenID provider that has an end-session endpoint, or it cannot
   * be reached. Call it before destroying the session, then redirect.
   */
  endSessionUrl(req: Request): Promise<string | undefined>;
}

interface ProviderRuntime {
  provider: ResolvedProvider;
  breaker: IdpBreaker;
  discovery: DiscoveryCache | undefined;
}

type Query = Record<string, unknown>;

// HEAD reaches GET routes in Express; link checkers and prefetchers must
// neither start a login nor consume one.
function refuseHead(req: Request, res: Response): boolean {
  if (req.method !== 'HEAD') return false;
  res.status(405).set('Allow', 'GET').end();
  return true;
}

function stripSlash(url: string): string {
  return url.replace(/\/$/, '');
}

function createBinding(config: FederatedLoginConfig): TransactionBinding {
  return {
    begin(req, seed) {
      const transaction: LoginTransaction = {
        ...seed,
        provider: String(req.params.provider),
        returnTo: String(
          (req as unknown as Record<symbol, unknown>)[RETURN_TO],
        ),
        expiresAt: config.clock() + config.transactionTtlMs,
      };
      const session = sessionOf(req);
      saveTransaction(
        session,
        transaction,
        config.maxPendingLogins,
        config.clock(),
      );
    },
    current: attachedTransaction,
  };
}

function createRuntime(
  config: FederatedLoginConfig,
  provider: ResolvedProvider,
  passport: InstanceType<typeof Passport>,
  binding: TransactionBinding,
): ProviderRuntime {
  const breaker = createIdpBreaker({
    failureThreshold: config.breakerFailureThreshold,
    cooldownMs: config.breakerCooldownMs,
  });
  const newState = () => randomBytes(STATE_BYTES).toString('base64url');
  if (provider.type === 'oauth2') {
    passport.use(
      provider.name,
      createOAuth2Strategy(provider, binding, {
        timeoutMs: config.idpTimeoutMs,
        newState,
      }),
    );
    return { provider, breaker, discovery: undefined };
  }

  const discovery = createDiscoveryCache(provider, {
    ttlMs: config.discoveryTtlMs,
    timeoutMs: config.idpTimeoutMs,
    onRefresh: (ok) =>
      ok ? breaker.recordSuccess() : breaker.recordFailure(config.clock()),
  });
  const strategy = new OidcLoginStrategy(provider, {
    discovery,
    transactions: binding,
    clock: config.clock,
    isUnavailable: () => breaker.isOpen(config.clock()),
  });
  passport.use(provider.name, strategy);
  return { provider, breaker, discovery };
}

/**
 * Creates the login router for the given providers.
 *
 * @throws TypeError at startup when an option is missing or unsafe.
 * @example
 * const login = createFederatedLogin({
 *   baseUrl: 'https://app.example',
 *   providers: [googleProvider({ clientId, clientSecret })],
 *   resolveUser: async (profile) => users.findOrCreate(profile),
 * });
 * app.use(sessions, login.router);
 */
export function createFederatedLogin(
  options: FederatedLoginOptions,
): FederatedLogin {
  const config = normalizeOptions(options);
  const passport = new Passport();
  const binding = createBinding(config);
  const runtimes = new Map<string, ProviderRuntime>();
  for (const provider of config.providers.values()) {
    runtimes.set(
      provider.name,
      createRuntime(config, provider, passport, binding),
    );
  }

  function fail(
    res: Response,
    runtime: ProviderRuntime | undefined,
    error: unknown,
  ) {
    const failure = toLoginError(error);
    const provider = runtime?.provider.name;
    config.logger.warn('login failed', {
      provider,
      code: failure.code,
      cause: failure.cause,
    });
    config.audit?.emit('auth.login.failed', {
      provider: provider ?? 'unknown',
      code: failure.code,
    });
    if (res.headersSent) return;
    sendLoginErrorPage(res, failure, provider && `/login/${provider}`);
  }

  function lookup(req: Request, res: Response): ProviderRuntime | undefined {
    const runtime = runtimes.get(String(req.params.provider));
    if (runtime === undefined) {
      fail(res, undefined, new LoginError('LOGIN_UNKNOWN_PROVIDER'));
    }
    return runtime;
  }

  // Network failures and 5xx count against the provider's breaker and make
  // discovery refresh; any other answer shows the IdP is up.
  function account(runtime: ProviderRuntime, error: unknown): LoginError {
    const failure = toLoginError(error);
    if (failure.code === 'LOGIN_IDP_UNAVAILABLE') {
      runtime.breaker.recordFailure(config.clock());
      runtime.discovery?.markStale();
    } else {
      runtime.breaker.recordSuccess();
    }
    return failure;
  }

  async function expectedIssuer(runtime: ProviderRuntime) {
    if (runtime.discovery === undefined) {
      return {
        issuer: stripSlash(runtime.provider.issuer.href),
        required: false,
      };
    }
    const metadata = (
      await runtime.discovery.get(config.clock())
    ).serverMetadata();
    return {
      issuer: metadata.issuer,
      required:
        metadata.authorization_response_iss_parameter_supported === true,
    };
  }

  // RFC 9207 section 2.4: a sent `iss` must be the provider's; when the
  // provider advertises support, a missing one is refused too.
  async function checkIssuer(runtime: ProviderRuntime, query: Query) {
    const expected = await expectedIssuer(runtime);
    if (query.iss === undefined && !expected.required) return;
    if (query.iss !== expected.issuer) {
      throw new LoginError('LOGIN_ISSUER_MISMATCH');
    }
  }

  async function signIn(
    req: Request,
    res: Response,
    profile: FederatedProfile,
    transaction: LoginTransaction,
    idToken: unknown,
  ): Promise<void> {
    let user: unknown;
    try {
      user = await config.resolveUser(profile, req);
    } catch (error) {
      if (error instanceof LoginError) throw error;
      throw new LoginError('LOGIN_RESOLVE_FAILED', { cause: error });
    }
    if (user === false || user === null || user === undefined) {
      throw new LoginError('LOGIN_REFUSED');
    }

    // Other tabs' logins in progress survive the new session id.
    const pending = pendingTransactions(sessionOf(req));
    await callSession(sessionOf(req), 'regenerate');
    const login: FederatedLoginSession = {
      provider: profile.provider,
      issuer: profile.issuer,
      subject: profile.subject,
      ...(typeof profile.claims.sid === 'string'
        ? { sid: profile.claims.sid }
        : {}),
      authTime: Math.floor(config.clock() / 1000),
    };
    const session = sessionOf(req);
    Object.assign(session, { user, login }, pending);
    if (typeof idToken === 'string') session[ID_TOKEN_KEY] = idToken;
    await callSession(session, 'save');
    config.audit?.emit('auth.login.succeeded', {
      provider: profile.provider,
      issuer: profile.issuer,
      subject: profile.subject,
    });
    res.redirect(303, transaction.returnTo);
  }

  async function start(req: Request, res: Response, runtime: ProviderRuntime) {
    if (runtime.breaker.isOpen(config.clock())) {
      throw new LoginError('LOGIN_IDP_UNAVAILABLE');
    }
    const query = req.query as Query;
    (req as unknown as Record<symbol, unknown>)[RETURN_TO] = safeReturnTo(
      query.returnTo,
      config.successRedirect,
    );

    try {
      await runStrategy(passport, runtime.provider.name, 'start', {
        req,
        res,
        deadlineMs: config.idpTimeoutMs,
      });
    } catch (error) {
      throw account(runtime, error);
    }
  }

  async function finish(req: Request, res: Response, runtime: ProviderRuntime) {
    const query = req.query as Query;
    const session = sessionOf(req);
    const taken = takeTransaction(
      session,
      runtime.provider.name,
      query.state,
      config.clock(),
    );
    if (typeof taken === 'string') throw new LoginError(taken);
    if (runtime.breaker.isOpen(config.clock())) {
      throw new LoginError('LOGIN_IDP_UNAVAILABLE');
    }

    try {
      await checkIssuer(runtime, query);
    } catch (error) {
      throw account(runtime, error);
    }
    if (query.error === 'access_denied')
      throw new LoginError('LOGIN_CANCELLED');
    if (query.error !== undefined) throw new LoginError('LOGIN_IDP_ERROR');

    attachTransaction(req, taken);
    let outcome;
    try {
      outcome = await runStrategy(passport, runtime.provider.name, 'callback', {
        req,
        res,
        deadlineMs: config.idpTimeoutMs,
      });
    } catch (error) {
      throw account(runtime, error);
    }
    runtime.breaker.recordSuccess();
    if (outcome.kind !== 'success') {
      throw new LoginError('LOGIN_STATE_MISMATCH');
    }
    const info = outcome.info as { idToken?: unknown } | undefined;
    await signIn(
      req,
      res,
      outcome.user as FederatedProfile,
      taken,
      info?.idToken,
    );
  }

  const router = Router();

  router.get('/login/:provider', function startLogin(req, res) {
    if (refuseHead(req, res)) return;
    const runtime = lookup(req, res);
    if (runtime === undefined) return;

    start(req, res, runtime).catch((error) => fail(res, runtime, error));
  });

  router.get('/login/:provider/callback', function finishLogin(req, res) {
    if (refuseHead(req, res)) return;
    const runtime = lookup(req, res);
    if (runtime === undefined) return;

    // A callback without a result leaves the logins in progress untouched.
    const query = req.query as Query;
    if (query.code === undefined && query.error === undefined) {
      fail(res, runtime, new LoginError('LOGIN_RESPONSE_INVALID'));
      return;
    }
    finish(req, res, runtime).catch((error) => fail(res, runtime, error));
  });

  if (config.onBackchannelLogout !== undefined) {
    const receivers = new Map<
      string,
      ReturnType<typeof createBackchannelReceiver>
    >();
    for (const runtime of runtimes.values()) {
      if (runtime.discovery === undefined) continue;
      receivers.set(
        runtime.provider.name,
        createBackchannelReceiver(config, runtime.provider, runtime.discovery),
      );
    }
    router.post(
      '/login/:provider/backchannel-logout',
      urlencoded({ extended: false, limit: LOGOUT_BODY_LIMIT }),
      function backchannelLogout(req, res) {
        const receive = receivers.get(String(req.params.provider));
        if (receive === undefined) {
          res
            .status(404)
            .set('Cache-Control', 'no-store')
            .json({ error: 'not_found' });
          return;
        }
        receive(req, res).catch(() => {
          if (!res.headersSent)
            res.status(503).json({ error: 'temporarily_unavailable' });
        });
      },
    );
  }

  const providers = [...config.providers.values()].map((p) => ({
    name: p.name,
    displayName: p.displayName,
    loginPath: `/login/${p.name}`,
  }));
  async function endSessionUrl(req: Request): Promise<string | undefined> {
    const session = sessionOf(req);
    const login = session.login as FederatedLoginSession | undefined;
    const idToken = session[ID_TOKEN_KEY];
    const runtime = login && runtimes.get(login.provider);
    if (runtime?.discovery === undefined || typeof idToken !== 'string') {
      return undefined;
    }

    try {
      const discovered = await runtime.discovery.get(config.clock());
      if (!discovered.serverMetadata().end_session_endpoint) return undefined;
      return client.buildEndSessionUrl(discovered, {
        id_token_hint: idToken,
        post_logout_redirect_uri: config.postLogoutRedirectUrl,
        client_id: runtime.provider.clientId,
      }).href;
    } catch (error) {
      // Local logout goes on; only the IdP session survives.
      config.logger.warn('end-session URL unavailable', {
        provider: runtime.provider.name,
        cause: error,
      });
      return undefined;
    }
  }

  return { router, providers, endSessionUrl };
}
