/**
 * A circuit breaker per identity provider: after `failureThreshold`
 * consecutive failures to reach it, logins answer 503 at once for
 * `cooldownMs`; then one attempt is let through, and a success closes it.
 */

/** Breaker settings, in milliseconds where a duration. */
export interface BreakerSettings {
  failureThreshold: number;
  cooldownMs: number;
}

/** The state of one provider's breaker. */
export interface IdpBreaker {
  /** True while calls should not be attempted. */
  isOpen(now: number): boolean;
  recordSuccess(): void;
  /** Returns true when this failure opened the breaker. */
  recordFailure(now: number): boolean;
}

/** Creates a closed breaker. */
export function createIdpBreaker(settings: BreakerSettings): IdpBreaker {
  let failures = 0;
  let openUntil = 0;

  return {
    isOpen: (now) => failures >= settings.failureThreshold && now < openUntil,
    recordSuccess() {
      failures = 0;
      openUntil = 0;
    },
    recordFailure(now) {
      failures += 1;
      if (failures < settings.failureThreshold) return false;
      openUntil = now + settings.cooldownMs;
      return failures === settings.failureThreshold;
    },
  };
}
