/**
 * The Redis RefreshTokenStore. A family is a hash; each token hash points
 * to its family. Every key shares the `{rt}` hash tag, so a Cluster keeps
 * them in one slot and the rotation script (the rules of
 * refresh-rotation.ts, in Lua) runs atomically there.
 */

import { StoreConflictError, failClosed } from './errors.js';
import { buildFamily } from './refresh-rotation.js';
import { luaScript, runScript } from './redis-context.js';
import type { RedisContext } from './redis-context.js';
import type {
  RefreshFamily,
  RefreshTokenStore,
  RotateResult,
} from './ports.js';

const NUMBER_FIELDS = [
  'generation',
  'createdAtMs',
  'rotatedAtMs',
  'idleTtlSeconds',
  'idleExpiresAtMs',
  'absoluteExpiresAtMs',
  'graceUntilMs',
  'revokedAtMs',
] as const;

// KEYS family, token, session index or ''; ARGV ttlMs, familyId,
// field/value pairs. The session index lives as long as its longest family.
const CREATE = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[1])
if KEYS[3] ~= '' then
  redis.call('SADD', KEYS[3], ARGV[2])
  if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[1]) then
    redis.call('PEXPIRE', KEYS[3], ARGV[1])
  end
end
return 1
`);

// KEYS session index; ARGV now, family key prefix. Returns the families
// revoked by this call, each as a flat field/value list.
const REVOKE_SESSION = luaScript(`
local now = tonumber(ARGV[1])
local revoked = {}
for _, fid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local fkey = ARGV[2] .. fid
  local abs = redis.call('HGET', fkey, 'absoluteExpiresAtMs')
  if abs and tonumber(abs) > now
    and redis.call('HEXISTS', fkey, 'revokedAtMs') == 0 then
    redis.call('HSET', fkey, 'revokedAtMs', now)
    table.insert(revoked, redis.call('HGETALL', fkey))
  end
end
return revoked
`);

// KEYS presented token; ARGV now, presented, successor, clientId, graceMs,
// data JSON or '', family key prefix, token key prefix.
const ROTATE = luaScript(`
local now = tonumber(ARGV[1])
local fid = redis.call('GET', KEYS[1])
if not fid then return {'not_found'} end
local fkey = ARGV[7] .. fid
local raw = redis.call('HGETALL', fkey)
if #raw == 0 then return {'not_found'} end
local f = {}
for i = 1, #raw, 2 do f[raw[i]] = raw[i + 1] end
local abs = tonumber(f.absoluteExpiresAtMs)
if now >= abs then return {'not_found'} end
if f.clientId ~= ARGV[4] then return {'client_mismatch'} end
local status
if f.revokedAtMs then
  status = 'revoked'
elseif now >= tonumber(f.idleExpiresAtMs) then
  status = 'expired'
elseif f.currentTokenHash == ARGV[2] then
  if redis.call('EXISTS', ARGV[8] .. ARGV[3]) == 1 then return {'conflict'} end
  local idle = math.min(now + tonumber(f.idleTtlSeconds) * 1000, abs)
  redis.call('HSET', fkey, 'currentTokenHash', ARGV[3],
    'previousTokenHash', ARGV[2], 'graceUntilMs', now + tonumber(ARGV[5]),
    'generation', tonumber(f.generation) + 1, 'rotatedAtMs', now,
    'idleExpiresAtMs', idle)
  if ARGV[6] ~= '' then redis.call('HSET', fkey, 'data', ARGV[6]) end
  redis.call('SET', ARGV[8] .. ARGV[3], fid, 'PX', abs - now)
  status = 'rotated'
elseif f.previousTokenHash == ARGV[2] and f.currentTokenHash == ARGV[3]
  and now < tonumber(f.graceUntilMs or '0') then
  status = 'retry'
else
  redis.call('HSET', fkey, 'revokedAtMs', now)
  status = 'reused'
end
return {status, redis.call('HGETALL', fkey)}
`);

// KEYS family; ARGV now.
const REVOKE = luaScript(`
local abs = redis.call('HGET', KEYS[1], 'absoluteExpiresAtMs')
if not abs or tonumber(abs) <= tonumber(ARGV[1]) then return 0 end
if redis.call('HEXISTS', KEYS[1], 'revokedAtMs') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'revokedAtMs', ARGV[1])
return 1
`);

/** Flattens a family into hash fields; absent optional fields are left out. */
function toFields(family: RefreshFamily): string[] {
  const fields: string[] = [];
  for (const [name, value] of Object.entries(family)) {
    if (value === undefined) continue;
    fields.push(name, name === 'data' ? JSON.stringify(value) : String(value));
  }
  return fields;
}

function fromFields(flat: string[]): RefreshFamily {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    raw[flat[i] as string] = flat[i + 1];
  }

  for (const name of NUMBER_FIELDS) {
    if (raw[name] !== undefined) raw[name] = Number(raw[name]);
  }
  raw.data = JSON.parse(raw.data as string);
  return raw as unknown as RefreshFamily;
}

/** Creates the RefreshTokenStore of {@link createRedisStores}. */
export function createRedisRefreshTokenStore(
  context: RedisContext,
): RefreshTokenStore {
  const { client, now } = context;
  const familyPrefix = `${context.prefix}{rt}:f:`;
  const tokenPrefix = `${context.prefix}{rt}:t:`;
  const sessionPrefix = `${context.prefix}{rt}:s:`;

  const getFamily = async (
    familyId: string,
  ): Promise<RefreshFamily | undefined> => {
    const flat = await client.hgetall(familyPrefix + familyId);
    if (Object.keys(flat).length === 0) return undefined;

    const family = fromFields(Object.entries(flat).flat());
    return now() < family.absoluteExpiresAtMs ? family : undefined;
  };

  return {
    create: (input) =>
      failClosed(async () => {
        const family = buildFamily(input, now());
        const created = await runScript(
          client,
          CREATE,
          [
            familyPrefix + family.familyId,
            tokenPrefix + input.tokenHash,
            input.sessionId === undefined
              ? ''
              : sessionPrefix + input.sessionId,
          ],
          [
            input.absoluteTtlSeconds * 1000,
            family.familyId,
            ...toFields(family),
          ],
        );
        if (created !== 1) throw new StoreConflictError('refresh-token family');
        return family;
      }),
    rotate: (input) =>
      failClosed(async () => {
        const reply = (await runScript(
          client,
          ROTATE,
          [tokenPrefix + input.presentedHash],
          [
            now(),
            input.presentedHash,
            input.successorHash,
            input.clientId,
            Math.round(input.graceSeconds * 1000),
            input.data === undefined ? '' : JSON.stringify(input.data),
            familyPrefix,
            tokenPrefix,
          ],
        )) as [string, string[]?];
        const [status, flat] = reply;
        if (status === 'conflict') {
          throw new StoreConflictError('refresh token hash');
        }
        if (flat === undefined) return { status } as RotateResult;
        return { status, family: fromFields(flat) } as RotateResult;
      }),
    revokeFamily: (familyId) =>
      failClosed(async () => {
        const revoked = await runScript(
          client,
          REVOKE,
          [familyPrefix + familyId],
          [now()],
        );
        return revoked === 1;
      }),
    revokeBySession: (sessionId) =>
      failClosed(async () => {
        const revoked = (await runScript(
          client,
          REVOKE_SESSION,
          [sessionPrefix + sessionId],
          [now(), familyPrefix],
        )) as string[][];
        return revoked
          .map(fromFields)
          .sort((a, b) => (a.familyId < b.familyId ? -1 : 1));
      }),
    findByTokenHash: (tokenHash) =>
      failClosed(async () => {
        const familyId = await client.get(tokenPrefix + tokenHash);
        return familyId === null ? undefined : getFamily(familyId);
      }),
    getFamily: (familyId) => failClosed(() => getFamily(familyId)),
  };
}
