/**
 * The demo's configuration, read from the environment. This is the only
 * place in Portcullis that reads environment variables; the packages take
 * everything as options.
 */

const DEFAULT_PORT = 3000;
const DEFAULT_IDP_PORT = 3001;

/** What the demo needs to start. */
export interface DemoConfig {
  host: string;
  port: number;
  idpPort: number;
  /** The public URL; defaults to http://127.0.0.1:<port> once bound. */
  publicUrl: string | undefined;
  google: { clientId: string; clientSecret: string } | undefined;
  logLevel: string;
}

function portFrom(value: string | undefined, fallback: number, name: string) {
  if (value === undefined || value === '') return fallback;

  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`demo: ${name} must be a port number, got "${value}"`);
  }
  return port;
}

/** Reads the configuration from `env`. */
export function readConfig(env: NodeJS.ProcessEnv): DemoConfig {
  const googleId = env.GOOGLE_CLIENT_ID;
  const googleSecret = env.GOOGLE_CLIENT_SECRET;
  return {
    host: '127.0.0.1',
    port: portFrom(env.PORT, DEFAULT_PORT, 'PORT'),
    idpPort: portFrom(env.DEV_IDP_PORT, DEFAULT_IDP_PORT, 'DEV_IDP_PORT'),
    publicUrl: env.PUBLIC_URL || undefined,
    google:
      googleId && googleSecret
        ? { clientId: googleId, clientSecret: googleSecret }
        : undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
