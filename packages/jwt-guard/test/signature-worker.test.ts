import { execFile } from 'node:child_process';
import { createSecretKey, generateKeyPairSync, sign } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { KeyObject } from 'node:crypto';

import {
  SignatureWorker,
  sharedSignatureWorker,
  verifySignatureOnWorker,
} from '../src/signature-worker.js';

const DATA = Buffer.from('header.payload');
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');

function signatureOf(alg: string, key: KeyObject, data = DATA): Buffer {
  if (alg === 'ES256') {
    return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  }

  if (alg === 'PS256') {
    return sign('sha256', data, { key, padding: 6, saltLength: 32 });
  }

  return sign(alg === 'EdDSA' ? null : 'sha256', data, key);
}

const worker = sharedSignatureWorker();

afterAll(() => worker.terminate());

describe('the signature worker', () => {
  it.each<[string, { privateKey: KeyObject; publicKey: KeyObject }]>([
    ['ES256', p256],
    ['RS256', rsa],
    ['PS256', rsa],
    ['EdDSA', ed],
  ])('checks %s on the worker thread', async (alg, keys) => {
    await worker.ready();
    const before = worker.answeredByWorker;
    const signature = signatureOf(alg, keys.privateKey);
    const other = Buffer.from('header.other');

    await expect(
      verifySignatureOnWorker(alg, keys.publicKey, DATA, signature),
    ).resolves.toBe(true);
    await expect(
      verifySignatureOnWorker(alg, keys.publicKey, other, signature),
    ).resolves.toBe(false);
    expect(worker.answeredByWorker - before).toBe(2);
  });

  it('answers many checks at once, each with its own outcome', async () => {
    await worker.ready();
    const cases = Array.from({ length: 120 }, (_, i) => {
      const data = Buffer.from(`header.payload-${i}`);
      const keys = [p256, rsa, ed][i % 3]!;
      const alg = ['ES256', 'RS256', 'EdDSA'][i % 3]!;
      const signature = signatureOf(alg, keys.privateKey, data);
      // Every fourth check carries another message's signature.
      const checked = i % 4 === 0 ? Buffer.from(`header.x-${i}`) : data;
      return { alg, key: keys.publicKey, data: checked, signature };
    });
    const results = await Promise.all(
      cases.map((c) =>
        verifySignatureOnWorker(c.alg, c.key, c.data, c.signature),
      ),
    );

    expect(results).toEqual(cases.map((_, i) => i % 4 !== 0));
  });

  it('refuses a signature of the wrong length without asking the worker', async () => {
    await worker.ready();
    const before = worker.answeredByWorker;
    const signature = signatureOf('ES256', p256.privateKey);

    await expect(
      verifySignatureOnWorker(
        'ES256',
        p256.publicKey,
        DATA,
        signature.subarray(1),
      ),
    ).resolves.toBe(false);
    await expect(
      verifySignatureOnWorker('RS256', p256.publicKey, DATA, signature),
    ).resolves.toBe(false);
    expect(worker.answeredByWorker).toBe(before);
  });

  it('checks HMAC on the event loop', async () => {
    const secret = createSecretKey(Buffer.alloc(32, 7));
    const before = worker.answeredByWorker;
    const { createHmac } = await import('node:crypto');
    const mac = createHmac('sha256', secret).update(DATA).digest();

    await expect(
      verifySignatureOnWorker('HS256', secret, DATA, mac),
    ).resolves.toBe(true);
    await expect(
      verifySignatureOnWorker('HS256', secret, Buffer.from('x'), mac),
    ).resolves.toBe(false);
    expect(worker.answeredByWorker).toBe(before);
  });

  it('sends the checks in flight to the thread pool when the worker stops', async () => {
    await worker.ready();
    const signature = signatureOf('RS256', rsa.privateKey);
    const pending = Array.from({ length: 40 }, (_, i) =>
      verifySignatureOnWorker(
        'RS256',
        rsa.publicKey,
        i % 2 === 0 ? DATA : Buffer.from('other'),
        signature,
      ),
    );
    // Stopped before the queued checks were even sent.
    await worker.terminate();

    expect(await Promise.all(pending)).toEqual(
      pending.map((_, i) => i % 2 === 0),
    );
  });

  it('answers on the pool while a new worker starts, then on the worker', async () => {
    await worker.terminate();
    const before = worker.answeredByWorker;
    const signature = signatureOf('ES256', p256.privateKey);

    await expect(
      verifySignatureOnWorker('ES256', p256.publicKey, DATA, signature),
    ).resolves.toBe(true);
    expect(worker.answeredByWorker).toBe(before);

    await worker.ready();
    await expect(
      verifySignatureOnWorker('ES256', p256.publicKey, DATA, signature),
    ).resolves.toBe(true);
    expect(worker.answeredByWorker).toBe(before + 1);
  });

  it('keeps the process alive while a check is in flight', async () => {
    const program = path.join(__dirname, 'programs/check-on-worker.ts');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', program],
      { cwd: __dirname, timeout: 20_000 },
    );

    expect(stdout.trim()).toBe('valid=true byWorker=1');
  });

  it('tells the worker once that a key is gone, however often it restarted', async () => {
    const program = path.join(__dirname, 'programs/key-registrations.ts');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', program],
      { cwd: __dirname, timeout: 20_000 },
    );

    expect(stdout.trim()).toBe('started=8 forgotten=1');
  });

  it('answers every check of a batch too large to spread into an array', async () => {
    // Answers "invalid" to each job under its own sequence number.
    const source = `
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', ({ meta }) => {
        for (let i = 0; i < meta.length; i += 9) {
          parentPort.postMessage(meta[i] * 4);
        }
      });`;
    const quick = new SignatureWorker(source);
    await quick.ready();
    const signature = signatureOf('ES256', p256.privateKey);
    const checks = Array.from({ length: 150_000 }, () =>
      quick.check('ES256', p256.publicKey, DATA, signature),
    );
    const results = await Promise.all(checks);
    await quick.terminate();

    expect(results.every((valid) => valid === false)).toBe(true);
    expect(quick.answeredByWorker).toBe(150_000);
  }, 60_000);

  it('holds no reference after a stop between a check and its flush', async () => {
    const own = new SignatureWorker();
    await own.ready();
    const signature = signatureOf('ES256', p256.privateKey);
    const first = own.check('ES256', p256.publicKey, DATA, signature);
    await own.terminate();
    // Queued for the flush the first check scheduled; answered on the
    // pool while a new worker starts.
    const second = own.check('ES256', p256.publicKey, DATA, signature);

    expect(await Promise.all([first, second])).toEqual([true, true]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(process.getActiveResourcesInfo()).not.toContain('MessagePort');
    await own.terminate();
  });

  it('leaves no listeners behind when ready() is awaited many times', async () => {
    const program = path.join(__dirname, 'programs/ready-many-times.ts');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', program],
      { cwd: __dirname, timeout: 20_000 },
    );

    expect(stdout.trim()).toBe('warnings=[]');
  });

  it('never keeps the process alive', async () => {
    await worker.ready();
    const signature = signatureOf('ES256', p256.privateKey);
    await verifySignatureOnWorker('ES256', p256.publicKey, DATA, signature);

    // Only handles that hold the event loop open are listed; a referenced
    // worker shows up as its MessagePort.
    expect(process.getActiveResourcesInfo()).not.toContain('MessagePort');
  });

  // Answers that do not line up with the jobs in flight, each saying
  // "valid": were they matched to jobs by arrival, forged checks would pass.
  it.each<[string, string]>([
    ['answers out of order', 'seqs.reverse()'],
    ['answers for jobs it was not sent', 'seqs.map((seq) => seq + 1)'],
  ])('trusts no answer from a worker that %s', async (_name, order) => {
    // Each job's sequence number is the first of its 9 numbers in `meta`.
    const source = `
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', ({ meta }) => {
        const seqs = [];
        for (let i = 0; i < meta.length; i += 9) seqs.push(meta[i]);
        for (const seq of ${order}) parentPort.postMessage(seq * 4 + 1);
      });`;
    const liar = new SignatureWorker(source);
    await liar.ready();
    const signature = signatureOf('ES256', p256.privateKey);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        liar.check(
          'ES256',
          p256.publicKey,
          i % 2 === 0 ? DATA : Buffer.from('forged'),
          signature,
        ),
      ),
    );
    await liar.terminate();

    expect(results).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(liar.answeredByWorker).toBe(0);
  });

  it('gives anything but a KeyObject and bytes the synchronous answer', async () => {
    await worker.ready();
    const signature = signatureOf('ES256', p256.privateKey);
    // Looks like an EC public key to a duck-typing check, and cannot be
    // sent to a thread (it has a method).
    const fake = {
      type: 'public',
      asymmetricKeyType: 'ec',
      asymmetricKeyDetails: { namedCurve: 'prime256v1' },
      export: () => p256.publicKey.export({ format: 'jwk' }),
    };
    // Array-likes whose values are not the signature's bytes as such.
    const wide = Uint16Array.from(signature, (byte) => byte + 256);
    const cases: [unknown, unknown, unknown][] = [
      [fake, DATA, signature],
      [p256.publicKey, DATA, [...signature]],
      [p256.publicKey, DATA, wide],
      [p256.publicKey, DATA.toString('latin1'), signature],
    ];
    const valid = verifySignatureOnWorker(
      'ES256',
      p256.publicKey,
      DATA,
      signature,
    );

    for (const [key, data, sig] of cases) {
      const args = ['ES256', key, data, sig] as Parameters<
        typeof verifySignatureOnWorker
      >;
      await expect(verifySignatureOnWorker(...args)).resolves.toBe(
        (await import('../src/verify-signature.js')).verifySignature(...args),
      );
    }
    // The check made beside them is not held up or lost.
    await expect(valid).resolves.toBe(true);
  });

  it('checks the bytes as they were when it was called', async () => {
    await worker.ready();
    const other = Buffer.from('header.other!!');
    const data = Buffer.from('header.payload');
    const signature = signatureOf('ES256', p256.privateKey, other);
    const pending = verifySignatureOnWorker(
      'ES256',
      p256.publicKey,
      data,
      signature,
    );
    other.copy(data);

    await expect(pending).resolves.toBe(false);
  });

  it('does not start a worker again when one ended before answering', async () => {
    const broken = new SignatureWorker("throw new Error('no threads here');");
    const signature = signatureOf('RS256', rsa.privateKey);

    await broken.ready();
    while (broken.running) await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < 5; i += 1) {
      await expect(
        broken.check('RS256', rsa.publicKey, DATA, signature),
      ).resolves.toBe(true);
    }
    expect(broken.threadsStarted).toBe(1);
    expect(broken.answeredByWorker).toBe(0);
  });

  it('stops an idle worker, even one that never answered', async () => {
    const short = new SignatureWorker(undefined, 100);
    const signature = signatureOf('ES256', p256.privateKey);

    // Answered on the pool while the worker starts.
    await expect(
      short.check('ES256', p256.publicKey, DATA, signature),
    ).resolves.toBe(true);
    expect(short.running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(short.running).toBe(false);
    expect(short.answeredByWorker).toBe(0);
  });

  it.each<[string, unknown, unknown, unknown]>([
    ['an undefined signature', p256.publicKey, DATA, undefined],
    ['a null key', null, DATA, Buffer.alloc(64)],
    ['a string key', 'not a key', DATA, Buffer.alloc(64)],
    ['undefined data', p256.publicKey, undefined, Buffer.alloc(64)],
  ])('answers false, never throws, for %s', async (_name, key, data, sig) => {
    const args = ['ES256', key, data, sig] as Parameters<
      typeof verifySignatureOnWorker
    >;
    let result: Promise<boolean> | undefined;

    expect(() => {
      result = verifySignatureOnWorker(...args);
    }).not.toThrow();
    await expect(result).resolves.toBe(false);
  });
});
