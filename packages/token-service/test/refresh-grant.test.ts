import { createHash } from 'node:crypto';

import { decodeJwt } from 'jose';

import { createAuditBus } from '@portcullis/core';
import type { AuditEvent } from '@portcullis/core';
import {
  createMemoryDenyList,
  createMemoryRefreshTokenStore,
} from '@portcullis/stores';
import type { RefreshTokenStore } from '@portcullis/stores';

import { createTokenService } from '../src/token-service.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

const SECRET = 'a-server-secret-of-at-least-32-characters';

async function setup(clock = { ms: Date.now() }) {
  const refreshTokens = createMemoryRefreshTokenStore({ now: () => clock.ms });
  const denyList = createMemoryDenyList();
  const audit = createAuditBus();
  const events: AuditEvent[] = [];
  audit.onAny((event) => events.push(event));
  const service = await createTokenService({
    issuer: ISSUER,
    audience: AUDIENCE,
    refreshTokens,
    denyList,
    audit,
    refreshTokenSecret: SECRET,
    refreshGraceSeconds: 5,
  });
  return { service, refreshTokens, denyList, events, clock };
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

describe('refresh tokens', () => {
  it('issues an opaque 256-bit token stored only as its SHA-256 hash', async () => {
    const { service, refreshTokens } = await setup();
    const issued = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'user-1',
      scope: ['read'],
      sessionId: 'sess-1',
    });

    expect(Buffer.from(issued.refreshToken, 'base64url')).toHaveLength(32);
    expect(issued.sid).toBe('sess-1');
    const family = await refreshTokens.findByTokenHash(
      sha256(issued.refreshToken),
    );
    expect(family).toMatchObject({
      familyId: issued.familyId,
      clientId: 'web',
      subject: 'user-1',
      sessionId: 'sess-1',
      scope: 'read',
      idleTtlSeconds: 14 * 24 * 3600,
    });
    expect(JSON.stringify(family)).not.toContain(issued.refreshToken);
    expect(family!.absoluteExpiresAtMs - family!.createdAtMs).toBe(
      30 * 24 * 3600 * 1000,
    );
  });

  it('rotates: a new refresh token and an access token carrying the family sid', async () => {
    const { service } = await setup();
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'user-1',
      scope: ['read', 'write'],
    });

    const next = await service.refresh({
      refreshToken: first.refreshToken,
      clientId: 'web',
    });

    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.scope).toEqual(['read', 'write']);
    const claims = decodeJwt(next.accessToken);
    expect(claims).toMatchObject({
      iss: ISSUER,
      sub: 'user-1',
      aud: AUDIENCE,
      client_id: 'web',
      scope: 'read write',
      sid: first.familyId,
    });

    const third = await service.refresh({
      refreshToken: next.refreshToken,
      clientId: 'web',
      scope: ['read'],
    });
    expect(decodeJwt(third.accessToken).scope).toBe('read');
  });

  it('gives a retry inside the grace window the same successor', async () => {
    const { service, events } = await setup();
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'user-1',
    });

    const a = await service.refresh({
      refreshToken: first.refreshToken,
      clientId: 'web',
    });
    const b = await service.refresh({
      refreshToken: first.refreshToken,
      clientId: 'web',
    });

    expect(b.refreshToken).toBe(a.refreshToken);
    expect(b.jti).not.toBe(a.jti);
    await expect(
      service.refresh({ refreshToken: a.refreshToken, clientId: 'web' }),
    ).resolves.toHaveProperty('refreshToken');
    expect(events.filter((e) => e.type === 'token.rejected')).toEqual([]);
  });

  it('treats reuse after the grace window as theft', async () => {
    const clock = { ms: Date.now() };
    const { service, denyList, events, refreshTokens } = await setup(clock);
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'user-1',
      sessionId: 'sess-9',
    });
    const next = await service.refresh({
      refreshToken: first.refreshToken,
      clientId: 'web',
    });
    expect(await denyList.has('sess-9')).toBe(false);

    clock.ms += 6000;
    await expect(
      service.refresh({ refreshToken: first.refreshToken, clientId: 'web' }),
    ).rejects.toMatchObject({ code: 'invalid_grant', status: 400 });

    expect(await denyList.has('sess-9')).toBe(true);
    expect(
      (await refreshTokens.getFamily(first.familyId))?.revokedAtMs,
    ).toBeDefined();
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'token.rejected',
        code: 'refresh_token_reused',
      }),
    );
    // The legitimate holder's current token dies with the family.
    await expect(
      service.refresh({ refreshToken: next.refreshToken, clientId: 'web' }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it.each([
    ['an unknown token', 'A'.repeat(43), 'web'],
    ['a malformed token', 'short', 'web'],
  ])('refuses %s with invalid_grant', async (_label, token, clientId) => {
    const { service } = await setup();
    await expect(
      service.refresh({ refreshToken: token, clientId }),
    ).rejects.toMatchObject({ code: 'invalid_grant', status: 400 });
  });

  it("refuses another client's token without changing the family", async () => {
    const { service } = await setup();
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'u',
    });
    await expect(
      service.refresh({ refreshToken: first.refreshToken, clientId: 'other' }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
    await expect(
      service.refresh({ refreshToken: first.refreshToken, clientId: 'web' }),
    ).resolves.toHaveProperty('refreshToken');
  });

  it('refuses a scope wider than the grant with invalid_scope', async () => {
    const { service } = await setup();
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'u',
      scope: ['read'],
    });
    await expect(
      service.refresh({
        refreshToken: first.refreshToken,
        clientId: 'web',
        scope: ['admin'],
      }),
    ).rejects.toMatchObject({ code: 'invalid_scope', status: 400 });
  });

  it('refuses a token past its idle lifetime', async () => {
    const clock = { ms: Date.now() };
    const { service } = await setup(clock);
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'u',
    });
    clock.ms += 14 * 24 * 3600 * 1000 + 1000;
    await expect(
      service.refresh({ refreshToken: first.refreshToken, clientId: 'web' }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('fails closed with 503 when the store fails', async () => {
    const broken: RefreshTokenStore = {
      ...createMemoryRefreshTokenStore(),
      rotate: () => Promise.reject(new Error('connection refused')),
    };
    const service = await createTokenService({
      issuer: ISSUER,
      audience: AUDIENCE,
      refreshTokens: broken,
      refreshTokenSecret: SECRET,
    });
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'u',
    });
    await expect(
      service.refresh({ refreshToken: first.refreshToken, clientId: 'web' }),
    ).rejects.toMatchObject({ code: 'temporarily_unavailable', status: 503 });
  });

  it('rejects refresh options that are unsafe', async () => {
    expect(() =>
      createTokenService({ issuer: ISSUER, refreshTokenSecret: 'short' }),
    ).toThrow(/refreshTokenSecret/);
    expect(() =>
      createTokenService({
        issuer: ISSUER,
        refreshIdleTtlSeconds: 100,
        refreshAbsoluteTtlSeconds: 50,
      }),
    ).toThrow(/refreshIdleTtlSeconds/);
    expect(() =>
      createTokenService({ issuer: ISSUER, refreshTokens: {} as never }),
    ).toThrow(/refreshTokens/);
  });

  it('needs the refreshTokens option to issue', async () => {
    const service = await createTokenService({
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    await expect(
      service.issueRefreshToken({ clientId: 'web', subject: 'u' }),
    ).rejects.toThrow(/refreshTokens/);
  });
});
