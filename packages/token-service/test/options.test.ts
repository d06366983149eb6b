import { createAuditBus, silentLogger } from '@portcullis/core';

import { normalizeOptions, warnAboutRiskyOptions } from '../src/options.js';
import { ISSUER } from './helpers/keys.js';

describe('normalizeOptions', () => {
  describe('when an option is missing, unknown or unsafe', () => {
    it.each([
      ['a missing issuer', {}, 'issuer'],
      ['an empty issuer', { issuer: '' }, 'issuer'],
      ['a relative issuer', { issuer: 'auth' }, 'issuer'],
      [
        'an http issuer off loopback',
        { issuer: 'http://auth.example.com' },
        'issuer',
      ],
      ['an issuer with a query', { issuer: `${ISSUER}?tenant=a` }, 'issuer'],
      ['an issuer with a fragment', { issuer: `${ISSUER}#a` }, 'issuer'],
      ['an issuer with an empty query', { issuer: `${ISSUER}?` }, 'issuer'],
      [
        'an unknown algorithm',
        { issuer: ISSUER, algorithm: 'PS256' },
        'algorithm',
      ],
      ['HS256', { issuer: ISSUER, algorithm: 'HS256' }, 'algorithm'],
      ['none', { issuer: ISSUER, algorithm: 'none' }, 'algorithm'],
      [
        'a zero lifetime',
        { issuer: ISSUER, accessTokenTtlSeconds: 0 },
        'accessTokenTtlSeconds',
      ],
      [
        'a fractional lifetime',
        { issuer: ISSUER, accessTokenTtlSeconds: 1.5 },
        'accessTokenTtlSeconds',
      ],
      [
        'a lifetime as a string',
        { issuer: ISSUER, accessTokenTtlSeconds: '300' },
        'accessTokenTtlSeconds',
      ],
      [
        'a string signing key',
        { issuer: ISSUER, signingKey: 'secret' },
        'signingKey',
      ],
      ['an audit bus without emit', { issuer: ISSUER, audit: {} }, 'audit'],
      [
        'a logger without methods',
        { issuer: ISSUER, logger: console.log },
        'logger',
      ],
      ['an unknown option key', { issuer: ISSUER, ttl: 300 }, 'ttl'],
      ['null options', null, 'options'],
    ])('throws a TypeError naming the option for %s', (_, options, path) => {
      const attempt = () => normalizeOptions(options);

      expect(attempt).toThrow(TypeError);
      expect(attempt).toThrow(`@portcullis/token-service: option "${path}"`);
    });
  });

  describe('when the options are valid', () => {
    it('applies the defaults and freezes the result', () => {
      const config = normalizeOptions({ issuer: ISSUER });

      expect(config).toEqual({
        issuer: ISSUER,
        jwksUri: `${ISSUER}/.well-known/jwks.json`,
        algorithm: 'ES256',
        signingKey: undefined,
        accessTokenTtlSeconds: 300,
        audit: undefined,
        logger: silentLogger,
        audience: undefined,
        refreshTokens: undefined,
        denyList: undefined,
        refreshTokenSecret: expect.any(Buffer),
        refreshTokenSecretGenerated: true,
        refreshIdleTtlSeconds: 14 * 24 * 3600,
        refreshAbsoluteTtlSeconds: 30 * 24 * 3600,
        refreshGraceSeconds: 5,
        clients: new Map(),
        jwksMaxAgeSeconds: 300,
        keyRotation: {
          intervalMs: 30 * 24 * 3600 * 1000,
          pendingMs: 3600 * 1000,
          retiredMs: (300 + 30 + 3600) * 1000,
          refreshMs: 30 * 1000,
          maxTokenTtlSeconds: 300 + 3600,
        },
      });
      expect(config.refreshTokenSecret).toHaveLength(32);
      expect(Object.isFrozen(config)).toBe(true);
    });

    it.each([
      [
        'https://auth.example.com',
        'https://auth.example.com/.well-known/jwks.json',
      ],
      [
        'https://auth.example.com/',
        'https://auth.example.com/.well-known/jwks.json',
      ],
      [
        'https://example.com/auth',
        'https://example.com/auth/.well-known/jwks.json',
      ],
      [
        'https://example.com/auth//',
        'https://example.com/auth/.well-known/jwks.json',
      ],
      ['http://127.0.0.1:4000', 'http://127.0.0.1:4000/.well-known/jwks.json'],
    ])(
      'keeps issuer %s as given and derives its jwksUri',
      (issuer, jwksUri) => {
        const config = normalizeOptions({ issuer });

        expect(config.issuer).toBe(issuer);
        expect(config.jwksUri).toBe(jwksUri);
      },
    );

    it('accepts EdDSA, a lifetime and an audit bus', () => {
      const audit = createAuditBus();

      const config = normalizeOptions({
        issuer: ISSUER,
        algorithm: 'EdDSA',
        accessTokenTtlSeconds: 60,
        audit,
      });

      expect(config).toMatchObject({
        algorithm: 'EdDSA',
        accessTokenTtlSeconds: 60,
        audit,
      });
    });
  });
});

describe('warnAboutRiskyOptions', () => {
  function warningsFor(options: Record<string, unknown>): string[] {
    const logger = { ...silentLogger, warn: jest.fn() };
    warnAboutRiskyOptions(
      normalizeOptions({ issuer: ISSUER, ...options, logger }),
    );
    return logger.warn.mock.calls.map(([message]) => message as string);
  }

  const signingKey = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' };

  it('stays silent with a configured key and a short lifetime', () => {
    expect(warningsFor({ signingKey })).toEqual([]);
  });

  it('warns that a generated key does not survive a restart', () => {
    expect(warningsFor({})).toEqual([
      expect.stringContaining('signing key generated at start'),
    ]);
  });

  it('warns about an access-token lifetime over an hour', () => {
    expect(warningsFor({ signingKey, accessTokenTtlSeconds: 3601 })).toEqual([
      expect.stringContaining('over an hour'),
    ]);
  });
});
