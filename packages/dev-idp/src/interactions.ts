/**
 * The interaction routes: the login form, its submission and Cancel (OIDC
 * Core 3.1.2.3 leaves authentication to the OP). Consent is implied for the
 * registered first-party clients, so a consent prompt completes at once.
 */

/// <reference path="./oidc-provider.d.ts" />

import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Interaction, Provider } from 'oidc-provider';

import { PAGE_HEADERS, renderLoginPage, renderMessagePage } from './pages.js';
import type { CredentialChecker } from './credentials.js';

const FORM_BODY_LIMIT = '8kb';
const WRONG_CREDENTIALS = 'Wrong email or password.';
const UNKNOWN_REQUEST =
  'This sign-in request is unknown or has expired. ' +
  'Go back to the application and sign in again.';

class InteractionMismatchError extends Error {
  readonly statusCode = 400;
}

function sendPage(res: Response, status: number, html: string): void {
  res.status(status).set(PAGE_HEADERS).send(html);
}

function readField(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

function readParam(interaction: Interaction, name: string): string {
  const value = interaction.params[name];
  return typeof value === 'string' ? value : '';
}

async function loadInteraction(
  provider: Provider,
  req: Request,
  res: Response,
): Promise<Interaction> {
  const interaction = await provider.interactionDetails(req, res);
  if (interaction.uid !== req.params.uid) {
    throw new InteractionMismatchError('interaction uid mismatch');
  }

  return interaction;
}

async function grantConsent(
  provider: Provider,
  interaction: Interaction,
): Promise<string> {
  const accountId = interaction.session?.accountId ?? '';
  const clientId = readParam(interaction, 'client_id');
  const found = interaction.grantId
    ? await provider.Grant.find(interaction.grantId)
    : undefined;
  const grant = found ?? new provider.Grant({ accountId, clientId });

  const { details } = interaction.prompt;
  if (details.missingOIDCScope) {
    grant.addOIDCScope(details.missingOIDCScope.join(' '));
  }

  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(
    details.missingResourceScopes ?? {},
  )) {
    grant.addResourceScope(resource, scopes.join(' '));
  }

  return grant.save();
}

function handleError(
  error: unknown,
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (res.headersSent) return next(error);
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return sendPage(res, 400, renderMessagePage('Sign in', UNKNOWN_REQUEST));
  }

  sendPage(res, 500, renderMessagePage('Error', 'Something went wrong.'));
}

/**
 * Builds the router mounted at /interaction: GET /:uid shows the form (or
 * completes a consent prompt), POST /:uid/login checks the credentials (401
 * and the form again on failure), GET /:uid/abort ends the request with
 * access_denied.
 */
export function createInteractionRouter(
  provider: Provider,
  checkCredentials: CredentialChecker,
): Router {
  const router = express.Router();
  const parseForm = express.urlencoded({
    extended: false,
    limit: FORM_BODY_LIMIT,
  });

  router.get('/:uid', async function showInteraction(req, res) {
    const interaction = await loadInteraction(provider, req, res);
    if (interaction.prompt.name === 'consent') {
      const grantId = await grantConsent(provider, interaction);
      const result = { consent: { grantId } };
      return provider.interactionFinished(req, res, result);
    }

    const page = renderLoginPage({
      uid: interaction.uid,
      clientId: readParam(interaction, 'client_id'),
      email: readParam(interaction, 'login_hint'),
    });
    sendPage(res, 200, page);
  });

  router.post('/:uid/login', parseForm, async function login(req, res) {
    const interaction = await loadInteraction(provider, req, res);
    const email = readField(req.body, 'email');
    const user = checkCredentials(email, readField(req.body, 'password'));
    if (user === undefined) {
      const page = renderLoginPage({
        uid: interaction.uid,
        clientId: readParam(interaction, 'client_id'),
        email,
        error: WRONG_CREDENTIALS,
      });
      return sendPage(res, 401, page);
    }

    const result = { login: { accountId: user.sub } };
    await provider.interactionFinished(req, res, result, {
      mergeWithLastSubmission: false,
    });
  });

  router.get('/:uid/abort', async function abort(req, res) {
    await loadInteraction(provider, req, res);
    const result = {
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    };
    await provider.interactionFinished(req, res, result, {
      mergeWithLastSubmission: false,
    });
  });

  router.use(handleError);
  return router;
}
