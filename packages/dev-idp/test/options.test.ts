import { normalizeOptions } from '../src/options.js';
import { DEFAULT_TEST_USERS } from '../src/test-users.js';

const client = {
  clientId: 'app',
  clientSecret: 'app-secret',
  redirectUris: ['http://127.0.0.1:3000/callback'],
};
const user = {
  sub: 's1',
  email: 'a@example.test',
  password: 'pw',
  name: 'A',
  emailVerified: true,
};

describe('normalizeOptions', () => {
  it('applies the defaults and freezes the result', () => {
    const config = normalizeOptions({ clients: [client] });

    expect(config.port).toBe(0);
    expect(config.users).toEqual(DEFAULT_TEST_USERS);
    expect(config.clients[0]?.postLogoutRedirectUris).toEqual([]);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.clients[0])).toBe(true);
  });

  it('keeps extra claims of a user, frozen', () => {
    const withClaims = { ...user, claims: { hd: 'example.test', tid: 't1' } };
    const config = normalizeOptions({ clients: [client], users: [withClaims] });

    expect(config.users[0]?.claims).toEqual({ hd: 'example.test', tid: 't1' });
    expect(Object.isFrozen(config.users[0]?.claims)).toBe(true);
  });

  it('keeps the given port, clients and users', () => {
    const config = normalizeOptions({
      port: 4000,
      clients: [{ ...client, postLogoutRedirectUris: ['https://a.test/'] }],
      users: [user],
    });

    expect(config.port).toBe(4000);
    expect(config.clients[0]?.postLogoutRedirectUris).toEqual([
      'https://a.test/',
    ]);
    expect(config.users).toEqual([user]);
  });

  it.each<[string, unknown, RegExp]>([
    ['options not an object', null, /'options' must be an object/],
    ['unknown option', { clients: [client], prot: 1 }, /unknown option/],
    [
      'typo of an option',
      { clients: [client], user: [user] },
      /'options.user'; did you mean 'users'\?/,
    ],
    ['missing clients', {}, /'clients' must be a non-empty array/],
    ['empty clients', { clients: [] }, /'clients' must be a non-empty array/],
    ['port negative', { clients: [client], port: -1 }, /'port' must be/],
    [
      'apiAudience not a URL',
      { clients: [client], apiAudience: 'api' },
      /'apiAudience' must be an absolute URL/,
    ],
    ['port too large', { clients: [client], port: 65536 }, /'port' must be/],
    ['port not integer', { clients: [client], port: 1.5 }, /'port' must be/],
    ['port NaN', { clients: [client], port: Number.NaN }, /'port' must be/],
    ['port string', { clients: [client], port: '3000' }, /'port' must be/],
    [
      'empty client id',
      { clients: [{ ...client, clientId: '' }] },
      /'clients\[0\].clientId' must be a non-empty string/,
    ],
    [
      'missing client secret',
      { clients: [{ ...client, clientSecret: undefined }] },
      /'clients\[0\].clientSecret' must be a non-empty string/,
    ],
    [
      'duplicate client id',
      { clients: [client, client] },
      /'clients\[1\].clientId' must be unique/,
    ],
    [
      'unknown client key',
      { clients: [{ ...client, redirectUri: 'x' }] },
      /'clients\[0\].redirectUri'; did you mean 'redirectUris'\?/,
    ],
    [
      'no redirect uris',
      { clients: [{ ...client, redirectUris: [] }] },
      /'clients\[0\].redirectUris' must be a non-empty array/,
    ],
    [
      'relative redirect uri',
      { clients: [{ ...client, redirectUris: ['/callback'] }] },
      /'clients\[0\].redirectUris\[0\]' must be an absolute http\(s\) URL/,
    ],
    [
      'redirect uri with a fragment',
      { clients: [{ ...client, redirectUris: ['http://a.test/cb#x'] }] },
      /without a fragment/,
    ],
    [
      'redirect uri of another scheme',
      { clients: [{ ...client, redirectUris: ['javascript:alert(1)'] }] },
      /must be an absolute http\(s\) URL/,
    ],
    [
      'post-logout uri not an array',
      { clients: [{ ...client, postLogoutRedirectUris: 'http://a.test/' }] },
      /'clients\[0\].postLogoutRedirectUris' must be a non-empty array/,
    ],
    ['empty users', { clients: [client], users: [] }, /'users' must be/],
    [
      'user without email',
      { clients: [client], users: [{ ...user, email: ' ' }] },
      /'users\[0\].email' must be a non-empty string/,
    ],
    [
      'user with a non-boolean emailVerified',
      { clients: [client], users: [{ ...user, emailVerified: 'yes' }] },
      /'users\[0\].emailVerified' must be a boolean/,
    ],
    [
      'duplicate user sub',
      { clients: [client], users: [user, { ...user, email: 'b@x.test' }] },
      /'users\[1\].sub' must be unique/,
    ],
    [
      'duplicate user email in another case',
      {
        clients: [client],
        users: [user, { ...user, sub: 's2', email: 'A@Example.test' }],
      },
      /'users\[1\].email' must be unique/,
    ],
    [
      'a relative backchannel logout uri',
      { clients: [{ ...client, backchannelLogoutUri: '/bcl' }] },
      /'clients\[0\].backchannelLogoutUri\[0\]' must be an absolute http\(s\) URL/,
    ],
    [
      'user claims that are not an object',
      { clients: [client], users: [{ ...user, claims: ['hd'] }] },
      /'users\[0\].claims' must be an object of claims/,
    ],
    [
      'a user claim the IdP sets itself',
      { clients: [client], users: [{ ...user, claims: { nonce: 'n' } }] },
      /'users\[0\].claims.nonce' must be a claim name/,
    ],
    [
      'a user claim with an object value',
      { clients: [client], users: [{ ...user, claims: { tid: {} } }] },
      /'users\[0\].claims.tid' must be a string, number or boolean/,
    ],
  ])('rejects %s with a TypeError', (_name, options, message) => {
    expect(() => normalizeOptions(options)).toThrow(TypeError);
    expect(() => normalizeOptions(options)).toThrow(message);
  });

  it('names the package and never repeats a secret', () => {
    const secret = 'super-secret-value';
    const options = { clients: [{ ...client, clientSecret: secret, x: 1 }] };

    expect(() => normalizeOptions(options)).toThrow(/^@portcullis\/dev-idp: /);
    try {
      normalizeOptions(options);
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});
