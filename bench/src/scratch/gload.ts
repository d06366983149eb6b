import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import autocannon from 'autocannon';
import { createKeys, signTokenPool, AUDIENCE } from '../jwt-guard/keys.js';
const alg = (process.env.ALG ?? 'ES256') as 'ES256';
const issuer = 'https://issuer.bench.example';
const key = createKeys()[alg];
const pool = signTokenPool(key, issuer, 12000);
writeFileSync('/tmp/gsrv.json', JSON.stringify({ issuer, audience: AUDIENCE, jwks: { keys: [key.jwk] }, alg }));
function cpu() { const l = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number); return l; }
function threads(pid: number) { const out: Record<string, number> = {}; for (const t of readdirSync(`/proc/${pid}/task`)) { const s = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8'); const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); out[`${name}:${t}`] = Number(f[11]) + Number(f[12]); } return out; }
for (const mode of (process.env.MODES ?? 'none,pool,loop,nocache').split(',')) {
  const child = spawn('node', [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/gprof-' + mode] : []), '--import', 'tsx', 'src/scratch/gsrv.ts'], { env: { ...process.env, MODE: mode === 'pool1' ? 'pool' : mode, NODE_ENV: 'production', ...(mode === 'pool1' ? { UV_THREADPOOL_SIZE: '1' } : {}) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout!.once('data', r));
  let next = 0;
  const opts: any = { url: 'http://127.0.0.1:4556/api/me', connections: 32, duration: Number(process.env.SECS ?? 5), requests: [{ method: 'GET', setupRequest(r: any) { return { ...r, headers: { authorization: `Bearer ${pool[next++ % pool.length]}` } }; } }] };
  await autocannon({ ...opts, duration: 1 });
  const c1 = cpu(); const t1 = threads(child.pid!);
  const res = await autocannon(opts);
  const c2 = cpu(); const t2 = threads(child.pid!);
  const d = c2.map((v, i) => v - c1[i]!);
  const td = Object.entries(t2).map(([k, v]) => [k, v - (t1[k] ?? 0)] as const).filter(([, v]) => v > 2);
  console.log(mode, 'rps', Math.round(res.requests.average), 'non2xx', res.non2xx, 'sys user/sys/idle/steal', d[0], d[2], d[3], d[7], 'threads(ticks/5s)', JSON.stringify(Object.fromEntries(td)));
  child.kill();
  await new Promise((r) => child.once('exit', r));
}
