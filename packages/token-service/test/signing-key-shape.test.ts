import { checkSigningKey } from '../src/signing-key-shape.js';

const EC_KEY = { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', d: 'dd' };
const OKP_KEY = { kty: 'OKP', crv: 'Ed25519', x: 'xx', d: 'dd' };
const RSA_KEY = {
  kty: 'RSA',
  n: Buffer.alloc(256, 0xff).toString('base64url'),
  e: 'AQAB',
  d: 'dd',
  p: 'pp',
  q: 'qq',
  dp: 'dp',
  dq: 'dq',
  qi: 'qi',
};
// 2047 bits: the first byte has its top bit clear.
const SHORT_N = Buffer.concat([
  Buffer.from([0x7f]),
  Buffer.alloc(255, 0xff),
]).toString('base64url');

describe('checkSigningKey', () => {
  it('accepts no key', () => {
    expect(checkSigningKey(undefined, 'ES256')).toBeUndefined();
  });

  it.each([
    ['ES256', EC_KEY],
    ['ES256', { ...EC_KEY, alg: 'ES256', use: 'sig', key_ops: ['sign'] }],
    ['EdDSA', OKP_KEY],
    ['EdDSA', { ...OKP_KEY, alg: 'EdDSA' }],
    ['RS256', RSA_KEY],
    ['RS256', { ...RSA_KEY, alg: 'RS256', use: 'sig' }],
  ] as const)('accepts a private %s key and freezes a copy', (alg, jwk) => {
    const checked = checkSigningKey(jwk, alg);

    expect(checked).toEqual(jwk);
    expect(checked).not.toBe(jwk);
    expect(Object.isFrozen(checked)).toBe(true);
  });

  it.each([
    ['a string', 'ES256', 'a-secret-value', 'private JWK object'],
    ['null', 'ES256', null, 'private JWK object'],
    ['an array', 'ES256', [EC_KEY], 'private JWK object'],
    [
      'a symmetric key',
      'ES256',
      { kty: 'oct', k: 'a-secret-value' },
      'EC P-256',
    ],
    [
      'an RSA key',
      'ES256',
      { kty: 'RSA', n: 'n', e: 'AQAB', d: 'd' },
      'EC P-256',
    ],
    ['a P-384 key', 'ES256', { ...EC_KEY, crv: 'P-384' }, 'EC P-256'],
    ['an EC key for EdDSA', 'EdDSA', EC_KEY, 'OKP Ed25519'],
    ['an X25519 key', 'EdDSA', { ...OKP_KEY, crv: 'X25519' }, 'OKP Ed25519'],
    ['an Ed25519 key for ES256', 'ES256', OKP_KEY, 'EC P-256'],
    ['a public key', 'ES256', { ...EC_KEY, d: undefined }, '"d" member'],
    ['an EC key for RS256', 'RS256', EC_KEY, 'RSA key for "RS256"'],
    ['a public RSA key', 'RS256', { ...RSA_KEY, d: undefined }, '"d" member'],
    [
      'an RSA key without CRT members',
      'RS256',
      { ...RSA_KEY, dp: undefined, qi: undefined },
      '"dp", "qi" member',
    ],
    ['an RSA key without n', 'RS256', { ...RSA_KEY, n: undefined }, 'n, e'],
    [
      'an RSA key of 2047 bits',
      'RS256',
      { ...RSA_KEY, n: SHORT_N },
      'at least 2048 bits',
    ],
    [
      'an RSA key of 1024 bits',
      'RS256',
      { ...RSA_KEY, n: Buffer.alloc(128, 0xff).toString('base64url') },
      'at least 2048 bits',
    ],
    ['an empty d', 'ES256', { ...EC_KEY, d: '' }, '"d" member'],
    [
      'a key without y',
      'ES256',
      { ...EC_KEY, y: undefined },
      'public members x, y',
    ],
    [
      'a key without x',
      'EdDSA',
      { ...OKP_KEY, x: undefined },
      'public members x',
    ],
    ['a key for another alg', 'ES256', { ...EC_KEY, alg: 'ES384' }, '"ES384"'],
    ['an encryption key', 'ES256', { ...EC_KEY, use: 'enc' }, '"use"'],
    [
      'a key without sign',
      'ES256',
      { ...EC_KEY, key_ops: ['verify'] },
      '"key_ops"',
    ],
    [
      'key_ops not a list',
      'ES256',
      { ...EC_KEY, key_ops: 'sign' },
      '"key_ops"',
    ],
  ] as const)('refuses %s', (_, alg, jwk, expected) => {
    const attempt = () => checkSigningKey(jwk, alg);

    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow('option "signingKey"');
    expect(attempt).toThrow(expected);
  });

  it('never repeats private key material in its message', () => {
    const attempt = () =>
      checkSigningKey({ kty: 'oct', k: 'a-secret-value' }, 'ES256');

    expect(attempt).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('a-secret-value'),
      }),
    );
  });
});
