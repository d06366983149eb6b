import { normalizeAccessTokenInput } from '../src/access-token-input.js';

const DEFAULT_TTL_SECONDS = 300;
const VALID = {
  subject: 'user-1',
  audience: 'https://api.example.com',
  clientId: 'web',
};

describe('normalizeAccessTokenInput', () => {
  it('resolves the defaults', () => {
    expect(normalizeAccessTokenInput(VALID, DEFAULT_TTL_SECONDS)).toEqual({
      ...VALID,
      scope: [],
      sessionId: undefined,
      ttlSeconds: DEFAULT_TTL_SECONDS,
    });
  });

  it('keeps scopes in order without duplicates', () => {
    const input = { ...VALID, scope: ['read', 'write', 'read'] };

    expect(normalizeAccessTokenInput(input, 1).scope).toEqual([
      'read',
      'write',
    ]);
  });

  it.each([
    ['null input', null, 'input'],
    ['a missing subject', { ...VALID, subject: undefined }, 'subject'],
    ['an empty subject', { ...VALID, subject: '' }, 'subject'],
    ['a missing audience', { ...VALID, audience: undefined }, 'audience'],
    ['an audience list', { ...VALID, audience: ['a'] }, 'audience'],
    ['a missing clientId', { ...VALID, clientId: undefined }, 'clientId'],
    ['a string scope', { ...VALID, scope: 'read write' }, 'scope'],
    ['a scope with a space', { ...VALID, scope: ['read write'] }, 'scope[0]'],
    ['a scope with a quote', { ...VALID, scope: ['ok', 'a"b'] }, 'scope[1]'],
    ['a scope with a backslash', { ...VALID, scope: ['a\\b'] }, 'scope[0]'],
    ['an empty scope', { ...VALID, scope: [''] }, 'scope[0]'],
    ['a non-string scope', { ...VALID, scope: [1] }, 'scope[0]'],
    ['an empty sessionId', { ...VALID, sessionId: '' }, 'sessionId'],
    ['a zero ttlSeconds', { ...VALID, ttlSeconds: 0 }, 'ttlSeconds'],
    ['a negative ttlSeconds', { ...VALID, ttlSeconds: -5 }, 'ttlSeconds'],
    ['a NaN ttlSeconds', { ...VALID, ttlSeconds: Number.NaN }, 'ttlSeconds'],
    [
      'an infinite ttlSeconds',
      { ...VALID, ttlSeconds: Infinity },
      'ttlSeconds',
    ],
  ])('throws a TypeError naming the field for %s', (_, input, field) => {
    const attempt = () => normalizeAccessTokenInput(input, DEFAULT_TTL_SECONDS);

    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow(`mintAccessToken input "${field}"`);
  });
});
