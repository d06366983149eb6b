/**
 * Signs a test user in at the dev IdP through the code flow with PKCE
 * (RFC 7636) over real HTTP and returns the token response.
 */

import { createHash, randomBytes } from 'node:crypto';

import { Browser } from '../../../../test-support/http-browser.js';

function randomValue(): string {
  return randomBytes(32).toString('base64url');
}

function basicAuth(clientId: string, clientSecret: string): string {
  const credentials = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

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
): Promise<Record<string, string>> {
  const discovery = (await (
    await fetch(`${issuer}/.well-known/openid-configuration`)
  ).json()) as Record<string, string>;
  const verifier = randomValue();
  const url = new URL(discovery.authorization_endpoint as string);
  url.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    state: randomValue(),
    nonce: randomValue(),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const browser = new Browser();
  const page = await browser.follow(await browser.request(url.href));
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
  const response = await fetch(discovery.token_endpoint as string, {
    method: 'POST',
    headers: {
      authorization: basicAuth(client.clientId, client.clientSecret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  return (await response.json()) as Record<string, string>;
}
