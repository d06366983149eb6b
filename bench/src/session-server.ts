/**
 * One server of the session benchmark, run in its own process so that the
 * load generator never shares its event loop: Portcullis's session-bridge
 * or express-session with connect-redis, both on the same Redis.
 * Usage: session-server.ts portcullis|express-session REDIS_URL
 */

import type { AddressInfo } from 'node:net';

import express from 'express';
import type { RequestHandler } from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createSessionMiddleware } from '@portcullis/session-bridge';
import { createRedisStores } from '@portcullis/stores';

const ORIGIN = 'http://127.0.0.1';

async function portcullisSessions(url: string): Promise<RequestHandler> {
  const client = new Redis(url, {
    commandTimeout: 2000,
    enableAutoPipelining: true,
  });
  const stores = createRedisStores({ client, keyPrefix: 'bench:pc:' });
  return createSessionMiddleware({ store: stores.sessions, origin: ORIGIN });
}

async function expressSessions(url: string): Promise<RequestHandler> {
  const client = createClient({ url });
  await client.connect();
  return session({
    store: new RedisStore({ client, prefix: 'bench:es:' }),
    secret: 'bench-only-secret-of-sufficient-length',
    name: 'es.sid',
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: false },
  });
}

async function main(): Promise<void> {
  const [variant, url] = process.argv.slice(2);
  if (url === undefined)
    throw new Error('usage: session-server.ts VARIANT URL');

  const sessions =
    variant === 'portcullis'
      ? await portcullisSessions(url)
      : await expressSessions(url);
  const app = express();
  app.use(sessions);
  app.get('/write', (req, res) => {
    const data = req.session as unknown as { count?: number };
    data.count = (data.count ?? 0) + 1;
    res.json({ count: data.count });
  });
  app.get('/read', (req, res) => {
    const data = req.session as unknown as { count?: number };
    res.json({ count: data.count ?? 0 });
  });

  const server = app.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`BENCH_READY ${JSON.stringify({ port })}\n`);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
