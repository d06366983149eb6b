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
  | 'portcullis-worker'
  | 'oauth2-jwt-bearer'
  | 'express-jwt'
  | 'passport-jwt';

/**
 * The guarded contenders of the HTTP benchmark, Portcullis first:
 * `portcullis-cached` with the default options (verified-token cache on,
 * `signatureThread: 'auto'`), then with the signature check forced onto
 * the event loop, onto libuv's thread pool and onto the signature worker
 * thread (the measurement behind `auto`).
 * `portcullis` (cache off) is kept for ad hoc runs through BENCH_ONLY.
 */
export const GUARDS: readonly Guard[] = [
  'portcullis-cached',
  'portcullis-event-loop',
  'portcullis-thread-pool',
  'portcullis-worker',
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
