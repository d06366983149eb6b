/**
 * The PostgreSQL RefreshTokenStore. A rotation locks the family row
 * (`SELECT ... FOR UPDATE`), decides with the rules of refresh-rotation.ts
 * and writes in the same transaction, so concurrent rotations of one token
 * run one after the other and exactly one of them succeeds.
 */

import { StoreConflictError, failClosed } from './errors.js';
import { buildFamily, decideRotation } from './refresh-rotation.js';
import { isUniqueViolation, withTransaction } from './pg-context.js';
import type { PgContext } from './pg-context.js';
import type {
  RefreshFamily,
  RefreshTokenStore,
  RotateResult,
} from './ports.js';

type FamilyRow = Record<string, string | number | null | object>;

const COLUMNS: ReadonlyArray<[keyof RefreshFamily, string]> = [
  ['familyId', 'family_id'],
  ['clientId', 'client_id'],
  ['subject', 'subject'],
  ['sessionId', 'session_id'],
  ['dpopJkt', 'dpop_jkt'],
  ['scope', 'scope'],
  ['data', 'data'],
  ['currentTokenHash', 'current_token_hash'],
  ['previousTokenHash', 'previous_token_hash'],
  ['graceUntilMs', 'grace_until_ms'],
  ['generation', 'generation'],
  ['createdAtMs', 'created_at_ms'],
  ['rotatedAtMs', 'rotated_at_ms'],
  ['idleTtlSeconds', 'idle_ttl_seconds'],
  ['idleExpiresAtMs', 'idle_expires_at_ms'],
  ['absoluteExpiresAtMs', 'absolute_expires_at_ms'],
  ['revokedAtMs', 'revoked_at_ms'],
];

const STRING_FIELDS = new Set<keyof RefreshFamily>([
  'familyId',
  'clientId',
  'subject',
  'sessionId',
  'dpopJkt',
  'scope',
  'currentTokenHash',
  'previousTokenHash',
]);

const COLUMN_LIST = COLUMNS.map(([, column]) => column).join(', ');
const PLACEHOLDERS = COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
// Every column but the key, for the UPDATE of a rotation or a revocation.
const ASSIGNMENTS = COLUMNS.slice(1)
  .map(([, column], i) => `${column} = $${i + 2}`)
  .join(', ');

function toRow(family: RefreshFamily): unknown[] {
  return COLUMNS.map(([field]) => {
    const value = family[field];
    if (value === undefined) return null;
    return field === 'data' ? JSON.stringify(value) : value;
  });
}

function fromRow(row: FamilyRow): RefreshFamily {
  const family: Record<string, unknown> = {};
  for (const [field, column] of COLUMNS) {
    const value = row[column];
    if (value === null || value === undefined) continue;

    if (field === 'data' || STRING_FIELDS.has(field)) family[field] = value;
    else family[field] = Number(value);
  }
  return family as unknown as RefreshFamily;
}

/** A unique violation becomes a StoreConflictError; the rest rethrows. */
function conflictOrRethrow(error: unknown): never {
  if (!isUniqueViolation(error)) throw error;
  throw new StoreConflictError('refresh token or family', { cause: error });
}

/** Creates the RefreshTokenStore of {@link createPostgresStores}. */
export function createPgRefreshTokenStore(
  context: PgContext,
): RefreshTokenStore {
  const { pool, schema: s, now } = context;
  const selectLive = `SELECT * FROM ${s}.refresh_families
    WHERE family_id = $1 AND absolute_expires_at_ms > $2`;
  const familyOfToken = `SELECT family_id FROM ${s}.refresh_tokens
    WHERE token_hash = $1`;

  const findLive = async (familyId: string | undefined) => {
    if (familyId === undefined) return undefined;

    const { rows } = await pool.query<FamilyRow>(selectLive, [familyId, now()]);
    return rows[0] === undefined ? undefined : fromRow(rows[0]);
  };

  return {
    create: (input) =>
      failClosed(async () => {
        const family = buildFamily(input, now());
        try {
          await withTransaction(pool, async (client) => {
            await client.query(
              `INSERT INTO ${s}.refresh_families (${COLUMN_LIST})
               VALUES (${PLACEHOLDERS})`,
              toRow(family),
            );
            await client.query(
              `INSERT INTO ${s}.refresh_tokens (token_hash, family_id)
               VALUES ($1, $2)`,
              [input.tokenHash, family.familyId],
            );
          });
        } catch (error) {
          conflictOrRethrow(error);
        }
        return family;
      }),
    rotate: (input) =>
      failClosed(() =>
        withTransaction(pool, async (client): Promise<RotateResult> => {
          const nowMs = now();
          const token = await client.query<{ family_id: string }>(
            familyOfToken,
            [input.presentedHash],
          );
          const familyId = token.rows[0]?.family_id;
          if (familyId === undefined) return { status: 'not_found' as const };

          const { rows } = await client.query<FamilyRow>(
            `${selectLive} FOR UPDATE`,
            [familyId, nowMs],
          );
          if (rows[0] === undefined) return { status: 'not_found' as const };

          const { result, next } = decideRotation(
            fromRow(rows[0]),
            input,
            nowMs,
          );
          if (next === undefined) return result;

          await client.query(
            `UPDATE ${s}.refresh_families SET ${ASSIGNMENTS}
             WHERE family_id = $1`,
            toRow(next),
          );
          if (result.status === 'rotated') {
            await client
              .query(
                `INSERT INTO ${s}.refresh_tokens (token_hash, family_id)
                 VALUES ($1, $2)`,
                [input.successorHash, familyId],
              )
              .catch(conflictOrRethrow);
          }
          return result;
        }),
      ),
    revokeFamily: (familyId) =>
      failClosed(async () => {
        const nowMs = now();
        const { rowCount } = await pool.query(
          `UPDATE ${s}.refresh_families SET revoked_at_ms = $2
           WHERE family_id = $1 AND revoked_at_ms IS NULL
             AND absolute_expires_at_ms > $2`,
          [familyId, nowMs],
        );
        return rowCount === 1;
      }),
    revokeBySession: (sessionId) =>
      failClosed(async () => {
        const nowMs = now();
        const { rows } = await pool.query<FamilyRow>(
          `UPDATE ${s}.refresh_families SET revoked_at_ms = $2
           WHERE session_id = $1 AND revoked_at_ms IS NULL
             AND absolute_expires_at_ms > $2
           RETURNING *`,
          [sessionId, nowMs],
        );
        return rows
          .map(fromRow)
          .sort((a, b) => (a.familyId < b.familyId ? -1 : 1));
      }),
    findByTokenHash: (tokenHash) =>
      failClosed(async () => {
        const { rows } = await pool.query<{ family_id: string }>(
          familyOfToken,
          [tokenHash],
        );
        return findLive(rows[0]?.family_id);
      }),
    getFamily: (familyId) => failClosed(() => findLive(familyId)),
  };
}
