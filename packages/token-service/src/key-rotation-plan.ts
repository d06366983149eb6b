/**
 * The rotation rules of the key ring as a pure function of the stored
 * records and the time: which key to create, promote, retire or remove.
 * Every instance applies the same rules to the same records, and each
 * step is a compare-and-set in the store, so concurrent instances agree.
 */

import type { SigningKeyRecord } from '@portcullis/stores';

/** The ring's durations, in milliseconds. */
export interface RotationTimings {
  /** How long a key stays active before its successor takes over. */
  readonly intervalMs: number;
  /** How long a new key is published before it may sign. */
  readonly pendingMs: number;
  /** How long a retired key stays published. */
  readonly retiredMs: number;
}

/** One step towards the ring the rules want. */
export type RingAction =
  | { readonly type: 'create'; readonly activateAfterMs: number }
  | {
      readonly type: 'promote';
      readonly kid: string;
      /** Active keys to retire once the promotion succeeded. */
      readonly retire: readonly string[];
    }
  | { readonly type: 'retire'; readonly kid: string }
  | { readonly type: 'remove'; readonly kid: string };

/** When a pending key was meant to start signing, in epoch ms. */
export function activateAfterMs(record: SigningKeyRecord): number {
  const value = record.data.activateAfterMs;
  return typeof value === 'number' ? value : record.createdAtMs;
}

function byKid(a: SigningKeyRecord, b: SigningKeyRecord): number {
  return a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0;
}

function byActivation(a: SigningKeyRecord, b: SigningKeyRecord): number {
  return a.stateChangedAtMs - b.stateChangedAtMs || byKid(a, b);
}

function byCreation(a: SigningKeyRecord, b: SigningKeyRecord): number {
  return a.createdAtMs - b.createdAtMs || byKid(a, b);
}

function byActivateAfter(a: SigningKeyRecord, b: SigningKeyRecord): number {
  return activateAfterMs(a) - activateAfterMs(b) || byCreation(a, b);
}

/**
 * The signing key: the active key activated last. Two active keys exist
 * only briefly, after instances raced; every instance picks the same one.
 */
export function currentKey(
  records: readonly SigningKeyRecord[],
): SigningKeyRecord | undefined {
  return records
    .filter((r) => r.state === 'active')
    .sort(byActivation)
    .at(-1);
}

function successor(
  pending: readonly SigningKeyRecord[],
  current: SigningKeyRecord,
  nowMs: number,
  timings: RotationTimings,
): SigningKeyRecord | undefined {
  const due = nowMs >= current.stateChangedAtMs + timings.intervalMs;
  return [...pending].sort(byActivateAfter).find(
    (record) =>
      activateAfterMs(record) <= nowMs &&
      record.stateChangedAtMs + timings.pendingMs <= nowMs &&
      // A key created under an earlier active key waits for the schedule,
      // so a second key from a concurrent rotation does not follow at once.
      (due || record.createdAtMs >= current.stateChangedAtMs),
  );
}

function firstSteps(
  records: readonly SigningKeyRecord[],
  nowMs: number,
  timings: RotationTimings,
): RingAction[] {
  const active = records.filter((r) => r.state === 'active');
  const pending = records.filter((r) => r.state === 'pending');
  const current = currentKey(records);
  if (current === undefined) {
    // An empty ring: nothing is published yet, so the first key signs at
    // once.
    const first = [...pending].sort(byCreation)[0];
    if (first === undefined)
      return [{ type: 'create', activateAfterMs: nowMs }];
    return [{ type: 'promote', kid: first.kid, retire: [] }];
  }

  const next = successor(pending, current, nowMs, timings);
  if (next !== undefined) {
    return [
      { type: 'promote', kid: next.kid, retire: active.map((r) => r.kid) },
    ];
  }

  const steps: RingAction[] = active
    .filter((r) => r.kid !== current.kid)
    .map((r) => ({ type: 'retire', kid: r.kid }));
  const rotatesAtMs = current.stateChangedAtMs + timings.intervalMs;
  if (pending.length === 0 && nowMs >= rotatesAtMs - timings.pendingMs) {
    steps.push({
      type: 'create',
      activateAfterMs: Math.max(rotatesAtMs, nowMs + timings.pendingMs),
    });
  }
  return steps;
}

/**
 * The steps that bring `records` to the ring the rules want at `nowMs`:
 * - an empty ring gets a key that signs at once;
 * - a pending key becomes active once it has been published `pendingMs`,
 *   its `activateAfterMs` has passed, and either the current key has been
 *   active `intervalMs` or the pending key was created after it (an
 *   on-demand rotation); the keys active before it are retired;
 * - a pending key is created `pendingMs` before the current key is due;
 * - a retired key is removed after `retiredMs`.
 */
export function planRotation(
  records: readonly SigningKeyRecord[],
  nowMs: number,
  timings: RotationTimings,
): RingAction[] {
  const removals: RingAction[] = records
    .filter(
      (r) =>
        r.state === 'retired' &&
        r.stateChangedAtMs + timings.retiredMs <= nowMs,
    )
    .map((r) => ({ type: 'remove', kid: r.kid }));
  return [...firstSteps(records, nowMs, timings), ...removals];
}
