import type { TenantTx } from '../db/db';
import type { Logger } from '../logger';
import type { z } from './zod';

export type Role = 'owner' | 'editor' | 'viewer';
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

export interface RequestInfo {
  ip: string;
  userAgent: string;
  log: Logger;
}

export interface Account {
  userId: string;
  sessionId: string;
}

export interface Device {
  deviceId: string;
  tenantId: string;
  userId: string;
}

interface Spec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: HttpMethod;
  /** OpenAPI style: /v1/tenants/{tenantId} */
  path: string;
  summary: string;
  tag: string;
  status?: 200 | 201 | 204;
  params?: P;
  /** Query parameters (a strict object of strings, coerced where numeric); documented as parameters. */
  query?: Q;
  body?: B;
  response?: R;
}

interface Input<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.infer<P>;
  query: z.infer<Q>;
  body: z.infer<B>;
  req: RequestInfo;
}

type Out<R extends z.ZodType> = Promise<z.input<R> | undefined>;

export interface TenantContext {
  id: string;
  role: Role;
}

type ErasedInput = Input<z.ZodType, z.ZodType, z.ZodType>;

/** A route, with its inputs already validated and its caller authenticated. */
export type RouteDef = Spec<z.ZodType, z.ZodType, z.ZodType, z.ZodType> &
  (
    | { auth: 'none'; run(input: ErasedInput): Out<z.ZodType> }
    | {
        auth: 'account';
        run(input: ErasedInput & { account: Account }): Out<z.ZodType>;
      }
    | {
        auth: 'tenant';
        minRole: Role;
        run(
          input: ErasedInput & {
            account: Account;
            tenant: TenantContext;
            tx: TenantTx;
          },
        ): Out<z.ZodType>;
      }
    | {
        auth: 'device';
        run(input: ErasedInput & { device: Device; tx: TenantTx }): Out<z.ZodType>;
      }
  );

// The helpers below capture each route's own schema types for its handler, then erase them for the
// route table; the app parses params, query and body with the same schemas before calling run.

export function publicRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
>(spec: Spec<P, Q, B, R> & { run(input: Input<P, Q, B>): Out<R> }): RouteDef {
  return { ...spec, auth: 'none', run: (i) => spec.run(i as Input<P, Q, B>) };
}

export function accountRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
>(
  spec: Spec<P, Q, B, R> & { run(input: Input<P, Q, B> & { account: Account }): Out<R> },
): RouteDef {
  return {
    ...spec,
    auth: 'account',
    run: (i) => spec.run(i as Input<P, Q, B> & { account: Account }),
  };
}

type TenantInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = Input<P, Q, B> & {
  account: Account;
  tenant: TenantContext;
  tx: TenantTx;
};

export function tenantRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
>(spec: Spec<P, Q, B, R> & { minRole: Role; run(input: TenantInput<P, Q, B>): Out<R> }): RouteDef {
  if (!spec.path.startsWith('/v1/tenants/{tenantId}')) {
    throw new Error(`tenant route ${spec.path} must live under /v1/tenants/{tenantId}`);
  }
  return { ...spec, auth: 'tenant', run: (i) => spec.run(i as TenantInput<P, Q, B>) };
}

export function deviceRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
>(
  spec: Spec<P, Q, B, R> & {
    run(input: Input<P, Q, B> & { device: Device; tx: TenantTx }): Out<R>;
  },
): RouteDef {
  return {
    ...spec,
    auth: 'device',
    run: (i) => spec.run(i as Input<P, Q, B> & { device: Device; tx: TenantTx }),
  };
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };
export const roleAtLeast = (role: Role, min: Role) => RANK[role] >= RANK[min];
