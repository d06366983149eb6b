/**
 * Server-provided DPoP nonces (RFC 9449 section 9). The built-in provider
 * keeps a random nonce per rotation period and accepts the current and the
 * previous one, so a client that just fetched a nonce is not refused at a
 * rotation.
 */

import { randomBytes } from 'node:crypto';

const NONCE_BYTES = 16;
const DEFAULT_ROTATION_SECONDS = 300;

/** Issues and checks DPoP nonces. */
export interface DpopNonceProvider {
  /** The nonce clients must use now. */
  current(): string;
  /** True when `nonce` is still accepted. */
  isValid(nonce: string): boolean;
}

/**
 * Creates the in-process nonce provider (one instance only: behind a load
 * balancer give a shared provider instead, LIM-016).
 */
export function createNonceProvider(
  clock: () => number = Date.now,
  rotationSeconds = DEFAULT_ROTATION_SECONDS,
): DpopNonceProvider {
  let period = -1;
  let current = '';
  let previous = '';

  function rotate(): void {
    const now = Math.floor(clock() / 1000 / rotationSeconds);
    if (now === period) return;
    previous = now === period + 1 ? current : '';
    current = randomBytes(NONCE_BYTES).toString('base64url');
    period = now;
  }

  return {
    current() {
      rotate();
      return current;
    },
    isValid(nonce) {
      rotate();
      return nonce.length > 0 && (nonce === current || nonce === previous);
    },
  };
}
