/**
 * The signed-in user's account actions: change the display name (a
 * protected form), log out (here and, through RP-initiated logout, at the
 * IdP), and sign out everywhere. Every route is a POST
 * behind the CSRF check; logging out deny-lists the sessions' tokens by
 * their `sid`, so a token minted for a session dies with it.
 */

import { Router } from 'express';
import type { Request, Response } from 'express';
import type { AuditBus } from '@portcullis/core';
import type { SessionManager } from '@portcullis/session-bridge';
import type { DenyList } from '@portcullis/stores';

import type { DemoUser } from './users.js';

/** A logged-out session's tokens stay deny-listed this long, in seconds. */
const SESSION_DENY_SECONDS = 10 * 60;
const MAX_NAME_LENGTH = 60;

/** What the account routes need. */
export interface AccountDeps {
  sessions: SessionManager;
  /** The IdP's end-session URL for this session, if it has one. */
  endSessionUrl(req: Request): Promise<string | undefined>;
  denyList: DenyList;
  audit: AuditBus;
}

function denySessions(denyList: DenyList, publicIds: string[]) {
  const until = Math.floor(Date.now() / 1000) + SESSION_DENY_SECONDS;
  return Promise.all(publicIds.map((id) => denyList.add(`sid:${id}`, until)));
}

function signedInUser(req: Request, res: Response): DemoUser | undefined {
  const user = req.session.user as DemoUser | undefined;
  if (user === undefined) res.redirect(303, '/');
  return user;
}

/** Builds the router; mount it after the session and CSRF middleware. */
export function accountRoutes(deps: AccountDeps): Router {
  const router = Router();

  router.post('/profile/name', (req, res) => {
    const user = signedInUser(req, res);
    if (user === undefined) return;

    const name = String((req.body as { name?: unknown }).name ?? '').trim();
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
      res.status(400).type('text').send('the name must be 1 to 60 characters');
      return;
    }
    req.session.user = { ...user, name };
    res.redirect(303, '/profile');
  });

  router.post('/logout', async (req, res) => {
    const subject = (req.session.user as DemoUser | undefined)?.id;
    const idpLogout = await deps.endSessionUrl(req);
    await denySessions(deps.denyList, [req.session.publicId]);
    await req.session.destroy();
    deps.audit.emit('auth.logout', { subject });
    res.redirect(303, idpLogout ?? '/');
  });

  router.post('/logout/everywhere', async (req, res) => {
    const user = signedInUser(req, res);
    if (user === undefined) return;

    const listed = await deps.sessions.listForUser(user.id);
    await denySessions(
      deps.denyList,
      listed.map((s) => s.publicId),
    );
    await deps.sessions.endAllForUser(user.id);
    await req.session.destroy();
    deps.audit.emit('auth.logout', { subject: user.id });
    res.redirect(303, '/');
  });

  return router;
}
