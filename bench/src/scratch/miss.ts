import { verify as cryptoVerify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createVerifier } from '@portcullis/jwt-guard';
import { createKeys, signTokenPool, AUDIENCE } from '../jwt-guard/keys.js';

const ISSUER = 'https://issuer.bench.example';
const keys = createKeys();
const algs = (process.env.ALGS ?? 'RS256,ES256').split(',') as ('RS256'|'ES256'|'EdDSA')[];
let gi = 0;
async function measure(run: (t: string) => unknown, pool: string[], ms: number) {
  let i = 0; const base = gi; const start = performance.now(); let now = start;
  while (now < start + ms) {
    for (let k = 0; k < 32; k++) { const r = run(pool[(base + i++) % pool.length]!); if (r instanceof Promise) await r; }
    now = performance.now();
  }
  gi = base + i;
  return (i * 1000) / (now - start);
}
for (const alg of algs) {
  const key = keys[alg];
  const pool = signTokenPool(key, ISSUER, 12000);
  const jwks = { keys: [key.jwk] };
  const mk = (o: object) => createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks, algorithms: [alg], signatureThread: 'event-loop', ...o } as never);
  const off = mk({ tokenCache: false });
  const on = mk({});
  const hash = alg === 'EdDSA' ? null : 'sha256';
  const keyInput = alg === 'ES256' ? { key: key.publicKey, dsaEncoding: 'ieee-p1363' as const } : key.publicKey;
  const raw = (t: string) => { const d = t.lastIndexOf('.'); return cryptoVerify(hash, Buffer.from(t.slice(0, d)), keyInput, Buffer.from(t.slice(d + 1), 'base64url')); };
  const res: Record<string, number[]> = { raw: [], off: [], on: [] };
  for (let r = 0; r < 5; r++) {
    res.raw!.push(await measure(raw, pool, 400));
    res.off!.push(await measure((t) => off.verify(t), pool, 400));
    res.on!.push(await measure((t) => on.verify(t), pool, 400));
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[2]!;
  const m = { raw: med(res.raw!), off: med(res.off!), on: med(res.on!) };
  console.log(JSON.stringify(on.cacheStats()));
  console.log(alg, JSON.stringify(m), 'us/op raw', (1e6/m.raw).toFixed(1), 'off', (1e6/m.off).toFixed(1), 'on', (1e6/m.on).toFixed(1));
}
process.exit(0);
