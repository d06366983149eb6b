import {
  isLoopbackUrl,
  optionalAuditBus,
  optionalLogger,
  parseSecureUrl,
  positiveInteger,
  rejectUnknownKeys,
  requireString,
  silentLogger,
} from '../src/index.js';

const PKG = '@portcullis/test';

describe('parseSecureUrl', () => {
  it.each([
    'https://idp.example',
    'http://127.0.0.1:3001',
    'http://localhost:8080/path',
    'http://[::1]:9000',
    'http://app.localhost',
  ])('accepts %s', (value) => {
    expect(parseSecureUrl(PKG, 'issuer', value).href).toBe(new URL(value).href);
  });

  it.each<[unknown, RegExp]>([
    [undefined, /"issuer" is required/],
    ['', /"issuer" is required/],
    ['not a url', /"issuer" is not an absolute URL/],
    ['http://idp.example', /"issuer" must use https/],
    ['http://127.0.0.1.evil.example', /"issuer" must use https/],
    ['ftp://idp.example', /"issuer" must use https/],
  ])('rejects %p', (value, message) => {
    expect(() => parseSecureUrl(PKG, 'issuer', value)).toThrow(TypeError);
    expect(() => parseSecureUrl(PKG, 'issuer', value)).toThrow(message);
  });

  it('starts its message with the package name', () => {
    expect(() => parseSecureUrl(PKG, 'issuer', undefined)).toThrow(
      /^@portcullis\/test: option "issuer"/,
    );
  });
});

describe('isLoopbackUrl', () => {
  it('does not count a public host that merely starts like one', () => {
    expect(isLoopbackUrl(new URL('http://localhost.evil.example'))).toBe(false);
  });
});

describe('requireString', () => {
  it('describes an empty secret without repeating it', () => {
    expect(() => requireString(PKG, 'clientSecret', '')).toThrow(
      '"clientSecret" is required: expected a non-empty string, got an empty string',
    );
  });
});

describe('positiveInteger', () => {
  it.each([0, -1, 1.5, Number.NaN, '10'])('rejects %p', (value) => {
    expect(() => positiveInteger(PKG, 'ttl', value, 5)).toThrow('"ttl"');
  });

  it('defaults when undefined', () => {
    expect(positiveInteger(PKG, 'ttl', undefined, 5)).toBe(5);
  });
});

describe('rejectUnknownKeys', () => {
  it('names the unknown key', () => {
    expect(() =>
      rejectUnknownKeys(PKG, { audiance: 'x' }, ['audience']),
    ).toThrow('"audiance" is not a known option');
  });
});

describe('optionalAuditBus and optionalLogger', () => {
  it('accept undefined and well-formed values', () => {
    const logger = { debug() {}, info() {}, warn() {}, error() {} };

    expect(optionalAuditBus(PKG, undefined)).toBeUndefined();
    expect(optionalLogger(PKG, undefined)).toBe(silentLogger);
    expect(optionalLogger(PKG, logger)).toBe(logger);
  });

  it.each([null, {}, { emit: 'x' }])('refuse the audit bus %p', (value) => {
    expect(() => optionalAuditBus(PKG, value)).toThrow('"audit"');
  });

  it.each([null, console.log, { info() {} }])(
    'refuse the logger %p',
    (value) => {
      expect(() => optionalLogger(PKG, value)).toThrow('"logger"');
    },
  );
});
