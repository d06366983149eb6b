/**
 * The PostgreSQL DenyList. Rows carry their deadline; reads ignore expired
 * rows. Each addition sends a NOTIFY in the same statement (delivered on
 * commit), so guards that LISTEN can drop what they cached.
 */

import type { PoolClient } from 'pg';

import { failClosed } from './errors.js';
import type { PgContext } from './pg-context.js';
import type {
  DenyList,
  DenyListListener,
  DenyListStatusListener,
} from './ports.js';

const RECONNECT_DELAY_MS = 250;
const MAX_CHANNEL_LENGTH = 63;

/** Creates the DenyList of {@link createPostgresStores}. */
export function createPgDenyList(context: PgContext): DenyList {
  const { pool, schema: s, now } = context;
  // The schema is quoted ("name"); the channel is its bare name, prefixed.
  const channel = `pc_deny_${s.slice(1, -1)}`.slice(0, MAX_CHANNEL_LENGTH);

  /** Opens a LISTEN connection; `onBroken` runs once if it fails later. */
  const listen = async (
    listener: DenyListListener,
    onBroken: () => void,
  ): Promise<PoolClient> => {
    const client = await pool.connect();
    let broken = false;
    let listening = false;
    client.on('error', () => {
      if (broken) return;
      broken = true;
      client.release(true);
      if (listening) onBroken();
    });
    try {
      client.on('notification', (message) => {
        if (message.channel === channel) listener(message.payload);
      });
      await client.query(`LISTEN "${channel}"`);
      listening = true;
      return client;
    } catch (error) {
      if (!broken) client.release(true);
      broken = true;
      throw error;
    }
  };

  const subscribe = async (
    listener: DenyListListener,
    onStatus?: DenyListStatusListener,
  ): Promise<() => Promise<void>> => {
    let stopped = false;
    let client: PoolClient | undefined;
    const active = (): boolean =>
      !stopped && !(pool as { ending?: boolean }).ending;
    // Releasing the connection closes it asynchronously: notifications
    // still arriving after unsubscribe are dropped here.
    const deliver: DenyListListener = (key) => {
      if (!stopped) listener(key);
    };

    // A broken LISTEN connection is replaced; notifications sent meanwhile
    // are lost, so the listener is told to clear its cache.
    const onBroken = (): void => {
      client = undefined;
      if (!active()) return;
      onStatus?.(false);
      setTimeout(reconnect, RECONNECT_DELAY_MS).unref();
    };
    const reconnect = (): void => {
      listen(deliver, onBroken).then(
        (fresh) => {
          if (!active()) return fresh.release(true);
          client = fresh;
          deliver(undefined);
          if (active()) onStatus?.(true);
        },
        () => {
          if (active()) setTimeout(reconnect, RECONNECT_DELAY_MS).unref();
        },
      );
    };

    client = await listen(deliver, onBroken);
    return async () => {
      stopped = true;
      const current = client;
      client = undefined;
      current?.release(true);
    };
  };

  return {
    add: (key, expiresAtSeconds) =>
      failClosed(async () => {
        const expiresAtMs = Math.round(expiresAtSeconds * 1000);
        if (expiresAtMs <= now()) return;

        await pool.query(
          `WITH added AS (
             INSERT INTO ${s}.deny_list (key, expires_at_ms) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE
               SET expires_at_ms = EXCLUDED.expires_at_ms
             RETURNING key)
           SELECT pg_notify($3, key) FROM added`,
          [key, expiresAtMs, channel],
        );
      }),
    has: (key) =>
      failClosed(async () => {
        const { rowCount } = await pool.query(
          `SELECT 1 FROM ${s}.deny_list WHERE key = $1 AND expires_at_ms > $2`,
          [key, now()],
        );
        return rowCount === 1;
      }),
    subscribe: (listener, onStatus) =>
      failClosed(() => subscribe(listener, onStatus)),
  };
}
