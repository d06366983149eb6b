import { createStaticKeyRing } from '../src/key-ring.js';
import { loadSigningKey } from '../src/signing-key.js';

describe('createStaticKeyRing', () => {
  it('publishes and signs with its one key, for any token lifetime', async () => {
    const { signer } = await loadSigningKey(undefined, 'EdDSA');

    const ring = await createStaticKeyRing(signer, {
      probe: true,
      rotateError: 'no rotation',
    });

    await expect(ring.signer()).resolves.toBe(signer);
    expect(ring.jwks()).toEqual({ keys: [signer.publicJwk] });
    expect(ring.jwks()).toBe(ring.jwks());
    expect(Object.isFrozen(ring.jwks().keys[0])).toBe(true);
    expect(ring.maxTokenTtlSeconds).toBe(Number.POSITIVE_INFINITY);
    await expect(ring.refresh()).resolves.toBeUndefined();
    ring.close();
  });

  it('refuses to rotate', async () => {
    const { signer } = await loadSigningKey(undefined, 'ES256');
    const ring = await createStaticKeyRing(signer, {
      probe: false,
      rotateError: 'no rotation',
    });

    await expect(ring.rotate()).rejects.toThrow(new TypeError('no rotation'));
  });

  it('probes the signer when asked to', async () => {
    const { signer } = await loadSigningKey(undefined, 'ES256');
    const other = await loadSigningKey(undefined, 'ES256');

    const attempt = createStaticKeyRing(
      { ...signer, sign: other.signer.sign },
      { probe: true, rotateError: '' },
    );

    await expect(attempt).rejects.toThrow('option "signer"');
  });
});
