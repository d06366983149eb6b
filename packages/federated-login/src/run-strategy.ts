/**
 * Runs a passport strategy as a promise with a deadline: it settles with
 * the strategy's outcome, with `redirected` once the strategy has sent its
 * redirect, or with LOGIN_IDP_UNAVAILABLE when the deadline passes first.
 * The deadline also bounds calls whose client has no timeout of its own
 * (passport-oauth2's token request).
 */

import type { Passport } from 'passport';
import type { Request, Response } from 'express';

import { LoginError } from './errors.js';
import type { LoginPhase } from './oidc-strategy.js';

/** What a strategy run ended with. */
export type StrategyOutcome =
  | { kind: 'redirected' }
  | { kind: 'success'; user: unknown; info: unknown }
  | { kind: 'fail'; info: unknown };

/** Authenticates with the named strategy within `deadlineMs`. */
export function runStrategy(
  passport: InstanceType<typeof Passport>,
  name: string,
  phase: LoginPhase,
  context: { req: Request; res: Response; deadlineMs: number },
): Promise<StrategyOutcome> {
  const { req, res } = context;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      res.off('finish', onSent);
      fn();
    };
    const onSent = () => settle(() => resolve({ kind: 'redirected' }));
    const timer = setTimeout(() => {
      settle(() => reject(new LoginError('LOGIN_IDP_UNAVAILABLE')));
    }, context.deadlineMs);
    res.once('finish', onSent);

    const middleware = passport.authenticate(
      name,
      { session: false, phase } as object,
      (error: unknown, user: unknown, info: unknown) => {
        if (error) settle(() => reject(error));
        else if (user) settle(() => resolve({ kind: 'success', user, info }));
        else settle(() => resolve({ kind: 'fail', info }));
      },
    );
    middleware(req, res, (error?: unknown) => settle(() => reject(error)));
  });
}
