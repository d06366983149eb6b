/**
 * Freezes a decoded JSON value all the way down, in place, so that a
 * context handed to several requests cannot be changed by any of them.
 */

/** Freezes `value` and every object and array inside it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) {
    return value;
  }

  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member);
  return value;
}
