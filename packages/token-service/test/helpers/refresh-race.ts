/**
 * The refresh race suite, run against any store pair: two issuer instances
 * share the stores, as behind a load balancer.
 */

import { createHash } from 'node:crypto';

import express from 'express';
import request from 'supertest';

import type { DenyList, RefreshTokenStore } from '@portcullis/stores';

import { createTokenService, hashClientSecret } from '../../src/index.js';
import type { TokenService } from '../../src/index.js';
import { AUDIENCE, ISSUER } from './keys.js';

const SECRET = 'a-server-secret-of-at-least-32-characters';
const AUTH = `Basic ${Buffer.from('web:web-secret').toString('base64')}`;

/** The stores a race runs on. */
export interface RaceStores {
  refreshTokens: RefreshTokenStore;
  denyList: DenyList;
}

/** Defines the race tests; `makeStores` returns fresh stores per test. */
export function refreshRaceSuite(makeStores: () => RaceStores): void {
  function sha256(value: string): string {
    return createHash('sha256').update(value).digest('base64url');
  }

  async function twoInstances(): Promise<{
    stores: RaceStores;
    services: TokenService[];
    apps: express.Express[];
  }> {
    const stores = makeStores();
    const secretHash = await hashClientSecret('web-secret');
    const services = await Promise.all(
      [0, 1].map(() =>
        createTokenService({
          issuer: ISSUER,
          audience: AUDIENCE,
          refreshTokens: stores.refreshTokens,
          denyList: stores.denyList,
          refreshTokenSecret: SECRET,
          refreshGraceSeconds: 4,
          clients: [{ clientId: 'web', secretHash }],
        }),
      ),
    );
    const apps = services.map((s) => express().use(s.tokenEndpoints()));
    return { stores, services, apps };
  }

  describe('50 concurrent refreshes of one token', () => {
    it('yield exactly one successor; a later replay revokes the family', async () => {
      const { stores, services, apps } = await twoInstances();
      const first = await services[0]!.issueRefreshToken({
        clientId: 'web',
        subject: 'u1',
      });

      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          request(apps[i % 2]!)
            .post('/token')
            .set('Authorization', AUTH)
            .type('form')
            .send({
              grant_type: 'refresh_token',
              refresh_token: first.refreshToken,
            }),
        ),
      );

      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
      const successors = new Set(responses.map((r) => r.body.refresh_token));
      expect(successors.size).toBe(1);
      const [successor] = [...successors] as [string];
      const family = await stores.refreshTokens.getFamily(first.familyId);
      expect(family?.generation).toBe(1);
      expect(family?.currentTokenHash).toBe(sha256(successor));
      expect(family?.revokedAtMs).toBeUndefined();

      // Outside the grace window the old token is theft.
      await new Promise((resolve) => setTimeout(resolve, 4500));
      const replay = await request(apps[1]!)
        .post('/token')
        .set('Authorization', AUTH)
        .type('form')
        .send({
          grant_type: 'refresh_token',
          refresh_token: first.refreshToken,
        });

      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');
      expect(
        (await stores.refreshTokens.getFamily(first.familyId))?.revokedAtMs,
      ).toBeDefined();
      expect(await stores.denyList.has(first.familyId)).toBe(true);
      const current = await request(apps[0]!)
        .post('/token')
        .set('Authorization', AUTH)
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: successor });
      expect(current.body.error).toBe('invalid_grant');
    });

    it('never leaves a family with two live tokens under concurrent chains', async () => {
      const { stores, services } = await twoInstances();
      const first = await services[0]!.issueRefreshToken({
        clientId: 'web',
        subject: 'u2',
      });
      let token = first.refreshToken;
      for (let round = 0; round < 5; round += 1) {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            services[i % 2]!.refresh({ refreshToken: token, clientId: 'web' }),
          ),
        );
        const tokens = new Set(
          results.flatMap((r) =>
            r.status === 'fulfilled' ? [r.value.refreshToken] : [],
          ),
        );
        expect(tokens.size).toBe(1);
        token = [...tokens][0] as string;
      }
      const family = await stores.refreshTokens.getFamily(first.familyId);
      expect(family?.generation).toBe(5);
      expect(family?.currentTokenHash).toBe(sha256(token));
    });
  });
}
