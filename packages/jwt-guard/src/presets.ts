/**
 * Provider presets: functions that return `VerifierOptions` encoding each
 * identity provider's issuer, JWKS location, algorithms and claim quirks.
 * Spread the result into `requireAuth` or `createVerifier` and add the
 * application's own options (audit, logger, denyList).
 */

import { configError } from '@portcullis/core';

import type { VerifierOptions } from './options.js';

const PACKAGE_NAME = '@portcullis/jwt-guard';
const HOST_NAME =
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;
const ENTRA_TENANT_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const COGNITO_POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;

function text(preset: string, name: string, value: unknown, pattern?: RegExp) {
  const path = `${preset}.${name}`;
  if (typeof value !== 'string' || value.length === 0) {
    throw configError(PACKAGE_NAME, path, 'is required: expected a string');
  }

  if (pattern !== undefined && !pattern.test(value)) {
    throw configError(PACKAGE_NAME, path, 'has an unexpected format');
  }

  return value;
}

function audience(preset: string, value: unknown): string | string[] {
  if (typeof value === 'string' && value.length > 0) return value;
  if (Array.isArray(value) && value.length > 0) {
    return value.map((entry, index) =>
      text(preset, `audience[${index}]`, entry),
    );
  }

  throw configError(
    PACKAGE_NAME,
    `${preset}.audience`,
    'is required: expected a string or non-empty array',
  );
}

/** Options of {@link auth0}. */
export interface Auth0PresetOptions {
  /** Required. The tenant or custom domain, such as `acme.eu.auth0.com`. */
  domain: string;
  /** Required. The API identifier (`aud`). */
  audience: string | string[];
}

/**
 * Auth0: issuer `https://DOMAIN/` (with the trailing slash Auth0 puts in
 * `iss`), RS256, scopes from `scope` and the RBAC `permissions` array.
 */
export function auth0(options: Auth0PresetOptions): VerifierOptions {
  const domain = text('auth0', 'domain', options?.domain, HOST_NAME);
  return {
    issuer: `https://${domain}/`,
    jwksUri: `https://${domain}/.well-known/jwks.json`,
    audience: audience('auth0', options.audience),
    algorithms: ['RS256'],
    scopeClaims: ['scope', 'permissions'],
  };
}

/** Options of {@link cognito}. */
export interface CognitoPresetOptions {
  /** Required. The AWS region, such as `eu-west-1`. */
  region: string;
  /** Required. The user pool id, such as `eu-west-1_AbCdEf123`. */
  userPoolId: string;
  /** Required. The app client id(s) whose access tokens are accepted. */
  clientIds: string | string[];
}

/**
 * Amazon Cognito user pool access tokens: they carry `client_id` instead
 * of `aud`, and `token_use: access` tells them from ID tokens.
 */
export function cognito(options: CognitoPresetOptions): VerifierOptions {
  const region = text('cognito', 'region', options?.region, AWS_REGION);
  const pool = text(
    'cognito',
    'userPoolId',
    options.userPoolId,
    COGNITO_POOL_ID,
  );
  if (!pool.startsWith(`${region}_`)) {
    throw configError(PACKAGE_NAME, 'cognito.userPoolId', 'must be in region');
  }

  const issuer = `https://cognito-idp.${region}.amazonaws.com/${pool}`;
  return {
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    audience: audience('cognito', options.clientIds),
    audienceClaim: 'client_id',
    algorithms: ['RS256'],
    claimValues: { token_use: 'access' },
    scopeClaims: ['scope'],
  };
}

/** Options of {@link entraId}. */
export interface EntraIdPresetOptions {
  /** Required. Tenant ids (GUIDs) whose tokens are accepted. */
  tenants: string[];
  /** Required. The application id URI or client id (`aud`). */
  audience: string | string[];
}

/**
 * Microsoft Entra ID v2.0 access tokens. The issuer is templated by
 * tenant, so each allowed tenant becomes its own issuer with its own JWKS:
 * `common`, `organizations` and `consumers` are refused, never matched.
 * Delegated scopes come from `scp` (space-separated).
 */
export function entraId(options: EntraIdPresetOptions): VerifierOptions {
  const tenants = options?.tenants;
  if (!Array.isArray(tenants) || tenants.length === 0) {
    throw configError(
      PACKAGE_NAME,
      'entraId.tenants',
      'must be a non-empty array of tenant ids',
    );
  }

  return {
    audience: audience('entraId', options.audience),
    algorithms: ['RS256'],
    scopeClaims: ['scp'],
    issuers: tenants.map((tenant, index) => {
      const id = text('entraId', `tenants[${index}]`, tenant, ENTRA_TENANT_ID);
      const base = `https://login.microsoftonline.com/${id.toLowerCase()}`;
      return {
        issuer: `${base}/v2.0`,
        jwksUri: `${base}/discovery/v2.0/keys`,
      };
    }),
  };
}

/** Options of {@link google}. */
export interface GooglePresetOptions {
  /** Required. The expected `aud`: an OAuth client id or a service URL. */
  audience: string | string[];
}

/**
 * Google-signed JWTs (ID tokens presented as bearer tokens, as by Cloud
 * Run, IAP and service accounts): RS256, issuer
 * `https://accounts.google.com` (LIM-010 for the scheme-less form).
 */
export function google(options: GooglePresetOptions): VerifierOptions {
  return {
    issuer: 'https://accounts.google.com',
    jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
    audience: audience('google', options?.audience),
    algorithms: ['RS256'],
  };
}

/** Options of {@link keycloak}. */
export interface KeycloakPresetOptions {
  /** Required. The server URL, such as `https://sso.example.com`. */
  baseUrl: string;
  /** Required. The realm name. */
  realm: string;
  /** Required. The expected `aud` (set by an audience mapper). */
  audience: string | string[];
  /** Realm signature algorithms. Default: `['RS256']`. */
  algorithms?: string[];
}

/** Keycloak realm tokens: issuer `BASE/realms/REALM`, certs endpoint. */
export function keycloak(options: KeycloakPresetOptions): VerifierOptions {
  const base = text('keycloak', 'baseUrl', options?.baseUrl).replace(
    /\/+$/,
    '',
  );
  const realm = text('keycloak', 'realm', options.realm, /^[\w.-]+$/);
  const issuer = `${base}/realms/${realm}`;
  return {
    issuer,
    jwksUri: `${issuer}/protocol/openid-connect/certs`,
    audience: audience('keycloak', options.audience),
    algorithms: options.algorithms ?? ['RS256'],
    scopeClaims: ['scope'],
  };
}

/** Options of {@link okta}. */
export interface OktaPresetOptions {
  /** Required. The Okta domain, such as `acme.okta.com`. */
  domain: string;
  /** Authorization server id. Default: `default`. */
  authorizationServerId?: string;
  /** The expected `aud`. Default: `api://default`. */
  audience?: string | string[];
}

/** Okta custom authorization server tokens: scopes in the `scp` array. */
export function okta(options: OktaPresetOptions): VerifierOptions {
  const domain = text('okta', 'domain', options?.domain, HOST_NAME);
  const server = text(
    'okta',
    'authorizationServerId',
    options.authorizationServerId ?? 'default',
    /^\w+$/,
  );
  const issuer = `https://${domain}/oauth2/${server}`;
  return {
    issuer,
    jwksUri: `${issuer}/v1/keys`,
    audience: audience('okta', options.audience ?? 'api://default'),
    algorithms: ['RS256'],
    scopeClaims: ['scp'],
  };
}

/** Options of {@link portcullis}. */
export interface PortcullisPresetOptions {
  /** Required. The token service's issuer. */
  issuer: string;
  /** Required. The audience the API's tokens are minted for. */
  audience: string | string[];
  /** JWKS URL. Default: `ISSUER/.well-known/jwks.json`. */
  jwksUri?: string;
}

/**
 * Portcullis's own token service: RFC 9068 tokens (`typ: at+jwt`) signed
 * with ES256, EdDSA or RS256, each key verifying only its own algorithm.
 */
export function portcullis(options: PortcullisPresetOptions): VerifierOptions {
  const issuer = text('portcullis', 'issuer', options?.issuer);
  return {
    issuer,
    jwksUri:
      options.jwksUri ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
    audience: audience('portcullis', options.audience),
    algorithms: ['ES256', 'EdDSA', 'RS256'],
    requiredType: 'at+jwt',
    scopeClaims: ['scope'],
  };
}
