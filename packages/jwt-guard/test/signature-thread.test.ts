import { autoSignatureThread, onThreadPool } from '../src/signature-thread.js';
import { createVerifier } from '../src/verifier.js';

describe('signatureThread', () => {
  it.each([
    ['RS256', 'thread-pool'],
    ['PS256', 'thread-pool'],
    ['ES256', 'thread-pool'],
    ['ES384', 'thread-pool'],
    ['EdDSA', 'thread-pool'],
    ['HS256', 'event-loop'],
  ])('auto checks %s on the %s', (alg, where) => {
    expect(autoSignatureThread(alg)).toBe(where);
    expect(onThreadPool('auto', alg)).toBe(where === 'thread-pool');
  });

  it('follows an explicit choice, except for HMAC', () => {
    expect(onThreadPool('event-loop', 'ES256')).toBe(false);
    expect(onThreadPool('thread-pool', 'ES256')).toBe(true);
    expect(onThreadPool('thread-pool', 'HS256')).toBe(false);
  });

  it('refuses an unknown value at startup', () => {
    expect(() =>
      createVerifier({
        issuer: 'https://issuer.example.com',
        audience: 'api',
        jwks: { keys: [] },
        algorithms: ['ES256'],
        signatureThread: 'worker' as never,
      }),
    ).toThrow('signatureThread');
  });
});
