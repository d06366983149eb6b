import { createVerifier } from '@portcullis/jwt-guard';
import { createKeys, signTokenPool, AUDIENCE } from '../jwt-guard/keys.js';
const ISSUER = 'https://issuer.bench.example';
const alg = (process.env.ALG ?? 'RS256') as 'RS256';
const key = createKeys()[alg];
const pool = signTokenPool(key, ISSUER, 12000);
const v = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [key.jwk] }, algorithms: [alg], signatureThread: 'event-loop', tokenCache: process.env.CACHE === '1' ? undefined : false } as never);
const end = Date.now() + 4000; let i = 0;
while (Date.now() < end) { for (let k = 0; k < 64; k++) await v.verify(pool[i++ % pool.length]!); }
console.log(i / 4, 'per s', JSON.stringify(v.cacheStats()));
process.exit(0);
