/**
 * Helpers for the authorization code flow with PKCE (RFC 7636) against
 * the dev IdP, and for reading the tokens it returns.
 */

import { createHash, randomBytes } from 'node:crypto';

/** The discovery document fields the tests use. */
export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  code_challenge_methods_supported: string[];
  [name: string]: unknown;
}

/** The values one authorization request needs again later. */
export interface AuthRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

function randomValue(): string {
  return randomBytes(32).toString('base64url');
}

/** Fetches the OpenID Provider metadata. */
export async function discover(issuer: string): Promise<Discovery> {
  const url = `${issuer}/.well-known/openid-configuration`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`discovery failed: ${response.status}`);
  return (await response.json()) as Discovery;
}

/** Builds an authorization request for the code flow with S256 PKCE. */
export function buildAuthRequest(
  discovery: Discovery,
  clientId: string,
  redirectUri: string,
  extraParams: Record<string, string> = {},
): AuthRequest {
  const state = randomValue();
  const nonce = randomValue();
  const codeVerifier = randomValue();
  const challenge = createHash('sha256').update(codeVerifier).digest();

  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: challenge.toString('base64url'),
    code_challenge_method: 'S256',
    ...extraParams,
  }).toString();
  return { url: url.href, state, nonce, codeVerifier };
}

/** The client_secret_basic Authorization header (RFC 6749 2.3.1). */
export function basicAuth(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value);
  const credentials = `${encode(clientId)}:${encode(clientSecret)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

/** Decodes one base64url JSON segment of a JWT. */
export function decodeSegment(
  segment: string | undefined,
): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
}
