/**
 * The guards of the HTTP benchmark and which algorithms each supports.
 */

import type { Algorithm } from './keys.js';

/** The route's protection in one benchmark server. */
export type Guard =
  | 'unguarded'
  | 'portcullis'
  | 'oauth2-jwt-bearer'
  | 'express-jwt'
  | 'passport-jwt';

/** The guarded contenders, Portcullis first. */
export const GUARDS: readonly Guard[] = [
  'portcullis',
  'oauth2-jwt-bearer',
  'express-jwt',
  'passport-jwt',
];

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
