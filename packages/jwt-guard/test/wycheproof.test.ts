/**
 * Every Wycheproof vector in /work/shared/vectors/wycheproof through the
 * guard's own key import (importKeySet) and signature call
 * (verifySignature): valid vectors verify, invalid ones are refused
 * without throwing.
 */

import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

import { importKeySet, lookupKey } from '../src/key-set.js';
import {
  sharedSignatureWorker,
  verifySignatureOnWorker,
} from '../src/signature-worker.js';
import {
  asymmetricArguments,
  verifySignature,
  verifySignatureAsync,
} from '../src/verify-signature.js';

const DIR = path.resolve(__dirname, '../../../../shared/vectors/wycheproof');

const FILES: Record<string, string> = {
  'ecdsa_secp256r1_sha256_p1363_test.json': 'ES256',
  'ecdsa_secp384r1_sha384_p1363_test.json': 'ES384',
  'ed25519_test.json': 'EdDSA',
  'rsa_pss_2048_sha256_mgf1_32_test.json': 'PS256',
  'rsa_signature_2048_sha256_test.json': 'RS256',
};

interface Vector {
  tcId: number;
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}

interface Group {
  publicKeyJwk?: Record<string, unknown>;
  publicKeyPem?: string;
  tests: Vector[];
}

// Some groups carry the key only as PEM (such as keys whose point is given
// compressed); node:crypto turns it into the JWK the guard would be served.
function groupJwk(group: Group): Record<string, unknown> {
  if (group.publicKeyJwk !== undefined) return group.publicKeyJwk;
  const key = createPublicKey(group.publicKeyPem ?? '');
  return key.export({ format: 'jwk' }) as Record<string, unknown>;
}

type Check = (
  alg: string,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
) => boolean | Promise<boolean>;

async function runFile(file: string, alg: string, check: Check) {
  const data = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as {
    testGroups: Group[];
  };
  const outcomes: Array<[number, string, boolean]> = [];
  for (const group of data.testGroups) {
    const jwk = { ...groupJwk(group), kid: 'k', alg: undefined };
    const lookup = lookupKey(importKeySet({ keys: [jwk] }), 'k', alg);
    if (!('found' in lookup)) throw new Error(`key not imported in ${file}`);
    for (const test of group.tests) {
      const verified = await check(
        alg,
        lookup.found,
        Buffer.from(test.msg, 'hex'),
        Buffer.from(test.sig, 'hex'),
      );
      outcomes.push([test.tcId, test.result, verified]);
    }
  }

  return outcomes;
}

afterAll(() => sharedSignatureWorker().terminate());

describe('verifySignature against Wycheproof', () => {
  it('covers every vector file in the directory', () => {
    const present = readdirSync(DIR).filter((name) => name.endsWith('.json'));

    expect(present.sort()).toEqual(Object.keys(FILES).sort());
  });

  const checks: Array<[string, Check]> = [
    ['on the event loop', verifySignature],
    ['on the thread pool', verifySignatureAsync],
    ['on the signature worker', verifySignatureOnWorker],
  ];
  const cases = Object.entries(FILES).flatMap(([file, alg]) =>
    checks.map(([where, check]) => [file, where, alg, check] as const),
  );

  it.each(cases)(
    'agrees with every vector of %s %s',
    async (file, where, alg, check) => {
      const worker = sharedSignatureWorker();
      await worker.ready();
      const before = worker.answeredByWorker;
      let reachCrypto = 0;
      const outcomes = await runFile(file, alg, (...args) => {
        if (asymmetricArguments(args[0], args[1], args[3])) reachCrypto += 1;
        return check(...args);
      });
      // Through the worker, every vector that reaches crypto.verify (not
      // refused for its length first) is answered by the worker itself.
      const byWorker = worker.answeredByWorker - before;
      const onWorker = where === 'on the signature worker';
      expect(byWorker).toBe(onWorker ? reachCrypto : 0);
      expect(reachCrypto).toBeGreaterThan(outcomes.length / 2);
      const wrong = outcomes.filter(
        ([, result, verified]) =>
          (result === 'valid' && !verified) ||
          (result === 'invalid' && verified),
      );

      expect(outcomes.length).toBeGreaterThan(50);
      expect(wrong).toEqual([]);
    },
  );
});
