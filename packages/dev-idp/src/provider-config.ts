/**
 * The oidc-provider configuration of the dev IdP: confidential clients on
 * the authorization code flow, the test users as accounts, scope-based
 * claims (OIDC Core 5.4) also placed in the ID token, automatic consent
 * for the registered clients, and explicit lifetimes for every artifact.
 */

/// <reference path="./oidc-provider.d.ts" />

import { randomBytes } from 'node:crypto';

import type { JWK } from 'jose';
import type {
  Account,
  Configuration,
  Grant,
  Interaction,
  KoaContextWithOIDC,
} from 'oidc-provider';

import { interactionPath } from './interaction-path.js';
import { PAGE_HEADERS, renderLogoutPage, renderMessagePage } from './pages.js';
import type { DevIdpConfig } from './options.js';
import type { TestUser } from './test-users.js';

const ACCESS_TOKEN_TTL_SECONDS = 10 * 60;
const AUTHORIZATION_CODE_TTL_SECONDS = 60;
const ID_TOKEN_TTL_SECONDS = 10 * 60;
const INTERACTION_TTL_SECONDS = 10 * 60;
const SESSION_TTL_SECONDS = 8 * 60 * 60;
const GRANT_TTL_SECONDS = 8 * 60 * 60;
const REFRESH_TOKEN_TTL_SECONDS = 24 * 60 * 60;
const OTHER_ARTIFACT_TTL_SECONDS = 10 * 60;
const COOKIE_KEY_BYTES = 32;
const FIRST_PARTY_SCOPE = 'openid email profile';

/** What the configuration is built from. */
export interface ProviderConfigInput {
  config: DevIdpConfig;
  signingJwk: JWK;
}

function toAccount(user: TestUser): Account {
  return {
    accountId: user.sub,
    claims: () => ({
      ...user.claims,
      sub: user.sub,
      email: user.email,
      email_verified: user.emailVerified,
      name: user.name,
    }),
  };
}

function sendPage(ctx: KoaContextWithOIDC, status: number, html: string) {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) {
    ctx.set(name, value);
  }

  ctx.status = status;
  ctx.body = html;
}

async function renderError(
  ctx: KoaContextWithOIDC,
  out: { error?: string; error_description?: string },
): Promise<void> {
  const detail = [out.error, out.error_description].filter(Boolean).join(': ');
  const html = renderMessagePage('Sign-in error', detail || 'unknown error');
  sendPage(ctx, ctx.status, html);
}

async function logoutSource(
  ctx: KoaContextWithOIDC,
  form: string,
): Promise<void> {
  sendPage(ctx, 200, renderLogoutPage(form));
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
  const message = 'You are signed out of the dev IdP.';
  sendPage(ctx, 200, renderMessagePage('Signed out', message));
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

// oidc-provider refuses outgoing requests to special-use addresses (SSRF
// protection), which includes the loopback clients this IdP serves: their
// back-channel logout calls go out without that guard, any other keeps it.
async function fetchForLoopback(
  url: URL | string,
  options: RequestInit & { dispatcher?: unknown },
): Promise<Response> {
  if (!LOOPBACK_HOSTS.has(new URL(url).hostname)) return fetch(url, options);
  const { dispatcher: _guard, ...rest } = options;
  return fetch(url, rest);
}

// Extra claims ride on the `openid` scope, so every client receives them.
function extraClaimNames(users: readonly TestUser[]): string[] {
  const names = new Set<string>();
  for (const user of users) {
    for (const name of Object.keys(user.claims ?? {})) names.add(name);
  }
  return [...names];
}

/** The scope of the JWT access tokens issued for the configured API. */
export const API_SCOPE = 'api:read';
const API_TOKEN_TTL_SECONDS = 600;

// The registered clients are first-party: consent is implied, so a grant
// for the OIDC scopes (and the API's scope) is created on first use instead
// of asking the user.
function grantLoader(apiAudience: string | undefined) {
  return async function loadOrCreateGrant(
    ctx: KoaContextWithOIDC,
  ): Promise<Grant | undefined> {
    const { oidc } = ctx;
    if (oidc.account === undefined || oidc.client === undefined) return;
    const { accountId } = oidc.account;
    const { clientId } = oidc.client;

    const grantId =
      oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
    if (grantId !== undefined) {
      const existing = await oidc.provider.Grant.find(grantId);
      if (existing?.accountId === accountId) return existing;
    }

    const grant = new oidc.provider.Grant({ accountId, clientId });
    grant.addOIDCScope(FIRST_PARTY_SCOPE);
    if (apiAudience !== undefined) {
      grant.addResourceScope(apiAudience, API_SCOPE);
    }
    await grant.save();
    return grant;
  };
}

// RFC 8707 resource indicators with one resource: the configured API,
// which receives RFC 9068 JWT access tokens.
function resourceIndicators(apiAudience: string | undefined) {
  if (apiAudience === undefined) return { enabled: false };
  return {
    enabled: true,
    defaultResource: () => apiAudience,
    useGrantedResource: () => true,
    getResourceServerInfo: () => ({
      scope: API_SCOPE,
      audience: apiAudience,
      accessTokenTTL: API_TOKEN_TTL_SECONDS,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: 'RS256' } },
    }),
  };
}

/** Builds the configuration object passed to oidc-provider. */
export function createProviderConfiguration(
  input: ProviderConfigInput,
): Configuration {
  const accounts = new Map(
    input.config.users.map((user) => [user.sub, toAccount(user)]),
  );

  return {
    clients: input.config.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: [...client.redirectUris],
      post_logout_redirect_uris: [...client.postLogoutRedirectUris],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...(client.backchannelLogoutUri === undefined
        ? {}
        : {
            backchannel_logout_uri: client.backchannelLogoutUri,
            backchannel_logout_session_required: true,
          }),
    })),
    responseTypes: ['code'],
    claims: {
      openid: ['sub', ...extraClaimNames(input.config.users)],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    conformIdTokenClaims: false,
    fetch: fetchForLoopback,
    findAccount: async (_ctx: unknown, sub: string) => accounts.get(sub),
    loadExistingGrant: grantLoader(input.config.apiAudience),
    jwks: { keys: [input.signingJwk] },
    cookies: { keys: [randomBytes(COOKIE_KEY_BYTES).toString('base64url')] },
    // Browsers never call this IdP cross-origin: the clients are servers.
    clientBasedCORS: () => false,
    interactions: {
      url: (_ctx: unknown, interaction: Interaction) =>
        interactionPath(interaction.uid),
    },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      resourceIndicators: resourceIndicators(input.config.apiAudience),
      rpInitiatedLogout: {
        enabled: true,
        logoutSource,
        postLogoutSuccessSource,
      },
    },
    renderError,
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: AUTHORIZATION_CODE_TTL_SECONDS,
      BackchannelAuthenticationRequest: OTHER_ARTIFACT_TTL_SECONDS,
      ClientCredentials: OTHER_ARTIFACT_TTL_SECONDS,
      DeviceCode: OTHER_ARTIFACT_TTL_SECONDS,
      Grant: GRANT_TTL_SECONDS,
      IdToken: ID_TOKEN_TTL_SECONDS,
      Interaction: INTERACTION_TTL_SECONDS,
      PreAuthorizedCode: OTHER_ARTIFACT_TTL_SECONDS,
      RefreshToken: REFRESH_TOKEN_TTL_SECONDS,
      Session: SESSION_TTL_SECONDS,
    },
  };
}
