// Browser steps of a login against the dev IdP, with hooks to tamper with
// the authorization request on its way to the IdP.

import { Browser } from '../../../../test-support/http-browser.js';

/** Signs in as Alice unless told otherwise. */
export interface LoginAtIdpOptions {
  provider?: string;
  email?: string;
  password?: string;
  /** Query string for the start URL, such as `?returnTo=/x`. */
  startQuery?: string;
  /** Changes the authorization request before the browser follows it. */
  tamperAuthorization?: (url: URL) => void;
}

/** Starts a login and signs in at the IdP; returns the callback URL. */
export async function loginAtIdp(
  browser: Browser,
  baseUrl: string,
  options: LoginAtIdpOptions = {},
): Promise<string> {
  const provider = options.provider ?? 'dev';
  const start = await browser.request(
    `${baseUrl}/login/${provider}${options.startQuery ?? ''}`,
  );
  const location = start.response.headers.get('location');
  if (start.response.status !== 302 || location === null) {
    throw new Error(`login did not start: ${start.response.status}`);
  }

  const authorization = new URL(location);
  options.tamperAuthorization?.(authorization);
  const isCallback = (next: string) =>
    next.startsWith(`${baseUrl}/login/${provider}/callback`);
  const authorize = await browser.request(authorization.href);
  const page = await browser.follow(authorize, isCallback);
  // An IdP session from an earlier login in this browser skips the form.
  if (typeof page === 'string') return page;

  const submitted = await browser.postForm(`${page.url}/login`, {
    email: options.email ?? 'alice@example.test',
    password: options.password ?? 'alice-password',
  });
  const callback = await browser.follow(submitted, isCallback);
  if (typeof callback !== 'string') throw new Error('no callback reached');
  return callback;
}

/** The session user and login as the app's /me route reports them. */
export async function whoAmI(browser: Browser, baseUrl: string) {
  const me = await browser.request(`${baseUrl}/me`);
  return JSON.parse(me.body) as { user: unknown; login: unknown };
}
