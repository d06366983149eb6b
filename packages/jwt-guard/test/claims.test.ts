import { checkClaims } from '../src/claims.js';
import type { ClaimRules } from '../src/claims.js';

const NOW = 1_800_000_000;
const ISSUER = 'https://issuer.example.com';

const RULES: ClaimRules = {
  issuer: ISSUER,
  audiences: ['api'],
  audienceClaim: 'aud',
  clockToleranceSeconds: 5,
  maxTokenAgeSeconds: undefined,
  requiredClaims: [],
  claimValues: {},
};

function claims(overrides: Record<string, unknown> = {}) {
  return { iss: ISSUER, aud: 'api', iat: NOW, exp: NOW + 60, ...overrides };
}

function reason(
  input: Record<string, unknown>,
  rules: Partial<ClaimRules> = {},
  now = NOW,
): string {
  try {
    checkClaims(input, { ...RULES, ...rules }, now);
    return 'OK';
  } catch (error) {
    return (error as { reason: string }).reason;
  }
}

describe('checkClaims', () => {
  it('accepts valid claims', () => {
    expect(reason(claims())).toBe('OK');
  });

  describe('when a time claim is not a number', () => {
    it.each([
      ['exp as a string', { exp: String(NOW + 60) }],
      ['nbf as a string', { nbf: String(NOW - 10) }],
      ['iat as a string', { iat: String(NOW) }],
      ['exp as null', { exp: null }],
      ['exp as a boolean', { exp: true }],
      ['exp as an array', { exp: [NOW + 60] }],
      ['exp as an object', { exp: { value: NOW + 60 } }],
    ])('refuses %s', (_, overrides) => {
      expect(reason(claims(overrides))).toBe('JWT_GUARD_CLAIM_INVALID');
    });
  });

  it('refuses a token without exp', () => {
    expect(reason(claims({ exp: undefined }))).toBe('JWT_GUARD_CLAIM_MISSING');
  });

  describe('at the exact tolerance boundaries', () => {
    // Valid while now < exp + tolerance and now >= nbf - tolerance.
    it.each([
      ['exp: one second before exp + tolerance', { exp: NOW - 4 }, 'OK'],
      ['exp: at exp + tolerance', { exp: NOW - 5 }, 'JWT_GUARD_EXPIRED'],
      ['exp: after exp + tolerance', { exp: NOW - 6 }, 'JWT_GUARD_EXPIRED'],
      ['nbf: at nbf - tolerance', { nbf: NOW + 5 }, 'OK'],
      ['nbf: one second before', { nbf: NOW + 6 }, 'JWT_GUARD_NOT_YET_VALID'],
      ['iat: at now + tolerance', { iat: NOW + 5 }, 'OK'],
      [
        'iat: past now + tolerance',
        { iat: NOW + 6 },
        'JWT_GUARD_ISSUED_IN_FUTURE',
      ],
    ])('%s', (_, overrides, expected) => {
      expect(reason(claims(overrides))).toBe(expected);
    });

    it.each([
      [0, NOW + 1, 'OK'],
      [0, NOW, 'JWT_GUARD_EXPIRED'],
    ])(
      'with tolerance %i and exp %i answers %s',
      (tolerance, exp, expected) => {
        expect(
          reason(claims({ exp }), { clockToleranceSeconds: tolerance }),
        ).toBe(expected);
      },
    );
  });

  describe('with maxTokenAgeSeconds', () => {
    it.each([
      ['an iat at the age limit plus tolerance', NOW - 65, 'OK'],
      ['an iat past it', NOW - 66, 'JWT_GUARD_TOO_OLD'],
      ['no iat', undefined, 'JWT_GUARD_CLAIM_MISSING'],
    ])('answers %s', (_, iat, expected) => {
      expect(reason(claims({ iat }), { maxTokenAgeSeconds: 60 })).toBe(
        expected,
      );
    });
  });

  describe('audience', () => {
    it.each([
      ['a string', 'api', 'OK'],
      ['an array that includes it', ['x', 'api'], 'OK'],
      ['another string', 'apix', 'JWT_GUARD_AUDIENCE_MISMATCH'],
      ['a prefix', 'ap', 'JWT_GUARD_AUDIENCE_MISMATCH'],
      ['an array without it', ['x', 'y'], 'JWT_GUARD_AUDIENCE_MISMATCH'],
      ['an empty array', [], 'JWT_GUARD_AUDIENCE_MISMATCH'],
      ['a number', 1, 'JWT_GUARD_AUDIENCE_MISMATCH'],
      ['nothing', undefined, 'JWT_GUARD_AUDIENCE_MISMATCH'],
    ])('answers %s', (_, aud, expected) => {
      expect(reason(claims({ aud }))).toBe(expected);
    });

    it('reads client_id when audienceClaim says so', () => {
      const rules = { audienceClaim: 'client_id' as const, audiences: ['app'] };

      expect(reason(claims({ aud: undefined, client_id: 'app' }), rules)).toBe(
        'OK',
      );
      expect(reason(claims({ client_id: 'other' }), rules)).toBe(
        'JWT_GUARD_AUDIENCE_MISMATCH',
      );
      expect(reason(claims({ client_id: ['app'] }), rules)).toBe(
        'JWT_GUARD_CLAIM_INVALID',
      );
    });
  });

  it('refuses another issuer, even one differing by a slash', () => {
    expect(reason(claims({ iss: `${ISSUER}/` }))).toBe(
      'JWT_GUARD_ISSUER_UNKNOWN',
    );
  });

  it('enforces required claims and claim values', () => {
    const rules = {
      requiredClaims: ['sub'],
      claimValues: { token_use: ['access'] },
    };

    expect(reason(claims({ sub: 'u', token_use: 'access' }), rules)).toBe('OK');
    expect(reason(claims({ token_use: 'access' }), rules)).toBe(
      'JWT_GUARD_CLAIM_MISSING',
    );
    expect(reason(claims({ sub: 'u', token_use: 'id' }), rules)).toBe(
      'JWT_GUARD_CLAIM_INVALID',
    );
  });
});
