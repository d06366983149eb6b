/**
 * Finds an issuer's `jwks_uri` through OpenID Connect Discovery 1.0
 * (section 4) or, when that is absent, OAuth 2.0 Authorization Server
 * Metadata (RFC 8414 section 3). The metadata must name the same issuer.
 */

import { parseSecureUrl } from '@portcullis/core';

import { fetchJson } from './fetch-json.js';

const PACKAGE_NAME = '@portcullis/jwt-guard';

/** The metadata URLs to try for `issuer`, in order. */
export function metadataUrls(issuer: string): URL[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  return [
    new URL(`${url.origin}${path}/.well-known/openid-configuration`),
    // RFC 8414 section 3.1: the well-known suffix goes before the path.
    new URL(`${url.origin}/.well-known/oauth-authorization-server${path}`),
  ];
}

async function readMetadata(url: URL, timeoutMs: number): Promise<unknown> {
  try {
    return await fetchJson(url, timeoutMs);
  } catch (error) {
    return { failed: error };
  }
}

/**
 * Returns the `jwks_uri` of `issuer`.
 *
 * @throws Error when no metadata document answers, when its `issuer`
 * differs (OIDC Discovery section 4.3, RFC 8414 section 3.3) or when its
 * `jwks_uri` is missing or not https.
 */
export async function discoverJwksUri(
  issuer: string,
  timeoutMs: number,
): Promise<URL> {
  let lastFailure: unknown = new Error('no metadata');
  for (const url of metadataUrls(issuer)) {
    const metadata = (await readMetadata(url, timeoutMs)) as Record<
      string,
      unknown
    >;
    if ('failed' in metadata) {
      lastFailure = metadata.failed;
      continue;
    }

    if (metadata.issuer !== issuer) {
      throw new Error('metadata names another issuer');
    }

    return parseSecureUrl(PACKAGE_NAME, 'jwks_uri', metadata.jwks_uri);
  }

  throw lastFailure;
}
