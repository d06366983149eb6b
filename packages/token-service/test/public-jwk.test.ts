import { calculateJwkThumbprint } from 'jose';

import { toPublicJwk } from '../src/public-jwk.js';
import { PRIVATE_MEMBERS, privateJwkFor } from './helpers/keys.js';

describe('toPublicJwk', () => {
  it.each([
    ['ES256', ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use']],
    ['EdDSA', ['kty', 'crv', 'x', 'kid', 'alg', 'use']],
    ['RS256', ['kty', 'n', 'e', 'kid', 'alg', 'use']],
  ] as const)(
    'publishes only the public members of a %s key',
    async (alg, members) => {
      const privateJwk = await privateJwkFor(alg);

      const publicJwk = await toPublicJwk(
        { ...privateJwk, kid: 'mine', ext: true, key_ops: ['sign'], p: 'p' },
        alg,
      );

      expect(Object.keys(publicJwk).sort()).toEqual([...members].sort());
      for (const name of PRIVATE_MEMBERS)
        expect(publicJwk).not.toHaveProperty(name);
      expect(publicJwk).toMatchObject({ alg, use: 'sig' });
      for (const name of members.filter((m) => m.length === 1)) {
        expect(publicJwk[name]).toBe(privateJwk[name]);
      }
    },
  );

  it('sets kid to the RFC 7638 thumbprint', async () => {
    const privateJwk = await privateJwkFor('ES256');

    const publicJwk = await toPublicJwk(privateJwk, 'ES256');

    expect(publicJwk.kid).toBe(await calculateJwkThumbprint(privateJwk));
    expect(Object.isFrozen(publicJwk)).toBe(true);
  });
});
