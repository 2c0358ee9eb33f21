import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TokenService } from '../auth/tokens';
import type { AppDeps } from '../http/deps';
import { forbidden, notFound } from '../http/errors';
import { deviceRoute, type RouteDef, roleAtLeast, tenantRoute } from '../http/route';
import {
  DeviceBody,
  DeviceList,
  DeviceParams,
  DeviceSelf,
  RegisteredDevice,
  TenantParams,
} from './schemas';

const DeviceRow = z.object({
  id: z.string(),
  user_id: z.string(),
  name: z.string(),
  created_at: z.date(),
  last_seen_at: z.date().nullable(),
  revoked_at: z.date().nullable(),
});
type DeviceRow = z.infer<typeof DeviceRow>;

const DEVICE_COLS = 'id, user_id, name, created_at, last_seen_at, revoked_at';

const toDevice = (d: DeviceRow) => ({
  id: d.id,
  userId: d.user_id,
  name: d.name,
  createdAt: d.created_at.toISOString(),
  lastSeenAt: d.last_seen_at?.toISOString() ?? null,
  revoked: d.revoked_at !== null,
});

export function deviceRoutes(deps: AppDeps, tokens: TokenService): RouteDef[] {
  const tag = 'devices';
  const { clock } = deps;
  return [
    tenantRoute({
      method: 'get',
      path: '/v1/tenants/{tenantId}/devices',
      summary: 'Devices registered in a tenant',
      tag,
      minRole: 'viewer',
      params: TenantParams,
      response: DeviceList,
      run: async ({ tx }) => ({
        devices: (
          await tx.rows(DeviceRow, `SELECT ${DEVICE_COLS} FROM devices ORDER BY created_at, id`)
        ).map(toDevice),
      }),
    }),
    tenantRoute({
      method: 'post',
      path: '/v1/tenants/{tenantId}/devices',
      summary: 'Register a desktop device; returns its device token (shown once)',
      tag,
      minRole: 'editor',
      status: 201,
      params: TenantParams,
      body: DeviceBody,
      response: RegisteredDevice,
      run: async ({ tx, account, body }) => {
        const row = await tx.row(
          DeviceRow,
          `INSERT INTO devices (tenant_id, id, user_id, name) VALUES ($1, $2, $3, $4) RETURNING ${DEVICE_COLS}`,
          [tx.tenantId, randomUUID(), account.userId, body.name],
        );
        if (!row) throw new Error('device insert returned no row');
        return {
          device: toDevice(row),
          deviceToken: await tokens.signDevice(row.id, tx.tenantId, account.userId),
        };
      },
    }),
    tenantRoute({
      method: 'delete',
      path: '/v1/tenants/{tenantId}/devices/{deviceId}',
      summary: 'Revoke a device (editors: their own; owners: any)',
      tag,
      minRole: 'editor',
      status: 204,
      params: DeviceParams,
      run: async ({ tx, account, tenant, params }) => {
        const row = await tx.row(DeviceRow, `SELECT ${DEVICE_COLS} FROM devices WHERE id = $1`, [
          params.deviceId,
        ]);
        if (!row) throw notFound();
        if (row.user_id !== account.userId && !roleAtLeast(tenant.role, 'owner')) throw forbidden();
        await tx.exec('UPDATE devices SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1', [
          params.deviceId,
          clock.now(),
        ]);
        return undefined;
      },
    }),
    deviceRoute({
      method: 'get',
      path: '/v1/device',
      summary: 'The calling device (device token)',
      tag,
      response: DeviceSelf,
      run: async ({ tx, device }) => {
        const row = await tx.row(
          DeviceRow,
          `UPDATE devices SET last_seen_at = $2 WHERE id = $1 RETURNING ${DEVICE_COLS}`,
          [device.deviceId, clock.now()],
        );
        if (!row) throw notFound();
        return { device: toDevice(row), tenantId: device.tenantId };
      },
    }),
  ];
}
