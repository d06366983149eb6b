// The private Redis and PostgreSQL that `bash scripts/services.sh start`
// brings up. A test that needs one fails with instructions when its URL is
// missing: a store test never skips.

import { randomBytes } from 'node:crypto';

function requireUrl(name: string): string {
  const url = process.env[name];
  if (url === undefined || url === '') {
    throw new Error(
      `${name} is not set: run \`eval "$(bash scripts/services.sh start)"\` ` +
        'from the repository root (or use scripts/test.sh)',
    );
  }
  return url;
}

export function redisUrl(): string {
  return requireUrl('PORTCULLIS_REDIS_URL');
}

export function pgUrl(): string {
  return requireUrl('PORTCULLIS_PG_URL');
}

/** A name unique to this run, for key prefixes and schemas. */
export function uniqueName(label: string): string {
  return `t_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
