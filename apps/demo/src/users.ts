/**
 * The demo's user directory, in memory. Accounts are keyed by
 * (issuer, subject), never by email.
 */

import { randomUUID } from 'node:crypto';

import type { FederatedProfile } from '@portcullis/federated-login';

/** An account of the demo application. */
export interface DemoUser {
  id: string;
  issuer: string;
  subject: string;
  name: string;
  email: string | undefined;
  emailVerified: boolean;
}

/** Finds the account for a profile, creating it on first login. */
export function createUserDirectory() {
  const users = new Map<string, DemoUser>();

  return {
    /** The account of a provider identity, if it ever signed in. */
    byIdentity(issuer: string, subject: string): DemoUser | undefined {
      return users.get(JSON.stringify([issuer, subject]));
    },

    resolve(profile: FederatedProfile): DemoUser {
      const key = JSON.stringify([profile.issuer, profile.subject]);
      const existing = users.get(key);
      const user: DemoUser = {
        id: existing?.id ?? randomUUID(),
        issuer: profile.issuer,
        subject: profile.subject,
        name: profile.name ?? profile.email ?? profile.subject,
        email: profile.email,
        emailVerified: profile.emailVerified,
      };
      users.set(key, user);
      return user;
    },
  };
}
