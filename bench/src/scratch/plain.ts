import express from 'express';
const app = express(); app.disable('x-powered-by');
app.get('/api/me', (_req, res) => { res.json({ sub: 'anonymous' }); });
app.listen(4555, '127.0.0.1');
