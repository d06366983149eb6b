// Contract suite of the RefreshTokenStore: rotation as a compare-and-set,
// the grace window for benign retries, reuse detection and lifetimes.

import type { NewRefreshFamily, RefreshTokenStore } from '../../src/index.js';
import { createManualClock } from './contract.js';
import type { MakeAdapter, ManualClock } from './contract.js';

const CONCURRENT_ROTATIONS = 50;

function newFamily(
  overrides: Partial<NewRefreshFamily> = {},
): NewRefreshFamily {
  return {
    familyId: 'fam-1',
    clientId: 'client-a',
    subject: 'alice',
    sessionId: 'sid-1',
    scope: 'openid api',
    tokenHash: 'h0',
    idleTtlSeconds: 600,
    absoluteTtlSeconds: 3600,
    data: { accessTokenIds: ['jti-0'] },
    ...overrides,
  };
}

function rotation(presentedHash: string, successorHash: string) {
  return {
    presentedHash,
    successorHash,
    clientId: 'client-a',
    graceSeconds: 10,
  };
}

export function refreshTokenStoreContract(
  makeStore: MakeAdapter<RefreshTokenStore>,
): void {
  let clock: ManualClock;
  let store: RefreshTokenStore;

  beforeEach(async () => {
    clock = createManualClock();
    store = await makeStore(clock);
  });

  it('creates a family that is found by its token hash and id', async () => {
    const created = await store.create(newFamily());

    expect(created).toMatchObject({
      familyId: 'fam-1',
      clientId: 'client-a',
      sessionId: 'sid-1',
      currentTokenHash: 'h0',
      generation: 0,
      createdAtMs: clock.now(),
      idleExpiresAtMs: clock.now() + 600_000,
      absoluteExpiresAtMs: clock.now() + 3_600_000,
      data: { accessTokenIds: ['jti-0'] },
    });
    expect(created.revokedAtMs).toBeUndefined();
    expect(created.dpopJkt).toBeUndefined();
    await expect(store.findByTokenHash('h0')).resolves.toEqual(created);
    await expect(store.getFamily('fam-1')).resolves.toEqual(created);
    await expect(store.findByTokenHash('other')).resolves.toBeUndefined();
  });

  it('rejects a duplicate family id or token hash', async () => {
    await store.create(newFamily());

    await expect(store.create(newFamily({ tokenHash: 'x' }))).rejects.toThrow();
    await expect(
      store.create(newFamily({ familyId: 'fam-2' })),
    ).rejects.toThrow();
  });

  it('rotates the current token to its successor', async () => {
    await store.create(newFamily());
    clock.advanceSeconds(5);
    const result = await store.rotate({
      ...rotation('h0', 'h1'),
      data: { accessTokenIds: ['jti-1'] },
    });

    expect(result).toMatchObject({
      status: 'rotated',
      family: {
        currentTokenHash: 'h1',
        previousTokenHash: 'h0',
        generation: 1,
        rotatedAtMs: clock.now(),
        idleExpiresAtMs: clock.now() + 600_000,
        data: { accessTokenIds: ['jti-1'] },
      },
    });
    await expect(store.findByTokenHash('h1')).resolves.toMatchObject({
      familyId: 'fam-1',
      currentTokenHash: 'h1',
    });
  });

  it('answers a retry within the grace window with the same successor', async () => {
    await store.create(newFamily());
    await store.rotate(rotation('h0', 'h1'));
    clock.advanceSeconds(9);

    await expect(store.rotate(rotation('h0', 'h1'))).resolves.toMatchObject({
      status: 'retry',
      family: { currentTokenHash: 'h1', generation: 1 },
    });
    await expect(store.rotate(rotation('h1', 'h2'))).resolves.toMatchObject({
      status: 'rotated',
    });
  });

  it('revokes the family when a rotated token comes back after the grace window', async () => {
    await store.create(newFamily());
    await store.rotate(rotation('h0', 'h1'));
    clock.advanceSeconds(10);

    const reuse = await store.rotate(rotation('h0', 'h1'));
    expect(reuse).toMatchObject({
      status: 'reused',
      family: { revokedAtMs: clock.now() },
    });
    await expect(store.rotate(rotation('h1', 'h2'))).resolves.toMatchObject({
      status: 'revoked',
    });
    await expect(store.findByTokenHash('h2')).resolves.toBeUndefined();
  });

  it('treats a retry with another successor, or an older token, as reuse', async () => {
    await store.create(newFamily());
    await store.rotate(rotation('h0', 'h1'));

    await expect(store.rotate(rotation('h0', 'hX'))).resolves.toMatchObject({
      status: 'reused',
    });

    await store.create(newFamily({ familyId: 'fam-2', tokenHash: 'g0' }));
    await store.rotate(rotation('g0', 'g1'));
    await store.rotate(rotation('g1', 'g2'));
    await expect(store.rotate(rotation('g0', 'g1'))).resolves.toMatchObject({
      status: 'reused',
    });
    await expect(store.getFamily('fam-2')).resolves.toHaveProperty(
      'revokedAtMs',
    );
  });

  it('rejects a successor hash already in use and changes nothing', async () => {
    const before = await store.create(newFamily());
    await store.create(newFamily({ familyId: 'fam-2', tokenHash: 'g0' }));

    await expect(store.rotate(rotation('h0', 'g0'))).rejects.toMatchObject({
      status: 500,
    });
    await expect(store.getFamily('fam-1')).resolves.toEqual(before);
    await expect(store.findByTokenHash('g0')).resolves.toMatchObject({
      familyId: 'fam-2',
    });
  });

  it('changes nothing for another client or an unknown token', async () => {
    await store.create(newFamily());

    await expect(
      store.rotate({ ...rotation('h0', 'h1'), clientId: 'client-b' }),
    ).resolves.toEqual({ status: 'client_mismatch' });
    await expect(store.rotate(rotation('nope', 'h1'))).resolves.toEqual({
      status: 'not_found',
    });
    await expect(store.rotate(rotation('h0', 'h1'))).resolves.toMatchObject({
      status: 'rotated',
    });
  });

  it('expires an idle family, and rotation never extends the absolute lifetime', async () => {
    await store.create(newFamily());
    clock.advanceSeconds(600);
    await expect(store.rotate(rotation('h0', 'h1'))).resolves.toMatchObject({
      status: 'expired',
    });

    await store.create(newFamily({ familyId: 'fam-2', tokenHash: 'g0' }));
    let presented = 'g0';
    for (let i = 1; i <= 8; i += 1) {
      clock.advanceSeconds(500);
      const result = await store.rotate(rotation(presented, `g${i}`));
      expect(result.status).toBe(i <= 7 ? 'rotated' : 'not_found');
      presented = `g${i}`;
    }
  });

  it('forgets a family after its absolute lifetime', async () => {
    await store.create(newFamily({ idleTtlSeconds: 3600 }));
    clock.advanceSeconds(3600);

    await expect(store.findByTokenHash('h0')).resolves.toBeUndefined();
    await expect(store.getFamily('fam-1')).resolves.toBeUndefined();
  });

  it('revokes a family once', async () => {
    await store.create(newFamily());

    await expect(store.revokeFamily('fam-1')).resolves.toBe(true);
    await expect(store.revokeFamily('fam-1')).resolves.toBe(false);
    await expect(store.revokeFamily('unknown')).resolves.toBe(false);
    await expect(store.rotate(rotation('h0', 'h1'))).resolves.toMatchObject({
      status: 'revoked',
    });
  });

  it('revokes the live families of a session, once', async () => {
    await store.create(newFamily({ familyId: 'fam-2', tokenHash: 'g0' }));
    await store.create(newFamily());
    await store.create(
      newFamily({ familyId: 'fam-3', tokenHash: 'x0', sessionId: 'sid-2' }),
    );
    await store.create(newFamily({ familyId: 'fam-4', tokenHash: 'y0' }));
    await store.create(
      newFamily({ familyId: 'fam-5', tokenHash: 'z0', sessionId: undefined }),
    );
    await store.revokeFamily('fam-4');
    clock.advanceSeconds(1);

    const revoked = await store.revokeBySession('sid-1');
    expect(revoked.map((f) => [f.familyId, f.revokedAtMs])).toEqual([
      ['fam-1', clock.now()],
      ['fam-2', clock.now()],
    ]);
    expect(revoked[0]?.data).toEqual({ accessTokenIds: ['jti-0'] });
    await expect(store.revokeBySession('sid-1')).resolves.toEqual([]);
    await expect(store.rotate(rotation('h0', 'h1'))).resolves.toMatchObject({
      status: 'revoked',
    });
    await expect(store.getFamily('fam-3')).resolves.not.toHaveProperty(
      'revokedAtMs',
    );
    await expect(store.getFamily('fam-5')).resolves.not.toHaveProperty(
      'revokedAtMs',
    );
  });

  it('yields exactly one successor for 50 concurrent rotations', async () => {
    await store.create(newFamily());
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_ROTATIONS }, () =>
        store.rotate(rotation('h0', 'h1')),
      ),
    );
    const statuses = results.map((r) => r.status);

    expect(statuses.filter((s) => s === 'rotated')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'retry')).toHaveLength(49);
    await expect(store.getFamily('fam-1')).resolves.toMatchObject({
      currentTokenHash: 'h1',
      generation: 1,
    });

    clock.advanceSeconds(10);
    await expect(store.rotate(rotation('h0', 'h1'))).resolves.toMatchObject({
      status: 'reused',
    });
    await expect(store.rotate(rotation('h1', 'h2'))).resolves.toMatchObject({
      status: 'revoked',
    });
  });

  it('never leaves two live tokens when 50 racers bring distinct successors', async () => {
    await store.create(newFamily());
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_ROTATIONS }, (_, i) =>
        store.rotate(rotation('h0', `s${i}`)),
      ),
    );
    const winners = results.filter((r) => r.status === 'rotated');

    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 'reused')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'revoked')).toHaveLength(48);
    const family = await store.getFamily('fam-1');
    expect(family?.generation).toBe(1);
    expect(family?.revokedAtMs).toBeDefined();
  });
}
