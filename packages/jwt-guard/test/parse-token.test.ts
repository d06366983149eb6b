import { parseToken } from '../src/parse-token.js';

const enc = (value: unknown) =>
  Buffer.from(
    typeof value === 'string' ? value : JSON.stringify(value),
  ).toString('base64url');
const HEADER = enc({ alg: 'ES256' });
const PAYLOAD = enc({ sub: 'a' });

function reason(token: string): string {
  try {
    parseToken(token);
    return 'OK';
  } catch (error) {
    return (error as { reason: string }).reason;
  }
}

describe('parseToken', () => {
  it('splits a compact JWS', () => {
    const parsed = parseToken(`${HEADER}.${PAYLOAD}.AAAA`);

    expect(parsed.header).toEqual({ alg: 'ES256' });
    expect(parsed.claims).toEqual({ sub: 'a' });
    expect(parsed.signingInput.toString()).toBe(`${HEADER}.${PAYLOAD}`);
    expect([...parsed.signature]).toEqual([0, 0, 0]);
  });

  it.each([
    ['AAAAAQ', [0, 0, 0, 1]],
    ['AAAAAAE', [0, 0, 0, 0, 1]],
  ])('accepts the canonical final group of %s', (signature, bytes) => {
    const parsed = parseToken(`${HEADER}.${PAYLOAD}.${signature}`);

    expect([...parsed.signature]).toEqual(bytes);
  });

  it.each([
    ['two parts', `${HEADER}.${PAYLOAD}`, 'JWT_GUARD_MALFORMED_TOKEN'],
    ['five parts (JWE)', `${HEADER}.a.b.c.d`, 'JWT_GUARD_MALFORMED_TOKEN'],
    ['an empty header', `.${PAYLOAD}.AAAA`, 'JWT_GUARD_MALFORMED_TOKEN'],
    ['padding', `${HEADER}=.${PAYLOAD}.AAAA`, 'JWT_GUARD_MALFORMED_TOKEN'],
    [
      'standard base64',
      `${HEADER}.${PAYLOAD}.AA+/`,
      'JWT_GUARD_MALFORMED_TOKEN',
    ],
    [
      'an impossible length',
      `${HEADER}.${PAYLOAD}.AAAAA`,
      'JWT_GUARD_MALFORMED_TOKEN',
    ],
    [
      'a non-canonical last char',
      `${HEADER}.${PAYLOAD}.AAB`,
      'JWT_GUARD_MALFORMED_TOKEN',
    ],
    [
      'a non-canonical last char in a group of two',
      `${HEADER}.${PAYLOAD}.AAAAAR`,
      'JWT_GUARD_MALFORMED_TOKEN',
    ],
    [
      'a header that is not JSON',
      `${enc('{alg')}.${PAYLOAD}.AAAA`,
      'JWT_GUARD_MALFORMED_TOKEN',
    ],
    [
      'a header that is an array',
      `${enc([1])}.${PAYLOAD}.AAAA`,
      'JWT_GUARD_MALFORMED_TOKEN',
    ],
    [
      'a payload that is a string',
      `${HEADER}.${enc('"x"')}.AAAA`,
      'JWT_GUARD_MALFORMED_TOKEN',
    ],
    [
      'a payload that is null',
      `${HEADER}.${enc('null')}.AAAA`,
      'JWT_GUARD_MALFORMED_TOKEN',
    ],
    ['an empty signature', `${HEADER}.${PAYLOAD}.`, 'JWT_GUARD_UNSIGNED'],
  ])('refuses %s', (_, token, expected) => {
    expect(reason(token)).toBe(expected);
  });
});
