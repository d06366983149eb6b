import {
  autoSignatureThread,
  signatureThreadFor,
} from '../src/signature-thread.js';
import { createVerifier } from '../src/verifier.js';

describe('signatureThread', () => {
  it.each([
    ['RS256', 'worker'],
    ['PS256', 'worker'],
    ['ES256', 'worker'],
    ['ES384', 'worker'],
    ['EdDSA', 'worker'],
    ['HS256', 'event-loop'],
  ])('auto checks %s on the %s', (alg, where) => {
    expect(autoSignatureThread(alg)).toBe(where);
    expect(signatureThreadFor('auto', alg)).toBe(where);
  });

  it('follows an explicit choice, except for HMAC', () => {
    expect(signatureThreadFor('event-loop', 'ES256')).toBe('event-loop');
    expect(signatureThreadFor('thread-pool', 'ES256')).toBe('thread-pool');
    expect(signatureThreadFor('worker', 'RS256')).toBe('worker');
    expect(signatureThreadFor('thread-pool', 'HS256')).toBe('event-loop');
    expect(signatureThreadFor('worker', 'HS256')).toBe('event-loop');
  });

  it('refuses an unknown value at startup', () => {
    expect(() =>
      createVerifier({
        issuer: 'https://issuer.example.com',
        audience: 'api',
        jwks: { keys: [] },
        algorithms: ['ES256'],
        signatureThread: 'gpu' as never,
      }),
    ).toThrow('signatureThread');
  });
});
