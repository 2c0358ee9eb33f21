import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TenantTx } from '../db/db';
import type { AppDeps } from '../http/deps';
import { AppError, notFound } from '../http/errors';
import { accountRoute, type RouteDef, tenantRoute } from '../http/route';
import {
  AddMemberBody,
  MemberList,
  MemberParams,
  RoleBody,
  TenantBody,
  TenantList,
  TenantParams,
  TenantSchema,
} from './schemas';

const NameRow = z.object({ name: z.string() });
const MemberRow = z.object({
  user_id: z.string(),
  email: z.string(),
  role: z.enum(['owner', 'editor', 'viewer']),
  created_at: z.date(),
});
const IdRow = z.object({ id: z.string() });
const UserIdRow = z.object({ user_id: z.string() });

const lastOwner = () =>
  new AppError(409, 'last_owner', 'A tenant needs at least one owner; promote someone else first.');

/**
 * Fails when `userId` is the only owner of the tenant in context. The owner rows stay locked until
 * the transaction ends, so two owners demoting or removing each other at once are serialised and
 * the second sees the first's change instead of both passing and leaving no owner.
 */
async function assertNotLastOwner(tx: TenantTx, userId: string): Promise<void> {
  const owners = await tx.rows(
    UserIdRow,
    "SELECT user_id FROM memberships WHERE role = 'owner' FOR UPDATE",
  );
  if (owners.length <= 1 && owners.some((o) => o.user_id === userId)) throw lastOwner();
}

export function tenantRoutes(deps: AppDeps): RouteDef[] {
  const { db } = deps;
  const tag = 'tenants';
  // Tenant-scoped queries carry no tenant filter of their own: row level security supplies it.
  return [
    accountRoute({
      method: 'get',
      path: '/v1/tenants',
      summary: 'Tenants I belong to',
      tag,
      response: TenantList,
      run: async ({ account }) => ({ tenants: await db.global.listTenantsOfUser(account.userId) }),
    }),
    accountRoute({
      method: 'post',
      path: '/v1/tenants',
      summary: 'Create a tenant; I become its owner',
      tag,
      status: 201,
      body: TenantBody,
      response: TenantSchema,
      run: async ({ account, body }) => {
        const tenantId = randomUUID();
        await db.global.createTenant({
          userId: account.userId,
          tenantId,
          membershipId: randomUUID(),
          name: body.name,
        });
        return { id: tenantId, name: body.name, role: 'owner' as const };
      },
    }),
    tenantRoute({
      method: 'get',
      path: '/v1/tenants/{tenantId}',
      summary: 'One tenant',
      tag,
      minRole: 'viewer',
      params: TenantParams,
      response: TenantSchema,
      run: async ({ tx, tenant }) => {
        const row = await tx.row(NameRow, 'SELECT name FROM tenants WHERE id = $1', [tenant.id]);
        if (!row) throw notFound();
        return { id: tenant.id, name: row.name, role: tenant.role };
      },
    }),
    tenantRoute({
      method: 'patch',
      path: '/v1/tenants/{tenantId}',
      summary: 'Rename a tenant',
      tag,
      minRole: 'owner',
      params: TenantParams,
      body: TenantBody,
      response: TenantSchema,
      run: async ({ tx, tenant, body }) => {
        await tx.exec('UPDATE tenants SET name = $2 WHERE id = $1', [tenant.id, body.name]);
        return { id: tenant.id, name: body.name, role: tenant.role };
      },
    }),
    tenantRoute({
      method: 'get',
      path: '/v1/tenants/{tenantId}/members',
      summary: 'Members of a tenant',
      tag,
      minRole: 'viewer',
      params: TenantParams,
      response: MemberList,
      run: async ({ tx }) => ({
        members: (
          await tx.rows(MemberRow, 'SELECT * FROM member_directory ORDER BY created_at, id')
        ).map((m) => ({
          userId: m.user_id,
          email: m.email,
          role: m.role,
          createdAt: m.created_at.toISOString(),
        })),
      }),
    }),
    tenantRoute({
      method: 'post',
      path: '/v1/tenants/{tenantId}/members',
      summary: 'Add an existing account as a member',
      tag,
      minRole: 'owner',
      status: 201,
      params: TenantParams,
      body: AddMemberBody,
      run: async ({ tx, body }) => {
        const user = await tx.row(IdRow, 'SELECT id FROM users WHERE email = $1', [body.email]);
        if (!user) throw new AppError(404, 'no_such_account', 'No account uses this e-mail.');
        const added = await tx.exec(
          `INSERT INTO memberships (tenant_id, id, user_id, role) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, user_id) DO NOTHING`,
          [tx.tenantId, randomUUID(), user.id, body.role],
        );
        if (added === 0)
          throw new AppError(409, 'already_member', 'This account is already a member.');
        return undefined;
      },
    }),
    tenantRoute({
      method: 'patch',
      path: '/v1/tenants/{tenantId}/members/{userId}',
      summary: "Change a member's role",
      tag,
      minRole: 'owner',
      status: 204,
      params: MemberParams,
      body: RoleBody,
      run: async ({ tx, params, body }) => {
        if (body.role !== 'owner') await assertNotLastOwner(tx, params.userId);
        const n = await tx.exec('UPDATE memberships SET role = $2 WHERE user_id = $1', [
          params.userId,
          body.role,
        ]);
        if (n === 0) throw notFound();
        return undefined;
      },
    }),
    tenantRoute({
      method: 'delete',
      path: '/v1/tenants/{tenantId}/members/{userId}',
      summary: 'Remove a member',
      tag,
      minRole: 'owner',
      status: 204,
      params: MemberParams,
      run: async ({ tx, params }) => {
        await assertNotLastOwner(tx, params.userId);
        const n = await tx.exec('DELETE FROM memberships WHERE user_id = $1', [params.userId]);
        if (n === 0) throw notFound();
        return undefined;
      },
    }),
  ];
}
