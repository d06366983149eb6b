import {
  createFederatedLogin,
  oauth2Provider,
  oidcProvider,
} from '../src/index.js';
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

const oauth2 = oauth2Provider({
  name: 'gh',
  displayName: 'GitHub',
  issuer: 'https://github.example',
  authorizationUrl: 'https://github.example/authorize',
  tokenUrl: 'https://github.example/token',
  clientId: 'app',
  clientSecret: 'a-long-client-secret',
  fetchProfile: async () => ({ sub: '1' }),
});

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
    [
      'a zero transactionTtlSeconds',
      optionsWith({ transactionTtlSeconds: 0 }),
      '"transactionTtlSeconds"',
    ],
    [
      'a fractional maxPendingLogins',
      optionsWith({ maxPendingLogins: 1.5 }),
      '"maxPendingLogins"',
    ],
    [
      'a negative idpTimeoutMs',
      optionsWith({ idpTimeoutMs: -1 }),
      '"idpTimeoutMs"',
    ],
    [
      'a NaN discoveryTtlSeconds',
      optionsWith({ discoveryTtlSeconds: Number.NaN }),
      '"discoveryTtlSeconds"',
    ],
    [
      'a string breakerFailureThreshold',
      optionsWith({ breakerFailureThreshold: '3' as never }),
      '"breakerFailureThreshold"',
    ],
    [
      'a zero breakerCooldownSeconds',
      optionsWith({ breakerCooldownSeconds: 0 }),
      '"breakerCooldownSeconds"',
    ],
    [
      'a clock that is not a function',
      optionsWith({ clock: 5 as never }),
      '"clock"',
    ],
    [
      'an unknown provider type',
      optionsWith({ providers: [{ ...provider, type: 'saml' } as never] }),
      '"providers[0].type"',
    ],
    [
      'authorizationParams with a non-string value',
      optionsWith({}, { authorizationParams: { prompt: 1 } }),
      '"providers[0].authorizationParams"',
    ],
    [
      'a non-boolean trustEmailVerified',
      optionsWith({}, { trustEmailVerified: 'no' }),
      '"providers[0].trustEmailVerified"',
    ],
    [
      'checkClaims that is not a function',
      optionsWith({}, { checkClaims: 'hd' }),
      '"providers[0].checkClaims"',
    ],
    [
      'an OAuth 2.0 provider without fetchProfile',
      optionsWith({
        providers: [{ ...oauth2, fetchProfile: undefined as never }],
      }),
      '"providers[0].fetchProfile"',
    ],
    [
      'an OAuth 2.0 provider with an http token URL off loopback',
      optionsWith({
        providers: [{ ...oauth2, tokenUrl: 'http://gh.example/t' }],
      }),
      '"providers[0].tokenUrl"',
    ],
    [
      'an OAuth 2.0 provider with an OIDC-only key',
      optionsWith({
        providers: [{ ...oauth2, checkClaims: () => {} } as never],
      }),
      '"checkClaims"',
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
