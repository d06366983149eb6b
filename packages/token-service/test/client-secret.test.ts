import {
  hashClientSecret,
  parseStoredSecret,
  verifyClientSecret,
} from '../src/client-secret.js';

describe('client secrets', () => {
  it('hashes with scrypt and a random salt, and verifies only the right secret', async () => {
    const a = await hashClientSecret('s3cret');
    const b = await hashClientSecret('s3cret');

    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cret');
    const stored = parseStoredSecret(a)!;
    await expect(verifyClientSecret('s3cret', stored)).resolves.toBe(true);
    await expect(verifyClientSecret('s3cret ', stored)).resolves.toBe(false);
    await expect(verifyClientSecret('', stored)).resolves.toBe(false);
  });

  it('refuses an empty secret', async () => {
    await expect(hashClientSecret('')).rejects.toThrow(TypeError);
  });

  it.each([
    'plain',
    'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$16384$8$1$AA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'bcrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  ])('rejects the malformed stored form %s', (value) => {
    expect(parseStoredSecret(value)).toBeUndefined();
  });
});
