import { createAuditBus, silentLogger } from '@portcullis/core';

import { normalizeOptions, warnAboutRiskyOptions } from '../src/options.js';
import { requireAuth } from '../src/require-auth.js';

const VALID = {
  issuer: 'https://issuer.example.com',
  audience: 'https://api.example.com',
  jwksUri: 'https://issuer.example.com/.well-known/jwks.json',
  algorithms: ['ES256'],
};

function without(key: keyof typeof VALID): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...VALID };
  delete copy[key];
  return copy;
}

describe('normalizeOptions', () => {
  describe('when an option is missing, unknown or unsafe', () => {
    it.each([
      ['a missing issuer', without('issuer'), 'issuer'],
      ['an empty issuer', { ...VALID, issuer: '' }, 'issuer'],
      ['a relative issuer', { ...VALID, issuer: '/issuer' }, 'issuer'],
      [
        'an http issuer off loopback',
        { ...VALID, issuer: 'http://issuer.example.com' },
        'issuer',
      ],
      ['a missing audience', without('audience'), 'audience'],
      ['an empty audience', { ...VALID, audience: '' }, 'audience'],
      ['an empty audience list', { ...VALID, audience: [] }, 'audience'],
      [
        'a non-string audience entry',
        { ...VALID, audience: ['a', 1] },
        'audience[1]',
      ],
      ['a missing jwksUri', without('jwksUri'), 'jwksUri'],
      [
        'an http jwksUri off loopback',
        { ...VALID, jwksUri: 'http://issuer.example.com/jwks.json' },
        'jwksUri',
      ],
      ['missing algorithms', without('algorithms'), 'algorithms'],
      ['empty algorithms', { ...VALID, algorithms: [] }, 'algorithms'],
      [
        'a string for algorithms',
        { ...VALID, algorithms: 'ES256' },
        'algorithms',
      ],
      [
        'the none algorithm',
        { ...VALID, algorithms: ['none'] },
        'algorithms[0]',
      ],
      ['HS256', { ...VALID, algorithms: ['ES256', 'HS256'] }, 'algorithms[1]'],
      ['HS512', { ...VALID, algorithms: ['HS512'] }, 'algorithms[0]'],
      [
        'an unknown algorithm',
        { ...VALID, algorithms: ['ES999'] },
        'algorithms[0]',
      ],
      [
        'a negative clock tolerance',
        { ...VALID, clockToleranceSeconds: -1 },
        'clockToleranceSeconds',
      ],
      [
        'a fractional clock tolerance',
        { ...VALID, clockToleranceSeconds: 1.5 },
        'clockToleranceSeconds',
      ],
      [
        'a NaN clock tolerance',
        { ...VALID, clockToleranceSeconds: Number.NaN },
        'clockToleranceSeconds',
      ],
      ['a zero maxTokenBytes', { ...VALID, maxTokenBytes: 0 }, 'maxTokenBytes'],
      ['an empty requiredType', { ...VALID, requiredType: '' }, 'requiredType'],
      [
        'a requiredType with a quote',
        { ...VALID, requiredType: 'at+jwt"' },
        'requiredType',
      ],
      [
        'a string maxTokenBytes',
        { ...VALID, maxTokenBytes: '8k' },
        'maxTokenBytes',
      ],
      ['a non-function isRevoked', { ...VALID, isRevoked: true }, 'isRevoked'],
      ['an audit bus without emit', { ...VALID, audit: {} }, 'audit'],
      ['a logger without methods', { ...VALID, logger: {} }, 'logger'],
      ['an unknown option key', { ...VALID, cacheSeconds: 60 }, 'cacheSeconds'],
      ['a misspelt audience key', { ...VALID, audiance: 'x' }, 'audiance'],
      ['null options', null, 'options'],
      [
        'an unknown audienceClaim',
        { ...VALID, audienceClaim: 'azp' },
        'audienceClaim',
      ],
      [
        'a zero maxTokenAgeSeconds',
        { ...VALID, maxTokenAgeSeconds: 0 },
        'maxTokenAgeSeconds',
      ],
      ['an unknown profile', { ...VALID, profile: 'rfc7519' }, 'profile'],
      [
        'requiredClaims as a string',
        { ...VALID, requiredClaims: 'sub' },
        'requiredClaims',
      ],
      [
        'an empty required claim',
        { ...VALID, requiredClaims: [''] },
        'requiredClaims[0]',
      ],
      [
        'claimValues as an array',
        { ...VALID, claimValues: ['x'] },
        'claimValues',
      ],
      [
        'an empty claim value list',
        { ...VALID, claimValues: { a: [] } },
        'claimValues.a',
      ],
      [
        'an unknown scope claim',
        { ...VALID, scopeClaims: ['roles'] },
        'scopeClaims[0]',
      ],
      ['a non-function clock', { ...VALID, clock: 5 }, 'clock'],
      ['a non-boolean optional', { ...VALID, optional: 1 }, 'optional'],
      ['a non-boolean preload', { ...VALID, preload: 'yes' }, 'preload'],
      ['a misspelt scope option', { ...VALID, scopes: ['scp'] }, 'scopes'],
      [
        'a non-object introspection',
        { ...VALID, introspection: 'x' },
        'introspection',
      ],
      ['a jwksUri next to jwks', { ...VALID, jwks: { keys: [] } }, 'jwksUri'],
      [
        'discovery set to false only',
        { ...without('jwksUri'), discovery: false },
        'jwksUri',
      ],
      [
        'discovery as a string',
        { ...without('jwksUri'), discovery: 'yes' },
        'discovery',
      ],
      [
        'a per-issuer audience that is empty',
        {
          ...without('issuer'),
          jwksUri: undefined,
          issuers: [
            { issuer: VALID.issuer, jwksUri: VALID.jwksUri, audience: [] },
          ],
        },
        'issuers[0].audience',
      ],
      [
        'a per-issuer HS256 with a JWKS',
        {
          ...without('issuer'),
          jwksUri: undefined,
          issuers: [
            {
              issuer: VALID.issuer,
              jwksUri: VALID.jwksUri,
              algorithms: ['HS256'],
            },
          ],
        },
        'issuers[0].algorithms[0]',
      ],
      [
        'a non-object issuers entry',
        { ...without('issuer'), jwksUri: undefined, issuers: ['x'] },
        'issuers[0]',
      ],
    ])('throws a TypeError naming the option for %s', (_, options, path) => {
      const attempt = () => requireAuth(options as never);

      expect(attempt).toThrow(TypeError);
      expect(attempt).toThrow(`@portcullis/jwt-guard: option "${path}"`);
    });

    it('suggests the intended option for a common typo', () => {
      expect(() => normalizeOptions({ ...VALID, jwksUrl: 'x' })).toThrow(
        'use "jwksUri"',
      );
    });
  });

  describe('when the options are valid', () => {
    it('applies the defaults and freezes the result', () => {
      const config = normalizeOptions(VALID);

      const issuer = config.issuers.get(VALID.issuer);
      expect(issuer).toMatchObject({
        issuer: VALID.issuer,
        audiences: [VALID.audience],
        algorithms: ['ES256'],
        keys: { kind: 'uri' },
      });
      expect(config).toMatchObject({
        clockToleranceSeconds: 5,
        maxTokenBytes: 8192,
        isRevoked: undefined,
        audit: undefined,
        logger: silentLogger,
      });
      expect(issuer?.keys).toEqual({
        kind: 'uri',
        url: new URL(VALID.jwksUri),
      });
      expect(Object.isFrozen(config)).toBe(true);
    });

    it('keeps the issuer exactly as given', () => {
      const config = normalizeOptions({
        ...VALID,
        issuer: 'https://issuer.example.com',
      });

      expect([...config.issuers.keys()]).toEqual([
        'https://issuer.example.com',
      ]);
    });

    it('accepts loopback http, a zero tolerance and the optional hooks', () => {
      const isRevoked = () => false;
      const audit = createAuditBus();

      const config = normalizeOptions({
        ...VALID,
        issuer: 'http://localhost:4000',
        jwksUri: 'http://127.0.0.1:4000/jwks',
        audience: ['a', 'b'],
        algorithms: ['ES256', 'ES256', 'EdDSA'],
        clockToleranceSeconds: 0,
        maxTokenBytes: 4096,
        isRevoked,
        audit,
      });

      expect(config.issuers.get('http://localhost:4000')).toMatchObject({
        audiences: ['a', 'b'],
        algorithms: ['ES256', 'EdDSA'],
      });
      expect(config).toMatchObject({
        clockToleranceSeconds: 0,
        maxTokenBytes: 4096,
        isRevoked,
        audit,
      });
    });
  });
});

describe('warnAboutRiskyOptions', () => {
  function warningsFor(options: Record<string, unknown>): number {
    const logger = { ...silentLogger, warn: jest.fn() };
    warnAboutRiskyOptions(normalizeOptions({ ...VALID, ...options, logger }));
    return logger.warn.mock.calls.length;
  }

  it('stays silent when issuer and JWKS use https', () => {
    expect(warningsFor({})).toBe(0);
  });

  it.each([
    ['a plain http issuer', { issuer: 'http://localhost:4000' }],
    ['a plain http JWKS', { jwksUri: 'http://localhost:4000/jwks' }],
    [
      'plain http for both',
      { issuer: 'http://localhost', jwksUri: 'http://localhost/jwks' },
    ],
    ['a clock tolerance over five minutes', { clockToleranceSeconds: 301 }],
  ])('warns once for %s', (_, options) => {
    expect(warningsFor(options)).toBe(1);
  });
});
