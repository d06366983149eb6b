/**
 * Publishes the service's JSON Web Key Set (RFC 7517 section 5) at
 * `/.well-known/jwks.json`, relative to where the router is mounted.
 */

import express from 'express';
import type { Router } from 'express';
import type { JSONWebKeySet } from 'jose';

/** Path of the JWKS, relative to the router's mount point. */
export const JWKS_PATH = '/.well-known/jwks.json';

/** How long clients and caches may keep the set, in seconds. */
export const JWKS_MAX_AGE_SECONDS = 300;

/** A fixed set, or a function returning the current one. */
export type JwksSource = JSONWebKeySet | (() => JSONWebKeySet);

/**
 * Creates a router that answers `GET` (and `HEAD`) on {@link JWKS_PATH}
 * with the set from `source`, serialised once per set.
 *
 * @param maxAgeSeconds - the `Cache-Control` max-age; default 300. A new
 * key must be published at least this long before it signs.
 */
export function createJwksRouter(
  source: JwksSource,
  maxAgeSeconds = JWKS_MAX_AGE_SECONDS,
): Router {
  const current = typeof source === 'function' ? source : () => source;
  const headers = Object.freeze({
    'Cache-Control': `public, max-age=${maxAgeSeconds}`,
    'Content-Type': 'application/json',
  });
  let served: JSONWebKeySet | undefined;
  let body = '';
  const router = express.Router();

  router.get(JWKS_PATH, function portcullisJwks(_req, res) {
    const jwks = current();
    if (jwks !== served) {
      served = jwks;
      body = JSON.stringify(jwks);
    }
    res.set(headers).send(body);
  });
  return router;
}
