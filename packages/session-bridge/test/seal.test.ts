import { randomBytes } from 'node:crypto';

import { isSealingKey, open, seal } from '../src/seal.js';

const key = randomBytes(32);

describe('seal and open', () => {
  it('round-trips a value and never shows it in the sealed text', () => {
    const sealed = seal(key, 'ctx', 'refresh-token-value');

    expect(sealed).not.toContain('refresh-token-value');
    expect(open(key, 'ctx', sealed)).toBe('refresh-token-value');
  });

  it('uses a fresh IV each time', () => {
    expect(seal(key, 'ctx', 'same')).not.toBe(seal(key, 'ctx', 'same'));
  });

  it.each<[string, (sealed: string) => [Buffer, string, string]]>([
    ['another key', (s) => [randomBytes(32), 'ctx', s]],
    ['another context', (s) => [key, 'other', s]],
    [
      'a flipped ciphertext byte',
      (s) => {
        const parts = s.split('.');
        const body = Buffer.from(parts[2]!, 'base64url');
        body[0] = body[0]! ^ 1;
        parts[2] = body.toString('base64url');
        return [key, 'ctx', parts.join('.')];
      },
    ],
    ['a truncated value', (s) => [key, 'ctx', s.slice(0, -4)]],
    ['garbage', () => [key, 'ctx', 'not.a.sealed.value']],
    ['another version', (s) => [key, 'ctx', s.replace(/^v1/, 'v2')]],
  ])('refuses %s', (_name, tweak) => {
    const [k, context, sealed] = tweak(seal(key, 'ctx', 'secret'));

    expect(open(k, context, sealed)).toBeUndefined();
  });

  it('accepts only 32-byte Buffers as keys', () => {
    expect(isSealingKey(randomBytes(32))).toBe(true);
    expect(isSealingKey(randomBytes(16))).toBe(false);
    expect(isSealingKey('x'.repeat(32))).toBe(false);
  });
});
