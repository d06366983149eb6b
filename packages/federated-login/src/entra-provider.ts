/**
 * The Microsoft Entra ID preset (OpenID Connect, v2.0 endpoints). Single
 * tenant: the tenant's own issuer. Multi-tenant (`organizations` or
 * `common`): an explicit allowlist of tenant ids, checked on the `tid`
 * claim. Entra's `email` claim is not verified by Microsoft, so the
 * profile always reports it as unverified.
 */

import { LoginError } from './errors.js';
import type { OidcProviderConfig, PresetCredentials } from './providers.js';

const ENTRA_AUTHORITY = 'https://login.microsoftonline.com';
const MULTI_TENANT = ['organizations', 'common'];

/** Options of {@link entraProvider}. */
export interface EntraProviderOptions extends PresetCredentials {
  /**
   * A tenant id (GUID) for a single-tenant app, or `organizations` /
   * `common` for a multi-tenant one. Required.
   */
  tenant: string;
  /**
   * Tenant ids (`tid`) allowed to sign in. Required for a multi-tenant
   * tenant; for a single tenant, default: that tenant only.
   */
  allowedTenants?: string[];
  /** Name in `/login/:name`. Default: `microsoft`. */
  name?: string;
  /** Button label. Default: `Microsoft`. */
  displayName?: string;
  /**
   * Issuer to discover. Default:
   * `https://login.microsoftonline.com/<tenant>/v2.0`. Changed only to test
   * against a local stand-in.
   */
  issuer?: string;
}

function fail(option: string, expected: string): never {
  throw new TypeError(`@portcullis/federated-login: "${option}" ${expected}`);
}

function checkTenant(allowed: readonly string[]) {
  return function checkTid(claims: Readonly<Record<string, unknown>>) {
    const tid = claims.tid;
    if (typeof tid !== 'string' || !allowed.includes(tid.toLowerCase())) {
      throw new LoginError('LOGIN_TENANT_NOT_ALLOWED');
    }
  };
}

/**
 * Sign in with Microsoft Entra ID. Register
 * `<baseUrl>/login/microsoft/callback` as a Web redirect URI.
 *
 * @throws TypeError when `tenant` is missing, or a multi-tenant app has no
 *   `allowedTenants`.
 * @example
 * entraProvider({
 *   clientId, clientSecret, tenant: 'organizations',
 *   allowedTenants: ['6f0e...'],
 * });
 */
export function entraProvider(
  options: EntraProviderOptions,
): OidcProviderConfig {
  const { tenant, allowedTenants, name, displayName, issuer, ...credentials } =
    options;
  if (typeof tenant !== 'string' || !/^[\w.-]+$/.test(tenant)) {
    fail('tenant', 'must be a tenant id, "organizations" or "common"');
  }

  const multi = MULTI_TENANT.includes(tenant);
  if (allowedTenants === undefined && multi) {
    fail('allowedTenants', 'is required for a multi-tenant app');
  }
  const allowed = allowedTenants ?? [tenant];
  if (
    !Array.isArray(allowed) ||
    allowed.length === 0 ||
    !allowed.every((t) => typeof t === 'string' && t.length > 0)
  ) {
    fail('allowedTenants', 'must be a non-empty array of tenant ids');
  }

  return {
    type: 'oidc',
    name: name ?? 'microsoft',
    displayName: displayName ?? 'Microsoft',
    issuer: issuer ?? `${ENTRA_AUTHORITY}/${tenant}/v2.0`,
    ...credentials,
    checkClaims: checkTenant(allowed.map((t) => t.toLowerCase())),
    trustEmailVerified: false,
  };
}
