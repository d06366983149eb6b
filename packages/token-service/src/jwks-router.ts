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

/**
 * Creates a router that answers `GET` (and `HEAD`) on {@link JWKS_PATH}
 * with `jwks`, serialised once.
 */
export function createJwksRouter(jwks: JSONWebKeySet): Router {
  const body = JSON.stringify(jwks);
  const headers = Object.freeze({
    'Cache-Control': `public, max-age=${JWKS_MAX_AGE_SECONDS}`,
    'Content-Type': 'application/json',
  });
  const router = express.Router();

  router.get(JWKS_PATH, function portcullisJwks(_req, res) {
    res.set(headers).send(body);
  });
  return router;
}
