import { checkIssuer } from '../src/provider-runtime.js';
import type { ProviderRuntime } from '../src/provider-runtime.js';

function runtimeWith(issuer: string, required: boolean): ProviderRuntime {
  const metadata = {
    issuer,
    authorization_response_iss_parameter_supported: required,
  };
  return {
    provider: {} as ProviderRuntime['provider'],
    breaker: {} as ProviderRuntime['breaker'],
    discovery: {
      get: async () => ({ serverMetadata: () => metadata }) as never,
      markStale: () => undefined,
    },
  };
}

const ENTRA = 'https://login.microsoftonline.com/{tenantid}/v2.0';

describe('checkIssuer (RFC 9207)', () => {
  it.each<[string, string, boolean, unknown]>([
    ['the exact issuer', 'https://idp.example', true, 'https://idp.example'],
    [
      'no iss from an IdP that does not send it',
      'https://idp.example',
      false,
      undefined,
    ],
    [
      'a tenant issuer for a {tenantid} template',
      ENTRA,
      false,
      'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
    ],
  ])('accepts %s', async (_name, issuer, required, iss) => {
    await expect(
      checkIssuer(runtimeWith(issuer, required), iss, 0),
    ).resolves.toBeUndefined();
  });

  it.each<[string, string, boolean, unknown]>([
    ['another issuer', 'https://idp.example', false, 'https://evil.example'],
    ['a trailing slash', 'https://idp.example', false, 'https://idp.example/'],
    [
      'no iss from an IdP that sends it',
      'https://idp.example',
      true,
      undefined,
    ],
    ['an array', 'https://idp.example', false, ['https://idp.example']],
    [
      'an empty tenant',
      ENTRA,
      false,
      'https://login.microsoftonline.com//v2.0',
    ],
    [
      'a tenant with a path',
      ENTRA,
      false,
      'https://login.microsoftonline.com/a/b/v2.0',
    ],
    [
      'another host for a template',
      ENTRA,
      false,
      'https://evil.example/t/v2.0',
    ],
  ])('refuses %s', async (_name, issuer, required, iss) => {
    await expect(
      checkIssuer(runtimeWith(issuer, required), iss, 0),
    ).rejects.toMatchObject({
      code: 'LOGIN_ISSUER_MISMATCH',
    });
  });
});
