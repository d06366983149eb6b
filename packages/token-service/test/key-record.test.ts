import { randomBytes } from 'node:crypto';

import type { SigningKeyRecord } from '@portcullis/stores';

import { KeyDecryptionError } from '../src/key-encryption.js';
import { newKeyRecord, openKeyRecord, publicJwkOf } from '../src/key-record.js';

const KEK = { id: 'kek-1', key: randomBytes(32) };

describe('newKeyRecord', () => {
  it('returns a pending record with the public JWK and a sealed key', async () => {
    const record = await newKeyRecord('EdDSA', KEK, 1000, 5000);

    expect(record).toMatchObject({
      state: 'pending',
      createdAtMs: 1000,
      stateChangedAtMs: 1000,
      data: {
        format: 1,
        alg: 'EdDSA',
        activateAfterMs: 5000,
        publicJwk: { kty: 'OKP', kid: record.kid, alg: 'EdDSA', use: 'sig' },
        privateKey: { enc: 'A256GCM', kek: 'kek-1' },
      },
    });
    expect(record.data.publicJwk).not.toHaveProperty('d');
  });
});

describe('publicJwkOf', () => {
  let record: SigningKeyRecord;

  beforeAll(async () => {
    record = await newKeyRecord('ES256', KEK, 0, 0);
  });

  it('returns the public JWK of a well-formed record', () => {
    expect(publicJwkOf(record)).toEqual(record.data.publicJwk);
  });

  it.each([
    ['another format', { format: 2 }],
    ['an unknown algorithm', { alg: 'HS256' }],
    ['no public JWK', { publicJwk: null }],
    ['a JWK of another kid', { publicJwk: { kid: 'other', alg: 'ES256' } }],
    ['a JWK of another alg', { alg: 'EdDSA' }],
  ])('ignores a record with %s', (_, change) => {
    expect(
      publicJwkOf({ ...record, data: { ...record.data, ...change } }),
    ).toBeUndefined();
  });
});

describe('openKeyRecord', () => {
  it('opens a signer whose kid is the record kid', async () => {
    const record = await newKeyRecord('RS256', KEK, 0, 0);

    const signer = await openKeyRecord(record, [KEK]);

    expect(signer.kid).toBe(record.kid);
    expect(signer.algorithm).toBe('RS256');
  });

  it('refuses a sealed key moved from another record', async () => {
    const record = await newKeyRecord('ES256', KEK, 0, 0);
    const other = await newKeyRecord('ES256', KEK, 0, 0);

    const attempt = openKeyRecord(
      {
        ...record,
        data: { ...record.data, privateKey: other.data.privateKey },
      },
      [KEK],
    );

    await expect(attempt).rejects.toThrow(KeyDecryptionError);
  });

  it('refuses a record whose public JWK was replaced', async () => {
    const record = await newKeyRecord('ES256', KEK, 0, 0);
    const other = await newKeyRecord('ES256', KEK, 0, 0);
    const forged = {
      ...record,
      data: {
        ...record.data,
        publicJwk: { ...(other.data.publicJwk as object), kid: record.kid },
      },
    };

    await expect(openKeyRecord(forged, [KEK])).rejects.toThrow(
      'holds another key than it publishes',
    );
  });

  it('refuses a malformed record', async () => {
    const record = await newKeyRecord('ES256', KEK, 0, 0);

    await expect(
      openKeyRecord({ ...record, data: { format: 1 } }, [KEK]),
    ).rejects.toThrow(`signing key "${record.kid}" is malformed`);
  });
});
