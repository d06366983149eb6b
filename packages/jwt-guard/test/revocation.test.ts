import { checkRevocation } from '../src/revocation.js';
import type { RevocationCheck } from '../src/options.js';

const CLAIMS = { iss: 'https://issuer.example.com', sub: 'user-1' };

describe('checkRevocation', () => {
  it('resolves when no check is configured', async () => {
    await expect(checkRevocation(undefined, CLAIMS)).resolves.toBeUndefined();
  });

  it.each([
    ['returns false', () => false],
    ['resolves false', async () => false],
  ])('resolves when the check %s', async (_, isRevoked) => {
    await expect(checkRevocation(isRevoked, CLAIMS)).resolves.toBeUndefined();
  });

  it.each<[string, RevocationCheck, number, string]>([
    ['returns true', () => true, 401, 'invalid_token'],
    ['resolves true', async () => true, 401, 'invalid_token'],
    [
      'throws',
      () => {
        throw new Error('down');
      },
      503,
      'temporarily_unavailable',
    ],
    [
      'rejects',
      () => Promise.reject(new Error('down')),
      503,
      'temporarily_unavailable',
    ],
    ['returns undefined', () => undefined as never, 500, 'server_error'],
    ['resolves a string', async () => 'yes' as never, 500, 'server_error'],
  ])('fails when the check %s', async (_, isRevoked, status, code) => {
    await expect(checkRevocation(isRevoked, CLAIMS)).rejects.toMatchObject({
      status,
      code,
    });
  });

  it('passes the claims to the check', async () => {
    const isRevoked = jest.fn().mockReturnValue(false);

    await checkRevocation(isRevoked, CLAIMS);

    expect(isRevoked).toHaveBeenCalledWith(CLAIMS);
  });
});
