/**
 * The guards of the HTTP benchmark and which algorithms each supports.
 */

import type { Algorithm } from './keys.js';

/** The route's protection in one benchmark server. */
export type Guard =
  | 'unguarded'
  | 'portcullis'
  | 'portcullis-cached'
  | 'portcullis-event-loop'
  | 'portcullis-thread-pool'
  | 'oauth2-jwt-bearer'
  | 'express-jwt'
  | 'passport-jwt';

/**
 * The guarded contenders, Portcullis first: `portcullis` with its
 * verified-token cache off (a signature check per request, like every
 * peer), `portcullis-cached` with the default options (cache on).
 */
export const GUARDS: readonly Guard[] = [
  'portcullis',
  'portcullis-cached',
  'oauth2-jwt-bearer',
  'express-jwt',
  'passport-jwt',
];

/** Whether `guard` is one of Portcullis's. */
export function isPortcullis(guard: Guard): boolean {
  return guard.startsWith('portcullis');
}

/** The first word of a benchmark server's ready line. */
export const READY_PREFIX = 'JWT_GUARD_BENCH_READY';

/**
 * Whether `guard` can verify `alg`. express-jwt and passport-jwt verify
 * through jsonwebtoken 9, whose algorithm list has no EdDSA.
 */
export function supports(guard: Guard, alg: Algorithm): boolean {
  if (alg !== 'EdDSA') return true;
  return guard !== 'express-jwt' && guard !== 'passport-jwt';
}
