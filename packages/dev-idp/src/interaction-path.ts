/**
 * Where the login interaction of an authorization request is served: the
 * provider redirects there and the interaction routes are mounted there.
 */

/** Mount path of the interaction routes. */
export const INTERACTION_MOUNT_PATH = '/interaction';

/** The path of one interaction's login page. */
export function interactionPath(uid: string): string {
  return `${INTERACTION_MOUNT_PATH}/${encodeURIComponent(uid)}`;
}
