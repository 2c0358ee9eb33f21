import { z } from '../http/zod';
import { DisplayName } from '../tenants/schemas';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords';

const email = z
  .string()
  .trim()
  .max(254)
  .toLowerCase()
  .pipe(z.email())
  .openapi({ example: 'creator@example.com' });

const password = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
  .openapi({ example: 'correct horse battery staple' });

export const SignupBody = z
  .strictObject({ email, password, tenantName: DisplayName })
  .openapi('SignupRequest', {
    example: {
      email: 'creator@example.com',
      password: 'correct horse battery staple',
      tenantName: 'My studio',
    },
  });

export const LoginBody = z
  .strictObject({ email, password: z.string().min(1).max(PASSWORD_MAX) })
  .openapi('LoginRequest');

export const RefreshBody = z
  .strictObject({ refreshToken: z.string().min(1).max(128) })
  .openapi('RefreshRequest', { example: { refreshToken: 'x'.repeat(43) } });

export const ChangePasswordBody = z
  .strictObject({ currentPassword: z.string().min(1).max(PASSWORD_MAX), newPassword: password })
  .openapi('ChangePasswordRequest', {
    example: {
      currentPassword: 'correct horse battery staple',
      newPassword: 'a new long passphrase',
    },
  });

export const TokensSchema = z
  .object({
    accessToken: z.string(),
    accessTokenExpiresAt: z.iso.datetime(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
  })
  .openapi('Tokens');

export const UserSchema = z.object({ id: z.uuid(), email: z.string() }).openapi('User');

export const TenantSummary = z
  .object({ id: z.uuid(), name: z.string(), role: z.enum(['owner', 'editor', 'viewer']) })
  .openapi('TenantSummary');

export const SignupResponse = z
  .object({ user: UserSchema, tenant: TenantSummary, tokens: TokensSchema })
  .openapi('SignupResponse');

export const MeResponse = z
  .object({ user: UserSchema, tenants: z.array(TenantSummary) })
  .openapi('Me');

export const SessionSchema = z
  .object({
    id: z.uuid(),
    userAgent: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    current: z.boolean(),
  })
  .openapi('Session');

export const SessionList = z.object({ sessions: z.array(SessionSchema) }).openapi('SessionList');

export const SessionParams = z.object({ sessionId: z.uuid() });
