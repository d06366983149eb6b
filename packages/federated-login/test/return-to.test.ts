import { Browser } from '../../../test-support/http-browser.js';
import { safeReturnTo } from '../src/index.js';
import { startLoginHarness } from './helpers/login-app.js';
import type { LoginHarness } from './helpers/login-app.js';
import { loginAtIdp } from './helpers/login-steps.js';

const FALLBACK = '/home';

describe('safeReturnTo', () => {
  it.each([
    '/',
    '/profile',
    '/a/b?c=d&e=%20f#g',
    '/search?q=a:b',
    '/caf%C3%A9',
  ])('keeps the same-origin path %p', (path) => {
    expect(safeReturnTo(path, FALLBACK)).toBe(path);
  });

  it.each<[string, unknown]>([
    ['a scheme-relative URL', '//evil.example'],
    ['a scheme-relative URL with a path', '//evil.example/login'],
    ['three slashes', '///evil.example'],
    ['a backslash after the slash', '/\\evil.example'],
    ['two backslashes', '\\\\evil.example'],
    ['a backslash inside', '/a\\..\\..\\/evil.example'],
    ['an encoded second slash', '/%2F/evil.example'],
    ['an encoded scheme-relative URL', '%2F%2Fevil.example'],
    ['an encoded backslash', '/%5Cevil.example'],
    ['a double-encoded slash', '/%252F%252Fevil.example'],
    ['an absolute https URL', 'https://evil.example/'],
    ['an absolute URL on this origin', 'http://127.0.0.1/'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a mixed-case scheme', 'JaVaScRiPt:alert(1)'],
    ['a relative path without a slash', 'evil.example'],
    ['a tab inside', '/\t/evil.example'],
    ['a newline inside', '/\n/evil.example'],
    ['a carriage return (header split)', '/a\r\nLocation: //evil.example'],
    ['a NUL byte', '/a\u0000b'],
    ['a space before the slashes', ' //evil.example'],
    ['a leading space', ' /profile'],
    ['a non-ASCII slash look-alike', '/\u2215evil.example'],
    ['a full-width solidus', '\uff0f\uff0fevil.example'],
    ['a dot-dot climb to //', '/a/..//evil.example'],
    ['an empty string', ''],
    ['a number', 42],
    ['an array (repeated query parameter)', ['/a', '//evil.example']],
    ['an object (bracket query syntax)', { a: '/x' }],
    ['an overlong path', `/${'a'.repeat(2048)}`],
  ])('falls back for %s', (_name, value) => {
    expect(safeReturnTo(value, FALLBACK)).toBe(FALLBACK);
  });
});

describe('createFederatedLogin returnTo', () => {
  let harness: LoginHarness;

  beforeAll(async () => {
    harness = await startLoginHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it.each<[string, string]>([
    ['?returnTo=%2Forders%2F7%3Ftab%3Dpaid', '/orders/7?tab=paid'],
    ['?returnTo=%2F%2Fevil.example', '/me'],
    ['?returnTo=https%3A%2F%2Fevil.example', '/me'],
    ['?returnTo=%2F%5Cevil.example', '/me'],
    ['?returnTo=/a&returnTo=//evil.example', '/me'],
    ['', '/me'],
  ])('after %p it redirects to %p', async (query, expected) => {
    const browser = new Browser();
    const callbackUrl = await loginAtIdp(browser, harness.baseUrl, {
      startQuery: query,
    });
    const hop = await browser.request(callbackUrl);

    expect(hop.response.status).toBe(303);
    expect(hop.response.headers.get('location')).toBe(expected);
  });

  it('keeps each tab its own returnTo', async () => {
    const browser = new Browser();
    const first = await loginAtIdp(browser, harness.baseUrl, {
      startQuery: '?returnTo=/first',
    });
    const second = await loginAtIdp(browser, harness.baseUrl, {
      startQuery: '?returnTo=/second',
    });

    const secondHop = await browser.request(second);
    const firstHop = await browser.request(first);
    expect(secondHop.response.headers.get('location')).toBe('/second');
    expect(firstHop.response.headers.get('location')).toBe('/first');
  });
});
