import { z } from '../http/zod';

export const RoleSchema = z.enum(['owner', 'editor', 'viewer']).openapi('Role');

export const TenantParams = z.object({ tenantId: z.uuid() });
export const MemberParams = z.object({ tenantId: z.uuid(), userId: z.uuid() });
export const DeviceParams = z.object({ tenantId: z.uuid(), deviceId: z.uuid() });

/**
 * A tenant or device name. PostgreSQL text cannot hold U+0000: refused here with a 400 rather than
 * failing in the INSERT with a 500.
 */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character');

export const TenantBody = z
  .strictObject({ name: DisplayName })
  .openapi('TenantRequest', { example: { name: 'My studio' } });

export const TenantSchema = z
  .object({ id: z.uuid(), name: z.string(), role: RoleSchema })
  .openapi('Tenant');

export const TenantList = z.object({ tenants: z.array(TenantSchema) }).openapi('TenantList');

export const MemberSchema = z
  .object({ userId: z.uuid(), email: z.string(), role: RoleSchema, createdAt: z.iso.datetime() })
  .openapi('Member');

export const MemberList = z.object({ members: z.array(MemberSchema) }).openapi('MemberList');

export const AddMemberBody = z
  .strictObject({ email: z.string().trim().toLowerCase().pipe(z.email()), role: RoleSchema })
  .openapi('AddMemberRequest', { example: { email: 'editor@example.com', role: 'editor' } });

export const RoleBody = z.strictObject({ role: RoleSchema }).openapi('ChangeRoleRequest', {
  example: { role: 'viewer' },
});

export const DeviceSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    name: z.string(),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime().nullable(),
    revoked: z.boolean(),
  })
  .openapi('Device');

export const DeviceList = z.object({ devices: z.array(DeviceSchema) }).openapi('DeviceList');

export const DeviceBody = z.strictObject({ name: DisplayName }).openapi('RegisterDeviceRequest', {
  example: { name: 'Studio laptop' },
});

export const RegisteredDevice = z
  .object({ device: DeviceSchema, deviceToken: z.string() })
  .openapi('RegisteredDevice');

export const DeviceSelf = z
  .object({ device: DeviceSchema, tenantId: z.uuid() })
  .openapi('DeviceSelf');
