/**
 * Signs a test user in at the dev IdP through the code flow with PKCE
 * (RFC 7636) over real HTTP and returns the token response.
 */

import { Browser } from '../../../../test-support/http-browser.js';
import {
  basicAuth,
  buildAuthRequest,
  discover,
} from '../../../../test-support/oidc-flow.js';

/** The client the dev IdP registers for the test. */
export interface LoginClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** Runs the whole code flow for `email` and returns the token response. */
export async function signInAtDevIdp(
  issuer: string,
  client: LoginClient,
  email: string,
  password: string,
  scope = 'openid email profile',
): Promise<Record<string, string>> {
  const discovery = await discover(issuer);
  const auth = buildAuthRequest(
    discovery,
    client.clientId,
    client.redirectUri,
    {
      scope,
    },
  );

  const browser = new Browser();
  const page = await browser.follow(await browser.request(auth.url));
  if (typeof page === 'string') throw new Error('unexpected redirect');
  const posted = await browser.postForm(`${page.url}/login`, {
    email,
    password,
  });
  const callback = await browser.follow(posted, (location) =>
    location.startsWith(`${client.redirectUri}?`),
  );
  if (typeof callback !== 'string') throw new Error('login did not finish');

  const code = new URL(callback).searchParams.get('code') ?? '';
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: basicAuth(client.clientId, client.clientSecret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUri,
      code_verifier: auth.codeVerifier,
    }).toString(),
  });
  return (await response.json()) as Record<string, string>;
}
