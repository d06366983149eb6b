import { randomBytes } from 'node:crypto';

import request from 'supertest';
import { createMemorySessionStore } from '@portcullis/stores';
import type { SessionRecord, SessionStore } from '@portcullis/stores';

import { createSessionManager } from '../src/index.js';
import { buildApp, sessionCookie } from './helpers/app.js';

/** A memory store that lets the test read and tamper with its records. */
function inspectableStore() {
  const inner = createMemorySessionStore();
  const records = new Map<string, SessionRecord>();
  const store: SessionStore = {
    ...inner,
    async set(key, record, ttl) {
      records.set(key, structuredClone(record));
      await inner.set(key, record, ttl);
    },
  };
  return { store, records, inner };
}

describe('sessions sealed at rest', () => {
  it('keeps no session data in the store in clear, and still works', async () => {
    const { store, records } = inspectableStore();
    const app = buildApp({ encryptionKey: randomBytes(32) }, store);
    const login = await request(app).post('/login');
    const cookie = sessionCookie(login.headers['set-cookie'])!;
    const read = await request(app).get('/read').set('Cookie', cookie);

    expect(read.body).toEqual({ data: { user: 'alice' } });
    const [record] = [...records.values()];
    expect(Object.keys(record!.data)).toEqual(['portcullis.sealed']);
    expect(JSON.stringify(record)).not.toContain('alice');
  });

  it('treats altered sealed data as no session', async () => {
    const { store, records, inner } = inspectableStore();
    const app = buildApp({ encryptionKey: randomBytes(32) }, store);
    const cookie = sessionCookie(
      (await request(app).post('/login')).headers['set-cookie'],
    )!;
    const [key, record] = [...records.entries()][0]!;
    const sealed = String(record.data['portcullis.sealed']);
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    await inner.set(
      key,
      { ...record, data: { 'portcullis.sealed': flipped } },
      60,
    );

    const read = await request(app).get('/read').set('Cookie', cookie);
    expect(read.body).toEqual({ data: {} });
  });

  it('refuses sealed data moved to another session', async () => {
    const { store, records, inner } = inspectableStore();
    const app = buildApp({ encryptionKey: randomBytes(32) }, store);
    await request(app).post('/login');
    const victim = sessionCookie(
      (await request(app).get('/visit')).headers['set-cookie'],
    )!;
    const [aliceKey, bobKey] = [...records.keys()];
    const alice = records.get(aliceKey!)!;
    await inner.set(
      bobKey!,
      { ...records.get(bobKey!)!, data: alice.data },
      60,
    );

    const read = await request(app).get('/read').set('Cookie', victim);
    expect(read.body).toEqual({ data: {} });
  });

  it('still indexes sealed sessions by user', async () => {
    const store = createMemorySessionStore();
    const app = buildApp(
      {
        encryptionKey: randomBytes(32),
        userIdOf: (data) => data.user as string | undefined,
      },
      store,
    );
    await request(app).post('/login');

    await expect(
      createSessionManager({ store }).listForUser('alice'),
    ).resolves.toHaveLength(1);
  });

  it('rejects a key that is not 32 bytes at startup', () => {
    expect(() => buildApp({ encryptionKey: randomBytes(16) })).toThrow(
      '"encryptionKey"',
    );
  });
});
