/**
 * The OAuth endpoints as an Express router: `POST /token` (RFC 6749:
 * `refresh_token` and `client_credentials`), `POST /revoke` (RFC 7009),
 * `POST /introspect` (RFC 7662), the RFC 8414 metadata and the JWKS.
 */

import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';

import {
  InvalidRequestError,
  TemporarilyUnavailableError,
  isAuthError,
} from '@portcullis/core';
import { createMemoryReplayCache } from '@portcullis/stores';
import type { RefreshFamily } from '@portcullis/stores';

import type { MintAccessToken } from './access-token.js';
import type { VerifyOwnAccessToken } from './access-token-verifier.js';
import {
  CLIENT_AUTH_METHODS,
  createClientAuthenticator,
} from './client-auth.js';
import { ASSERTION_ALGORITHMS } from './client-jwks.js';
import type { GrantType, NormalizedClient } from './client-config.js';
import {
  InvalidScopeError,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
} from './oauth-errors.js';
import {
  formOf,
  oauthErrorHandler,
  parseForm,
  sendNoStore,
} from './oauth-form.js';
import type { TokenServiceConfig } from './options.js';
import { PACKAGE_NAME } from './package-name.js';
import { familySid } from './refresh-grant.js';
import type { RefreshGrant } from './refresh-grant.js';
import {
  hashRefreshToken,
  looksLikeRefreshToken,
} from './refresh-token-value.js';

/** Paths of the endpoints, relative to the router's mount point. */
export const ENDPOINT_PATHS = Object.freeze({
  token: '/token',
  revocation: '/revoke',
  introspection: '/introspect',
  metadata: '/.well-known/oauth-authorization-server',
});

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** What the endpoints need from the service. */
export interface EndpointDeps {
  config: TokenServiceConfig;
  mint: MintAccessToken;
  grant: RefreshGrant;
  verify: VerifyOwnAccessToken;
  jwksRouter: Router;
}

type Handler = (req: Request, res: Response) => Promise<void>;

function wrap(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next);
  };
}

function unavailable(cause: unknown): Error {
  if (isAuthError(cause)) return cause;
  return new TemporarilyUnavailableError(
    'the token store is temporarily unavailable',
    { cause },
  );
}

function parseScope(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const scopes = value.split(' ');
  if (!scopes.every((s) => SCOPE_TOKEN.test(s))) {
    throw new InvalidScopeError('the scope is malformed');
  }
  return [...new Set(scopes)];
}

function requireParam(form: Record<string, string>, name: string): string {
  const value = form[name];
  if (value === undefined || value === '') {
    throw new InvalidRequestError(`parameter "${name}" is required`);
  }
  return value;
}

function grantTypes(config: TokenServiceConfig): GrantType[] {
  const types: GrantType[] = ['client_credentials'];
  if (config.refreshTokens !== undefined) types.unshift('refresh_token');
  return types;
}

function checkAudiences(config: TokenServiceConfig): void {
  for (const client of config.clients.values()) {
    const usesCredentials = client.grantTypes.includes('client_credentials');
    if (usesCredentials && (client.audience ?? config.audience) === undefined) {
      throw new TypeError(
        `${PACKAGE_NAME}: option "audience" (or clients[].audience of ` +
          `"${client.clientId}") is required for client_credentials`,
      );
    }
  }
}

// A process-local cache cannot see a jti used at another instance; the
// service warns once when key clients rely on it.
function assertionReplayCache(config: TokenServiceConfig) {
  if (config.replayCache !== undefined) return config.replayCache;
  const keyClients = [...config.clients.values()].some(
    (client) => client.credential.kind === 'keys',
  );
  if (keyClients) {
    config.logger.warn(
      'private_key_jwt replay cache is in process memory; an assertion ' +
        'replayed at another instance is not detected',
      { issuer: config.issuer },
    );
  }
  return createMemoryReplayCache();
}

function expiresIn(expiresAt: number): number {
  return Math.max(0, expiresAt - Math.floor(Date.now() / 1000));
}

/**
 * Creates the router.
 *
 * @throws TypeError when a client may use `client_credentials` but no
 * audience is configured for it.
 */
export function createTokenEndpoints(deps: EndpointDeps): Router {
  const { config, mint, grant, verify } = deps;
  checkAudiences(config);
  const supported = grantTypes(config);
  const base = config.issuer.replace(/\/+$/, '');
  const authenticateClient = createClientAuthenticator({
    clients: config.clients,
    audiences: [config.issuer, `${base}${ENDPOINT_PATHS.token}`],
    replayCache: assertionReplayCache(config),
    logger: config.logger,
  });

  async function authenticate(req: Request): Promise<{
    client: NormalizedClient;
    form: Record<string, string>;
  }> {
    const form = formOf(req);
    const client = await authenticateClient(req.get('authorization'), form);
    return { client, form };
  }

  async function clientCredentials(
    client: NormalizedClient,
    form: Record<string, string>,
  ): Promise<Record<string, unknown>> {
    const requested = parseScope(form.scope) ?? client.scope;
    if (!requested.every((s) => client.scope.includes(s))) {
      throw new InvalidScopeError(
        'the scope exceeds what the client may request',
      );
    }
    const issued = await mint({
      subject: client.clientId,
      audience: (client.audience ?? config.audience) as string,
      clientId: client.clientId,
      scope: requested,
    });
    return {
      access_token: issued.accessToken,
      token_type: issued.tokenType,
      expires_in: expiresIn(issued.expiresAt),
      ...(requested.length > 0 ? { scope: requested.join(' ') } : {}),
    };
  }

  async function refreshToken(
    client: NormalizedClient,
    form: Record<string, string>,
  ): Promise<Record<string, unknown>> {
    const issued = await grant.refresh({
      refreshToken: requireParam(form, 'refresh_token'),
      clientId: client.clientId,
      scope: parseScope(form.scope),
    });
    return {
      access_token: issued.accessToken,
      token_type: issued.tokenType,
      expires_in: expiresIn(issued.expiresAt),
      refresh_token: issued.refreshToken,
      ...(issued.scope.length > 0 ? { scope: issued.scope.join(' ') } : {}),
    };
  }

  const token: Handler = async (req, res) => {
    const grantType = requireParam(formOf(req), 'grant_type');
    if (!supported.includes(grantType as GrantType)) {
      throw new UnsupportedGrantTypeError('the grant type is not supported');
    }
    const { client, form } = await authenticate(req);
    if (!client.grantTypes.includes(grantType as GrantType)) {
      throw new UnauthorizedClientError('the client may not use this grant');
    }
    const body =
      grantType === 'refresh_token'
        ? await refreshToken(client, form)
        : await clientCredentials(client, form);
    sendNoStore(res, body);
  };

  async function ownFamily(
    presented: string,
    client: NormalizedClient,
  ): Promise<{ family: RefreshFamily; hash: string } | undefined> {
    if (config.refreshTokens === undefined) return undefined;
    if (!looksLikeRefreshToken(presented)) return undefined;
    const hash = hashRefreshToken(presented);
    let family: RefreshFamily | undefined;
    try {
      family = await config.refreshTokens.findByTokenHash(hash);
    } catch (error) {
      throw unavailable(error);
    }
    if (family === undefined || family.clientId !== client.clientId) {
      return undefined;
    }
    return { family, hash };
  }

  const revoke: Handler = async (req, res) => {
    const { client, form } = await authenticate(req);
    const presented = requireParam(form, 'token');
    try {
      const found = await ownFamily(presented, client);
      if (found !== undefined) {
        await config.refreshTokens?.revokeFamily(found.family.familyId);
        await config.denyList?.add(
          familySid(found.family),
          Math.floor(Date.now() / 1000) + config.accessTokenTtlSeconds + 1,
        );
      } else {
        const claims = await verify(presented);
        if (claims !== undefined && claims.client_id === client.clientId) {
          await config.denyList?.add(
            claims.jti as string,
            claims.exp as number,
          );
        }
      }
    } catch (error) {
      throw unavailable(error);
    }
    res.status(200).set('Cache-Control', 'no-store').end();
  };

  function refreshIntrospection(
    family: RefreshFamily,
    hash: string,
  ): Record<string, unknown> {
    const now = Date.now();
    const live =
      family.revokedAtMs === undefined &&
      family.currentTokenHash === hash &&
      now < family.idleExpiresAtMs &&
      now < family.absoluteExpiresAtMs;
    if (!live) return { active: false };
    return {
      active: true,
      token_type: 'refresh_token',
      iss: config.issuer,
      client_id: family.clientId,
      sub: family.subject,
      ...(family.scope === '' ? {} : { scope: family.scope }),
      sid: familySid(family),
      iat: Math.floor(family.rotatedAtMs / 1000),
      exp: Math.floor(
        Math.min(family.idleExpiresAtMs, family.absoluteExpiresAtMs) / 1000,
      ),
    };
  }

  async function denied(claims: Record<string, unknown>): Promise<boolean> {
    const list = config.denyList;
    if (list === undefined) return false;
    for (const key of [claims.jti, claims.sid]) {
      if (typeof key === 'string' && (await list.has(key))) return true;
    }
    return false;
  }

  const introspect: Handler = async (req, res) => {
    const { client, form } = await authenticate(req);
    const presented = requireParam(form, 'token');
    let body: Record<string, unknown> = { active: false };
    try {
      const found = await ownFamily(presented, client);
      if (found !== undefined) {
        body = refreshIntrospection(found.family, found.hash);
      } else {
        const claims = await verify(presented);
        if (claims !== undefined && !(await denied(claims))) {
          body = { ...claims, active: true, token_type: 'access_token' };
        }
      }
    } catch (error) {
      throw unavailable(error);
    }
    sendNoStore(res, body);
  };

  const methods = [...CLIENT_AUTH_METHODS];
  const algorithms = [...ASSERTION_ALGORITHMS];
  const metadata = Object.freeze({
    issuer: config.issuer,
    token_endpoint: `${base}${ENDPOINT_PATHS.token}`,
    jwks_uri: config.jwksUri,
    grant_types_supported: supported,
    response_types_supported: [],
    token_endpoint_auth_methods_supported: methods,
    token_endpoint_auth_signing_alg_values_supported: algorithms,
    revocation_endpoint: `${base}${ENDPOINT_PATHS.revocation}`,
    revocation_endpoint_auth_methods_supported: methods,
    revocation_endpoint_auth_signing_alg_values_supported: algorithms,
    introspection_endpoint: `${base}${ENDPOINT_PATHS.introspection}`,
    introspection_endpoint_auth_methods_supported: methods,
    introspection_endpoint_auth_signing_alg_values_supported: algorithms,
  });
  const metadataBody = JSON.stringify(metadata);

  const router = express.Router();
  router.use(deps.jwksRouter);
  router.get(ENDPOINT_PATHS.metadata, (_req, res) => {
    res
      .set('Cache-Control', 'public, max-age=300')
      .type('application/json')
      .send(metadataBody);
  });
  router.post(ENDPOINT_PATHS.token, parseForm, wrap(token));
  router.post(ENDPOINT_PATHS.revocation, parseForm, wrap(revoke));
  router.post(ENDPOINT_PATHS.introspection, parseForm, wrap(introspect));
  router.use(oauthErrorHandler(config.logger));
  return router;
}
