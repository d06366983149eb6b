import { checkClients } from '../src/client-config.js';
import { hashClientSecret } from '../src/client-secret.js';

let secretHash: string;

beforeAll(async () => {
  secretHash = await hashClientSecret('s3cret');
});

describe('checkClients', () => {
  const client = (change: Record<string, unknown>) => () => [
    { clientId: 'c', secretHash, ...change },
  ];
  const cases: [string, () => unknown, RegExp][] = [
    ['a value that is not an array', () => ({}), /"clients" must be an array/],
    [
      'an entry that is not an object',
      () => ['c'],
      /"clients\[0\]" must be an object/,
    ],
    [
      'an unknown member',
      client({ secret: 'x' }),
      /"clients\[0\]\.secret" is not known/,
    ],
    [
      'an empty clientId',
      client({ clientId: '' }),
      /"clients\[0\]\.clientId" must be a non-empty string/,
    ],
    [
      'a secretHash that is not from hashClientSecret',
      client({ secretHash: 'plain' }),
      /"clients\[0\]\.secretHash" must be the output of hashClientSecret/,
    ],
    [
      'an unknown grant type',
      client({ grantTypes: ['password'] }),
      /"clients\[0\]\.grantTypes" must list/,
    ],
    [
      'a scope with a space',
      client({ scope: ['a b'] }),
      /"clients\[0\]\.scope" must be an array of scope tokens/,
    ],
    [
      'an empty audience',
      client({ audience: '' }),
      /"clients\[0\]\.audience" must be a non-empty string/,
    ],
    [
      'a client id listed twice',
      () => [
        { clientId: 'c', secretHash },
        { clientId: 'c', secretHash },
      ],
      /"clients\[1\]\.clientId" is listed twice/,
    ],
  ];

  it.each(cases)('rejects %s', (_title, make, message) => {
    expect(() => checkClients(make())).toThrow(TypeError);
    expect(() => checkClients(make())).toThrow(message);
  });

  it('defaults grants to both, scope to none and keeps the secret', () => {
    const clients = checkClients([{ clientId: 'c', secretHash }]);
    const normalized = clients.get('c');

    expect(normalized).toMatchObject({
      clientId: 'c',
      grantTypes: ['refresh_token', 'client_credentials'],
      scope: [],
      audience: undefined,
      credential: { kind: 'secret' },
    });
    expect(Object.isFrozen(normalized)).toBe(true);
  });

  it('accepts no clients', () => {
    expect(checkClients(undefined).size).toBe(0);
  });
});
