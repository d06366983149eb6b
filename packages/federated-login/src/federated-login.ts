/**
 * The login router: `GET /login/:provider` starts an authorization code
 * flow and `GET /login/:provider/callback` finishes it, then hands the
 * verified profile to the application's `resolveUser` hook and signs the
 * user in on a fresh session id. It needs a session middleware that keeps
 * express-session's contract (`regenerate`, `save`), such as session-bridge.
 */

import { Passport } from 'passport';
import { Router, urlencoded } from 'express';
import type { Request, Response } from 'express';

import { createBackchannelReceiver } from './backchannel-logout.js';
import { buildEndSessionUrl, ID_TOKEN_KEY } from './end-session.js';
import { describeCause, LoginError, toLoginError } from './errors.js';
import { normalizeOptions } from './options.js';
import { sendLoginErrorPage } from './pages.js';
import {
  accountFor,
  checkIssuer,
  createBinding,
  createRuntime,
  setReturnTo,
} from './provider-runtime.js';
import { safeReturnTo } from './return-to.js';
import { runStrategy } from './run-strategy.js';
import { callSession, sessionOf } from './session-access.js';
import { attachTransaction } from './transaction-binding.js';
import { pendingTransactions, takeTransaction } from './transactions.js';
import type { FederatedLoginOptions } from './options.js';
import type { FederatedProfile } from './profile.js';
import type { ProviderRuntime } from './provider-runtime.js';
import type { LoginTransaction } from './transactions.js';

const LOGOUT_BODY_LIMIT = '32kb';

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

type Query = Record<string, unknown>;

// HEAD reaches GET routes in Express; link checkers and prefetchers must
// neither start a login nor consume one.
function refuseHead(req: Request, res: Response): boolean {
  if (req.method !== 'HEAD') return false;
  res.status(405).set('Allow', 'GET').end();
  return true;
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
      cause: describeCause(failure.cause),
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
    setReturnTo(req, safeReturnTo(query.returnTo, config.successRedirect));

    try {
      await runStrategy(passport, runtime.provider.name, 'start', {
        req,
        res,
        deadlineMs: config.idpTimeoutMs,
      });
    } catch (error) {
      throw accountFor(runtime, error, config.clock());
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
      await checkIssuer(runtime, query.iss, config.clock());
    } catch (error) {
      throw accountFor(runtime, error, config.clock());
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
      throw accountFor(runtime, error, config.clock());
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
  return {
    router,
    providers,
    endSessionUrl: (req) => buildEndSessionUrl(config, runtimes, req),
  };
}
