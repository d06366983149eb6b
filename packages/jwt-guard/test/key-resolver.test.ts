import { errors } from 'jose';
import type { CompactJWSHeaderParameters, FlattenedJWSInput } from 'jose';

import { JwksUnavailableError } from '../src/errors.js';
import { createKeyResolver } from '../src/key-resolver.js';
import { startJwksServer, unusedLoopbackUrl } from './helpers/jwks-server.js';
import type { JwksServer } from './helpers/jwks-server.js';
import { createSigner } from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';

const TOKEN = { payload: '', signature: '' } as FlattenedJWSInput;

let signer: TestSigner;
let server: JwksServer;

beforeAll(async () => {
  signer = await createSigner('ES256');
  server = await startJwksServer([signer.publicJwk]);
});

afterAll(async () => {
  await server.close();
});

function header(
  fields: CompactJWSHeaderParameters,
): CompactJWSHeaderParameters {
  return fields;
}

describe('createKeyResolver', () => {
  it('resolves the key named by kid', async () => {
    const resolveKey = createKeyResolver(new URL(server.url));

    const key = await resolveKey(
      header({ alg: 'ES256', kid: signer.kid }),
      TOKEN,
    );

    expect(key).toBeDefined();
  });

  it('rethrows a kid that matches no key as a token problem', async () => {
    const resolveKey = createKeyResolver(new URL(server.url));

    await expect(
      resolveKey(header({ alg: 'ES256', kid: 'unknown' }), TOKEN),
    ).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it('ignores a jku header and uses only the configured set', async () => {
    const other = await startJwksServer([signer.publicJwk]);
    try {
      const resolveKey = createKeyResolver(new URL(server.url));

      await resolveKey(
        header({ alg: 'ES256', kid: signer.kid, jku: other.url }),
        TOKEN,
      );

      expect(other.requests()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('wraps an unreachable endpoint in JwksUnavailableError', async () => {
    const resolveKey = createKeyResolver(new URL(await unusedLoopbackUrl()));

    const failure = resolveKey(
      header({ alg: 'ES256', kid: signer.kid }),
      TOKEN,
    );

    await expect(failure).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it('wraps a set that is not a JWKS in JwksUnavailableError', async () => {
    const broken = await startJwksServer([]);
    broken.setMode('garbage');
    try {
      const resolveKey = createKeyResolver(new URL(broken.url));

      await expect(
        resolveKey(header({ alg: 'ES256', kid: signer.kid }), TOKEN),
      ).rejects.toBeInstanceOf(JwksUnavailableError);
    } finally {
      await broken.close();
    }
  });
});
