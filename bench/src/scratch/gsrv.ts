import express from 'express';
import { requireAuth } from '@portcullis/jwt-guard';
import { authErrorHandler } from '@portcullis/core';
import { readFileSync } from 'node:fs';
const cfg = JSON.parse(readFileSync('/tmp/gsrv.json', 'utf8'));
const app = express(); app.disable('x-powered-by');
const mode = process.env.MODE ?? 'pool';
const guard = mode === 'none' ? undefined : requireAuth({ issuer: cfg.issuer, audience: cfg.audience, jwks: cfg.jwks, algorithms: [cfg.alg],
  signatureThread: mode === 'loop' ? 'event-loop' : mode === 'worker' ? 'worker' : 'thread-pool', ...(mode === 'nocache' ? { tokenCache: false } : {}) } as never);
const route = (req: any, res: any) => { res.json({ sub: req.auth?.claims?.sub ?? 'anonymous' }); };
if (guard) app.get('/api/me', guard, route); else app.get('/api/me', route);
app.use(authErrorHandler());
app.listen(4556, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
