import { constants, generateKeyPairSync, sign } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

import {
  InvalidLogoutTokenError,
  validateLogoutToken,
} from '../src/logout-token.js';
import type { LogoutTokenExpectations } from '../src/logout-token.js';

const NOW = 1_800_000_000;
const ISSUER = 'https://idp.example';
const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function jwk(key: KeyObject, kid: string): JsonWebKey {
  return { ...key.export({ format: 'jwk' }), kid, use: 'sig' };
}

const KEYS = [jwk(ec.publicKey, 'ec-1'), jwk(rsa.publicKey, 'rsa-1')];

const encode = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

function signToken(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'ES256', kid: 'ec-1' },
  key: KeyObject = ec.privateKey,
): string {
  const input = `${encode(header)}.${encode(claims)}`;
  const alg = String(header.alg);
  const hash = `sha${alg.slice(2)}`;
  const options = alg.startsWith('ES')
    ? { key, dsaEncoding: 'ieee-p1363' as const }
    : alg.startsWith('PS')
      ? {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        }
      : { key };
  return `${input}.${sign(hash, Buffer.from(input), options).toString('base64url')}`;
}

const valid = {
  iss: ISSUER,
  aud: 'app',
  iat: NOW - 10,
  jti: 'jti-1',
  sub: 'user-1',
  sid: 'sid-1',
  events: { [EVENT]: {} },
};

const expected: LogoutTokenExpectations = {
  issuer: ISSUER,
  clientId: 'app',
  algorithms: ['ES256', 'RS256', 'PS256'],
  keys: async () => KEYS,
  now: NOW,
  maxAgeSeconds: 300,
  skewSeconds: 60,
};

describe('validateLogoutToken', () => {
  it.each<[string, string]>([
    ['ES256', signToken(valid)],
    ['RS256', signToken(valid, { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey)],
    ['PS256', signToken(valid, { alg: 'PS256', kid: 'rsa-1' }, rsa.privateKey)],
    ['typ logout+jwt', signToken(valid, { alg: 'ES256', typ: 'logout+jwt' })],
    ['an audience array', signToken({ ...valid, aud: ['x', 'app'] })],
    ['sid only', signToken({ ...valid, sub: undefined })],
    ['sub only', signToken({ ...valid, sid: undefined })],
  ])('accepts a token with %s', async (_name, token) => {
    await expect(validateLogoutToken(token, expected)).resolves.toMatchObject({
      issuer: ISSUER,
      jti: 'jti-1',
    });
  });

  it.each<[string, unknown]>([
    ['another issuer', signToken({ ...valid, iss: 'https://evil.example' })],
    ['another audience', signToken({ ...valid, aud: 'other' })],
    ['an iat in the future', signToken({ ...valid, iat: NOW + 120 })],
    ['an iat too old', signToken({ ...valid, iat: NOW - 301 })],
    ['no iat', signToken({ ...valid, iat: undefined })],
    ['an expired exp', signToken({ ...valid, exp: NOW - 120 })],
    ['no jti', signToken({ ...valid, jti: undefined })],
    ['an empty jti', signToken({ ...valid, jti: '' })],
    ['no events', signToken({ ...valid, events: undefined })],
    ['another event', signToken({ ...valid, events: { 'urn:x': {} } })],
    [
      'an event that is not an object',
      signToken({ ...valid, events: { [EVENT]: 'yes' } }),
    ],
    ['a nonce', signToken({ ...valid, nonce: 'n' })],
    [
      'neither sub nor sid',
      signToken({ ...valid, sub: undefined, sid: undefined }),
    ],
    ['a non-string sid', signToken({ ...valid, sid: 7 })],
    ['alg none', `${encode({ alg: 'none' })}.${encode(valid)}.`],
    ['alg HS256', `${encode({ alg: 'HS256' })}.${encode(valid)}.c2ln`],
    [
      'an alg the provider does not announce',
      signToken(valid, { alg: 'ES384', kid: 'ec-1' }),
    ],
    [
      'a crit header',
      signToken(valid, { alg: 'ES256', kid: 'ec-1', crit: ['b64'] }),
    ],
    [
      'a typ of another token',
      signToken(valid, { alg: 'ES256', typ: 'at+jwt' }),
    ],
    ['an unknown kid', signToken(valid, { alg: 'ES256', kid: 'nope' })],
    [
      'a key of the wrong type for the alg',
      signToken(valid, { alg: 'ES256', kid: 'rsa-1' }),
    ],
    [
      'a signature by another key',
      signToken(valid, undefined, other.privateKey),
    ],
    [
      'a changed payload',
      (() => {
        const [h, , s] = signToken(valid).split('.');
        return `${h}.${encode({ ...valid, sub: 'admin' })}.${s}`;
      })(),
    ],
    ['four segments', `${signToken(valid)}.x`],
    ['a non-string', 42],
    ['an oversized token', `${'a'.repeat(17_000)}.b.c`],
  ])('refuses a token with %s', async (_name, token) => {
    await expect(validateLogoutToken(token, expected)).rejects.toBeInstanceOf(
      InvalidLogoutTokenError,
    );
  });

  it('refetches the keys once for an unknown kid', async () => {
    const calls: boolean[] = [];
    const rotated = jwk(other.publicKey, 'new');
    const keys = async (refresh: boolean) => {
      calls.push(refresh);
      return refresh ? [...KEYS, rotated] : KEYS;
    };
    const token = signToken(
      valid,
      { alg: 'ES256', kid: 'new' },
      other.privateKey,
    );

    await expect(
      validateLogoutToken(token, { ...expected, keys }),
    ).resolves.toMatchObject({ sid: 'sid-1' });
    expect(calls).toEqual([false, true]);
  });
});
