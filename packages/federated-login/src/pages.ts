/**
 * The page shown when a login fails: the likely cause in plain words, a
 * stable code to quote when asking for help, and a way to retry. It never
 * shows a library message or a stack trace.
 */

import type { Response } from 'express';

import type { LoginError } from './errors.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Sends the error page with the error's status. */
export function sendLoginErrorPage(
  res: Response,
  error: LoginError,
  retryPath: string | undefined,
): void {
  const retry =
    retryPath === undefined
      ? ''
      : `<a class="button" href="${escapeHtml(retryPath)}">Try again</a>`;
  const reason =
    error.reason === undefined
      ? ''
      : `\n<p class="reason">${escapeHtml(error.reason)}</p>`;
  res.status(error.status).type('html').set('Cache-Control', 'no-store')
    .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in failed</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;
padding:0 1rem;color:#1f2933}
h1{font-size:1.5rem}code{background:#eef2f7;padding:.1rem .3rem}
.button{display:inline-block;margin-right:1rem;padding:.5rem 1rem;
border-radius:.4rem;background:#1f4b99;color:#fff;text-decoration:none}
</style></head><body>
<h1>Sign-in failed</h1>
<p>${escapeHtml(error.message)}</p>${reason}
<p>Error code: <code>${error.code}</code></p>
<p>${retry}<a href="/">Home</a></p>
</body></html>`);
}
