import { createFederatedLogin, oidcProvider } from '../src/index.js';
import type {
  FederatedLoginOptions,
  OidcProviderConfig,
} from '../src/index.js';

const provider: OidcProviderConfig = {
  name: 'dev',
  displayName: 'Dev IdP',
  issuer: 'https://idp.example',
  clientId: 'app',
  clientSecret: 'a-long-client-secret',
};

function optionsWith(
  override: Partial<FederatedLoginOptions>,
  providerOverride: Record<string, unknown> = {},
): FederatedLoginOptions {
  return {
    baseUrl: 'https://app.example',
    providers: [
      oidcProvider({ ...provider, ...providerOverride } as OidcProviderConfig),
    ],
    resolveUser: () => ({ id: 1 }),
    ...override,
  };
}

describe('createFederatedLogin options', () => {
  it.each<[string, FederatedLoginOptions, string]>([
    [
      'a missing baseUrl',
      optionsWith({ baseUrl: undefined as never }),
      '"baseUrl"',
    ],
    [
      'an http baseUrl off loopback',
      optionsWith({ baseUrl: 'http://app.example' }),
      '"baseUrl"',
    ],
    ['no providers', optionsWith({ providers: [] }), '"providers"'],
    [
      'a missing resolveUser',
      optionsWith({ resolveUser: undefined as never }),
      '"resolveUser"',
    ],
    [
      'a missing issuer',
      optionsWith({}, { issuer: undefined }),
      '"providers[0].issuer"',
    ],
    [
      'a non-loopback http issuer',
      optionsWith({}, { issuer: 'http://idp.example' }),
      '"providers[0].issuer"',
    ],
    [
      'an empty client secret',
      optionsWith({}, { clientSecret: '' }),
      '"providers[0].clientSecret"',
    ],
    [
      'a missing client id',
      optionsWith({}, { clientId: undefined }),
      '"providers[0].clientId"',
    ],
    [
      'a provider name with a slash',
      optionsWith({}, { name: 'a/b' }),
      '"providers[0].name"',
    ],
    [
      'a scope without openid',
      optionsWith({}, { scope: 'email' }),
      '"providers[0].scope"',
    ],
    [
      'an unknown provider key',
      optionsWith({}, { clientSecert: 'x' }),
      '"clientSecert"',
    ],
    [
      'a scheme-relative successRedirect',
      optionsWith({ successRedirect: '//evil.example' }),
      '"successRedirect"',
    ],
    [
      'an unknown option',
      { ...optionsWith({}), returnTo: '/' } as FederatedLoginOptions,
      '"returnTo"',
    ],
  ])('rejects %s', (_name, options, path) => {
    expect(() => createFederatedLogin(options)).toThrow(TypeError);
    expect(() => createFederatedLogin(options)).toThrow(path);
  });

  it('rejects two providers with the same name', () => {
    const options = optionsWith({});
    options.providers.push({ ...provider });

    expect(() => createFederatedLogin(options)).toThrow('"providers[1].name"');
  });

  it('never repeats the client secret in a message', () => {
    const options = optionsWith(
      {},
      { issuer: 'ftp://x', clientSecret: 'sekrit-value' },
    );

    expect(() => createFederatedLogin(options)).toThrow(/^(?!.*sekrit)/s);
  });

  it('accepts a loopback http issuer for development', () => {
    const login = createFederatedLogin(
      optionsWith(
        { baseUrl: 'http://127.0.0.1:3000' },
        { issuer: 'http://127.0.0.1:4000' },
      ),
    );

    expect(login.providers).toEqual([
      { name: 'dev', displayName: 'Dev IdP', loginPath: '/login/dev' },
    ]);
  });
});
