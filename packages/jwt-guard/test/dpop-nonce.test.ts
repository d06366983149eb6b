import { createNonceProvider } from '../src/dpop-nonce.js';

describe('createNonceProvider', () => {
  it('accepts the current and the previous nonce only', () => {
    let now = 1_000_000_000_000;
    const provider = createNonceProvider(() => now, 300);

    const first = provider.current();
    now += 300_000;
    const second = provider.current();
    const firstStillValid = provider.isValid(first);
    now += 300_000;

    expect(second).not.toBe(first);
    expect(firstStillValid).toBe(true);
    expect(provider.isValid(first)).toBe(false);
    expect(provider.isValid(second)).toBe(true);
    expect(provider.isValid('')).toBe(false);
  });

  it('forgets both nonces after a long pause', () => {
    let now = 1_000_000_000_000;
    const provider = createNonceProvider(() => now, 300);
    const nonce = provider.current();

    now += 3_600_000;

    expect(provider.isValid(nonce)).toBe(false);
  });
});
