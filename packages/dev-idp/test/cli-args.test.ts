import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  parseCliArgs,
} from '../src/cli-args.js';

const CALLBACK = 'http://127.0.0.1:3000/callback';

describe('parseCliArgs', () => {
  it('applies the demo client and port 0 by default', () => {
    expect(parseCliArgs(['--redirect-uri', CALLBACK])).toEqual({
      help: false,
      port: 0,
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      redirectUris: [CALLBACK],
      postLogoutRedirectUris: [],
    });
  });

  it('reads every flag, repeated URIs and the = form', () => {
    const args = parseCliArgs([
      '--port=4000',
      '--client-id',
      'app',
      '--client-secret',
      's3cret',
      '--redirect-uri',
      CALLBACK,
      `--redirect-uri=${CALLBACK}/2`,
      '--post-logout-redirect-uri',
      'http://127.0.0.1:3000/',
      '--backchannel-logout-uri',
      'http://127.0.0.1:3000/bcl',
    ]);

    expect(args).toMatchObject({
      port: 4000,
      clientId: 'app',
      clientSecret: 's3cret',
      redirectUris: [CALLBACK, `${CALLBACK}/2`],
      postLogoutRedirectUris: ['http://127.0.0.1:3000/'],
      backchannelLogoutUri: 'http://127.0.0.1:3000/bcl',
    });
  });

  it('reads --users-json as parsed JSON', () => {
    const users = [{ sub: 's', email: 'e@x.test', claims: { hd: 'x.test' } }];
    const args = parseCliArgs([
      '--redirect-uri',
      CALLBACK,
      '--users-json',
      JSON.stringify(users),
    ]);

    expect(args.users).toEqual(users);
  });

  it('accepts --help without a redirect URI', () => {
    expect(parseCliArgs(['--help']).help).toBe(true);
  });

  const uri = ['--redirect-uri', CALLBACK];

  it.each<[string, string[], RegExp]>([
    ['no redirect URI', [], /at least one --redirect-uri is required/],
    ['a port that is not a number', ['--port', 'x', ...uri], /--port must/],
    ['a negative port', ['--port=-1', ...uri], /--port must/],
    ['a port too large', ['--port', '70000', ...uri], /--port must/],
    ['an unknown flag', ['--issuer', 'x', ...uri], /Unknown option/],
    ['a positional argument', [CALLBACK], /Unexpected argument/],
    ['a flag without its value', ['--client-id'], /argument missing/],
    [
      '--users-json that is not JSON',
      ['--users-json', '[{', ...uri],
      /--users-json must be valid JSON/,
    ],
  ])('rejects %s', (_name, argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
