/**
 * Where a token's signature is checked. A synchronous `crypto.verify`
 * costs least per call but holds the event loop for the whole check; the
 * callback form runs the check on libuv's thread pool, which costs a hop
 * per call and lets a second core work while the event loop serves other
 * requests; the signature worker (signature-worker.ts) is one dedicated
 * thread fed in batches, which leaves libuv's pool alone and competes less
 * with the event loop for the cores. Which wins depends on how long the
 * check takes, so `auto` picks per algorithm, from the HTTP benchmark in
 * docs/benchmarks.md.
 */

/** The `signatureThread` option. */
export type SignatureThread = 'auto' | 'event-loop' | 'thread-pool' | 'worker';

/** Every value of {@link SignatureThread}. */
export const SIGNATURE_THREADS: readonly SignatureThread[] = [
  'auto',
  'event-loop',
  'thread-pool',
  'worker',
];

/**
 * Where `auto` checks a signature of `alg`: the signature worker for every
 * RSA, ECDSA and EdDSA algorithm (in `pnpm bench:jwt-guard`, as fast as
 * libuv's pool or faster for each of RS256, ES256 and EdDSA, and both
 * faster than the event loop), the event loop for HMAC, which costs less
 * than any hop.
 */
export function autoSignatureThread(alg: string): 'event-loop' | 'worker' {
  return alg.startsWith('HS') ? 'event-loop' : 'worker';
}

/** Where a signature of `alg` is checked under `thread`. */
export function signatureThreadFor(
  thread: SignatureThread,
  alg: string,
): Exclude<SignatureThread, 'auto'> {
  if (alg.startsWith('HS')) return 'event-loop';
  return thread === 'auto' ? autoSignatureThread(alg) : thread;
}
