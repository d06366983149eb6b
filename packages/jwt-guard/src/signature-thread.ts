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

/**
 * Where `auto` checks a signature of `alg`: the thread pool for every RSA,
 * ECDSA and EdDSA algorithm (faster than the event loop for each of RS256,
 * ES256 and EdDSA in `pnpm bench:jwt-guard`), the event loop for HMAC,
 * which costs less than the hop.
 */
export function autoSignatureThread(alg: string): 'event-loop' | 'thread-pool' {
  return alg.startsWith('HS') ? 'event-loop' : 'thread-pool';
}

/** Whether a signature of `alg` is checked on the thread pool. */
export function onThreadPool(thread: SignatureThread, alg: string): boolean {
  if (alg.startsWith('HS')) return false;
  const where = thread === 'auto' ? autoSignatureThread(alg) : thread;
  return where === 'thread-pool';
}
