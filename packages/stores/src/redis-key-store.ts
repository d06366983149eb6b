/**
 * The Redis KeyStore: two hashes under one hash tag (so that a Cluster
 * keeps them in one slot), the records and their `state|changedAtMs`, so a
 * state change is a compare-and-set in Lua without decoding JSON.
 */

import { compareKeys } from './memory-key-store.js';
import { failClosed } from './errors.js';
import { checkExec, luaScript, runScript } from './redis-context.js';
import type { RedisContext } from './redis-context.js';
import type { KeyStore, SigningKeyRecord, SigningKeyState } from './ports.js';

// KEYS records, states; ARGV kid, record JSON, state|ms.
const PUT = luaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1
`);

// KEYS states; ARGV kid, from, to, atMs.
const UPDATE_STATE = luaScript(`
local s = redis.call('HGET', KEYS[1], ARGV[1])
if not s or string.match(s, '^([^|]*)') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. '|' .. ARGV[4])
return 1
`);

type StoredKey = Omit<SigningKeyRecord, 'state' | 'stateChangedAtMs'>;

function toRecord(json: string, stateField: string): SigningKeyRecord {
  const stored = JSON.parse(json) as StoredKey;
  const [state, atMs] = stateField.split('|');
  return {
    ...stored,
    state: state as SigningKeyState,
    stateChangedAtMs: Number(atMs),
  };
}

/** Creates the KeyStore of {@link createRedisStores}. */
export function createRedisKeyStore(context: RedisContext): KeyStore {
  const { client } = context;
  const records = `${context.prefix}{keys}:records`;
  const states = `${context.prefix}{keys}:states`;

  return {
    list: () =>
      failClosed(async () => {
        const [byKid, stateByKid] = checkExec(
          await client.multi().hgetall(records).hgetall(states).exec(),
        ) as Array<Record<string, string>>;
        return Object.entries(byKid ?? {})
          .map(([kid, json]) => toRecord(json, stateByKid?.[kid] ?? ''))
          .sort(compareKeys);
      }),
    put: (record) =>
      failClosed(async () => {
        const { state, stateChangedAtMs, ...stored } = record;
        const put = await runScript(
          client,
          PUT,
          [records, states],
          [record.kid, JSON.stringify(stored), `${state}|${stateChangedAtMs}`],
        );
        return put === 1;
      }),
    updateState: (kid, from, to, atMs) =>
      failClosed(async () => {
        const updated = await runScript(
          client,
          UPDATE_STATE,
          [states],
          [kid, from, to, atMs],
        );
        return updated === 1;
      }),
    remove: (kid) =>
      failClosed(async () => {
        checkExec(
          await client.multi().hdel(records, kid).hdel(states, kid).exec(),
        );
      }),
  };
}
