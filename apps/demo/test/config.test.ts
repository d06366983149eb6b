import { readConfig } from '../src/config.js';

describe('readConfig', () => {
  it('defaults to ports 3000 and 3001 on loopback, Google off', () => {
    expect(readConfig({})).toEqual({
      host: '127.0.0.1',
      port: 3000,
      idpPort: 3001,
      publicUrl: undefined,
      google: undefined,
      logLevel: 'info',
    });
  });

  it('enables Google only when both id and secret are set', () => {
    expect(readConfig({ GOOGLE_CLIENT_ID: 'id' }).google).toBeUndefined();
    expect(
      readConfig({ GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 's' }).google,
    ).toEqual({ clientId: 'id', clientSecret: 's' });
  });

  it.each(['abc', '-1', '70000', '1.5'])(
    'rejects PORT=%s naming the variable',
    (value) => {
      expect(() => readConfig({ PORT: value })).toThrow('PORT');
    },
  );
});
