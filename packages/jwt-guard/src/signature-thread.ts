/**
 * Where a token's signature is checked. A synchronous `crypto.verify`
 * costs least per call but holds the event loop for the whole check; the
 * callback form runs the check on libuv's thread pool, which costs a hop
 * per call and lets a second core work while the event loop serves other
 * requests. Which wins depends on how long the check takes, so `auto`
 * picks per algorithm, from the HTTP benchmark in docs/benchmarks.md.
 */

/** The `signatureThread` option. */
export type SignatureThread = 'auto' | 'event-loop' | 'thread-pool';

/** Every value of {@link SignatureThread}. */
export const SIGNATURE_THREADS: readonly SignatureThread[] = [
  'auto',
  'event-loop',
  'thread-pool',
];

// Measured with `pnpm bench:jwt-guard` (fresh token on every request).
// Algorithms not listed stay on the event loop.
const THREAD_POOL_BY_DEFAULT: ReadonlySet<string> = new Set([
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
]);

/** Where `auto` checks a signature of `alg`. */
export function autoSignatureThread(alg: string): 'event-loop' | 'thread-pool' {
  return THREAD_POOL_BY_DEFAULT.has(alg) ? 'thread-pool' : 'event-loop';
}

/** Whether a signature of `alg` is checked on the thread pool. */
export function onThreadPool(thread: SignatureThread, alg: string): boolean {
  if (alg.startsWith('HS')) return false;
  const where = thread === 'auto' ? autoSignatureThread(alg) : thread;
  return where === 'thread-pool';
}
