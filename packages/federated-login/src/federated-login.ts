/**
 * The login router: `GET /login/:provider` starts an authorization code
 * flow and `GET /login/:provider/callback` finishes it, then hands the
 * verified profile to the application's `resolveUser` hook and signs the
 * user in on a fresh session id. It needs a session middleware that keeps
 * express-session's contract (`regenerate`, `save`), such as session-bridge.
 */

import { Passport } from 'passport';
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticateOptions } from 'passport';

import { LoginError, toLoginError } from './errors.js';
import { normalizeOptions } from './options.js';
import type { FederatedLoginConfig, FederatedLoginOptions } from './options.js';
import { sendLoginErrorPage } from './pages.js';
import type { FederatedProfile } from './profile.js';
import { strategyLoader } from './strategy.js';
import type { ResolvedProvider } from './strategy.js';

const TRANSACTION_MISSING_MESSAGE =
  'Unable to verify authorization request state';

/** What the session keeps about how the user signed in. */
export interface FederatedLoginSession {
  provider: string;
  issuer: string;
  subject: string;
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
}

type Loader = ReturnType<typeof strategyLoader>;

/** The part of express-session's contract that login relies on. */
interface SessionLike {
  regenerate(callback: (err?: unknown) => void): unknown;
  save(callback: (err?: unknown) => void): unknown;
  [key: string]: unknown;
}

function sessionOf(req: Request): SessionLike {
  const session = (req as Request & { session?: SessionLike }).session;
  if (typeof session?.regenerate !== 'function') {
    throw new TypeError(
      '@portcullis/federated-login needs a session middleware',
    );
  }
  return session;
}

function call(
  session: SessionLike,
  method: 'regenerate' | 'save',
): Promise<void> {
  return new Promise((resolve, reject) => {
    session[method]((err) => (err ? reject(err) : resolve()));
  });
}

// HEAD reaches GET routes in Express; link checkers and prefetchers must
// neither start a login nor consume one.
function refuseHead(req: Request, res: Response): boolean {
  if (req.method !== 'HEAD') return false;
  res.status(405).set('Allow', 'GET').end();
  return true;
}

function hasAuthorizationResult(req: Request): boolean {
  const query = req.query as Record<string, unknown>;
  return query.code !== undefined || query.error !== undefined;
}

function failureFromInfo(info: unknown): LoginError {
  const fields = (info ?? {}) as { message?: unknown; error?: unknown };
  if (fields.error === 'access_denied')
    return new LoginError('LOGIN_CANCELLED');
  if (fields.message === TRANSACTION_MISSING_MESSAGE) {
    return new LoginError('LOGIN_TRANSACTION_MISSING');
  }
  return new LoginError('LOGIN_RESPONSE_INVALID');
}

async function signIn(
  config: FederatedLoginConfig,
  req: Request,
  res: Response,
  profile: FederatedProfile,
): Promise<void> {
  const user = await config.resolveUser(profile, req);
  if (user === false || user === null || user === undefined) {
    throw new LoginError('LOGIN_REFUSED');
  }

  await call(sessionOf(req), 'regenerate');
  const login: FederatedLoginSession = {
    provider: profile.provider,
    issuer: profile.issuer,
    subject: profile.subject,
    authTime: Math.floor(Date.now() / 1000),
  };
  const session = sessionOf(req);
  Object.assign(session, { user, login });
  await call(session, 'save');
  config.audit?.emit('auth.login.succeeded', {
    provider: profile.provider,
    issuer: profile.issuer,
    subject: profile.subject,
  });
  res.redirect(303, config.successRedirect);
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
  const loaders = new Map<string, Loader>();
  for (const provider of config.providers.values()) {
    loaders.set(provider.name, strategyLoader(provider));
  }

  function fail(
    res: Response,
    provider: ResolvedProvider | undefined,
    error: unknown,
  ) {
    const failure = toLoginError(error);
    config.logger.warn('login failed', {
      provider: provider?.name,
      code: failure.code,
      cause: failure.cause,
    });
    config.audit?.emit('auth.login.failed', {
      provider: provider?.name ?? 'unknown',
      code: failure.code,
    });
    const retry = provider ? `/login/${provider.name}` : undefined;
    sendLoginErrorPage(res, failure, retry);
  }

  async function withStrategy(req: Request, res: Response) {
    const provider = config.providers.get(String(req.params.provider));
    if (provider === undefined) {
      fail(res, undefined, new LoginError('LOGIN_UNKNOWN_PROVIDER'));
      return undefined;
    }

    try {
      passport.use(provider.name, await loaders.get(provider.name)!());
      return provider;
    } catch (error) {
      fail(res, provider, error);
      return undefined;
    }
  }

  const router = Router();

  router.get('/login/:provider', async function startLogin(req, res, next) {
    if (refuseHead(req, res)) return;
    const provider = await withStrategy(req, res);
    if (provider === undefined) return;

    passport.authenticate(
      provider.name,
      { session: false, phase: 'start' } as AuthenticateOptions,
      (error: unknown) => {
        fail(res, provider, error);
      },
    )(req, res, next);
  });

  router.get(
    '/login/:provider/callback',
    async function finishLogin(req, res, next: NextFunction) {
      if (refuseHead(req, res)) return;
      const provider = await withStrategy(req, res);
      if (provider === undefined) return;

      // A callback without a result leaves the login in progress untouched.
      if (!hasAuthorizationResult(req)) {
        fail(res, provider, new LoginError('LOGIN_RESPONSE_INVALID'));
        return;
      }

      const done = (error: unknown, profile: unknown, info: unknown) => {
        if (error) return fail(res, provider, error);
        if (!profile) return fail(res, provider, failureFromInfo(info));

        signIn(config, req, res, profile as FederatedProfile).catch((e) =>
          fail(res, provider, e),
        );
      };
      passport.authenticate(
        provider.name,
        { session: false, phase: 'callback' } as AuthenticateOptions,
        done,
      )(req, res, next);
    },
  );

  const providers = [...config.providers.values()].map((p) => ({
    name: p.name,
    displayName: p.displayName,
    loginPath: `/login/${p.name}`,
  }));
  return { router, providers };
}
