/**
 * The part of oidc-provider's API that this package uses. oidc-provider
 * ships no type declarations; this narrow surface keeps the package free of
 * an extra dependency on @types/oidc-provider.
 */

declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** oidc-provider's Koa context, kept opaque apart from what is used. */
  export interface KoaContextWithOIDC {
    body: unknown;
    status: number;
    set(field: string, value: string): void;
    oidc: {
      account?: { accountId: string };
      client?: { clientId: string; clientName?: string };
      result?: { consent?: { grantId?: string } };
      session?: { grantIdFor(clientId: string): string | undefined };
      provider: Provider;
    };
  }

  /** The account object that findAccount resolves to. */
  export interface Account {
    accountId: string;
    claims(
      use: string,
      scope: string,
    ): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  /** A consent grant: the scopes and claims a user allowed a client. */
  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    jti: string;
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
    static find(id: string): Promise<Grant | undefined>;
  }

  /** A pending interaction (login or consent) of an authorization request. */
  export interface Interaction {
    uid: string;
    grantId?: string;
    params: Record<string, unknown>;
    prompt: {
      name: string;
      reasons: string[];
      details: {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
    };
    session?: { accountId?: string; uid?: string };
  }

  /** The outcome of an interaction, handed back to the provider. */
  export type InteractionResults = Record<string, unknown>;

  /** The configuration object, typed loosely: defaults.js documents it. */
  export type Configuration = Record<string, unknown>;

  /** The OpenID Provider: a Koa application. */
  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: typeof Grant;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(
      req: IncomingMessage,
      res: ServerResponse,
    ): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }
}
