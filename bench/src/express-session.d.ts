// express-session's own types augment Express's Request with a `session`
// of another shape than session-bridge's; the benchmark compares the two
// in one program, so it declares the little of express-session it uses.
declare module 'express-session' {
  import type { RequestHandler } from 'express';

  export class Store {}
  export interface SessionData {
    [key: string]: unknown;
  }
  export default function session(
    options: Record<string, unknown>,
  ): RequestHandler;
}
