import { createMemorySessionStore } from '@portcullis/stores';

import { createSessionMiddleware } from '../src/index.js';
import type { SessionOptions } from '../src/index.js';

const store = createMemorySessionStore();
const base: SessionOptions = { store, origin: 'https://app.example' };

describe('createSessionMiddleware options', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a missing store', { store: undefined }, '"store"'],
    ['a store without methods', { store: {} }, '"store"'],
    ['a missing origin', { origin: undefined }, '"origin"'],
    [
      'a non-loopback http origin',
      { origin: 'http://app.example' },
      '"origin"',
    ],
    ['a non-URL origin', { origin: 'app.example' }, '"origin"'],
    ['a zero idle timeout', { idleTimeoutSeconds: 0 }, '"idleTimeoutSeconds"'],
    [
      'a fractional absolute timeout',
      { absoluteTimeoutSeconds: 1.5 },
      '"absoluteTimeoutSeconds"',
    ],
    [
      'idle beyond absolute',
      { idleTimeoutSeconds: 100, absoluteTimeoutSeconds: 50 },
      '"idleTimeoutSeconds"',
    ],
    [
      'an idpSession without a deny-list',
      { idpSession: {} },
      '"idpSession.denyList"',
    ],
    ['a zero header budget', { headerBudgetBytes: 0 }, '"headerBudgetBytes"'],
    ['an unknown sameSite', { sameSite: 'None' }, '"sameSite"'],
    ['a cookie name with a space', { cookieName: 'a b' }, '"cookieName"'],
    [
      'a __Host- name on http',
      { origin: 'http://localhost:3000', cookieName: '__Host-x' },
      '"cookieName"',
    ],
    ['a misspelt option', { idleTimeout: 10 }, '"idleTimeout"'],
  ])('rejects %s', (_name, override, path) => {
    const options = { ...base, ...override } as SessionOptions;

    expect(() => createSessionMiddleware(options)).toThrow(TypeError);
    expect(() => createSessionMiddleware(options)).toThrow(path);
  });

  it('warns once about plain http on loopback', () => {
    const warnings: string[] = [];
    const logger = {
      debug() {},
      info() {},
      warn: (message: string) => warnings.push(message),
      error() {},
    };
    createSessionMiddleware({ store, origin: 'http://127.0.0.1:3000', logger });

    expect(warnings).toEqual([
      '@portcullis/session-bridge: plain http origin, cookies are not Secure',
    ]);
  });
});
