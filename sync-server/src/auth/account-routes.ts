import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../http/deps';
import { AppError, notFound, unauthorized } from '../http/errors';
import { accountRoute, publicRoute, type RouteDef } from '../http/route';
import {
  ChangePasswordBody,
  LoginBody,
  MeResponse,
  RefreshBody,
  SessionList,
  SessionParams,
  SignupBody,
  SignupResponse,
  TokensSchema,
} from './schemas';
import type { AuthServices } from './services';
import { hashRefreshToken, newRefreshToken } from './tokens';

const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'The e-mail or password is incorrect.');

export function accountRoutes(deps: AppDeps, auth: AuthServices): RouteDef[] {
  const { db, clock } = deps;
  const tag = 'auth';
  return [
    publicRoute({
      method: 'post',
      path: '/v1/auth/signup',
      summary: 'Create an account and its first tenant',
      tag,
      status: 201,
      body: SignupBody,
      response: SignupResponse,
      run: async ({ body, req }) => {
        await auth.throttle.takeIp(req.ip);
        const ids = { userId: randomUUID(), tenantId: randomUUID(), membershipId: randomUUID() };
        const passwordHash = await auth.passwords.hash(body.password);
        const outcome = await db.global.createAccount({
          ...ids,
          email: body.email,
          passwordHash,
          tenantName: body.tenantName,
        });
        if (outcome === 'email_taken') {
          throw new AppError(409, 'email_taken', 'An account with this e-mail already exists.');
        }
        return {
          user: { id: ids.userId, email: body.email },
          tenant: { id: ids.tenantId, name: body.tenantName, role: 'owner' as const },
          tokens: await auth.openSession(ids.userId, req.userAgent),
        };
      },
    }),
    publicRoute({
      method: 'post',
      path: '/v1/auth/login',
      summary: 'Log in with e-mail and password',
      tag,
      body: LoginBody,
      response: TokensSchema,
      run: async ({ body, req }) => {
        await auth.throttle.take(req.ip, `login:${body.email}`);
        const user = await db.global.findUserByEmail(body.email);
        const ok = await auth.passwords.verify(user?.password_hash, body.password);
        if (!user || !ok) throw invalidCredentials();
        await auth.throttle.clearAccount(`login:${body.email}`);
        if (auth.passwords.isWeaker(user.password_hash)) {
          await db.global.setPasswordHash(user.id, await auth.passwords.hash(body.password), false);
        }
        return auth.openSession(user.id, req.userAgent);
      },
    }),
    publicRoute({
      method: 'post',
      path: '/v1/auth/refresh',
      summary: 'Trade a refresh token for a new token pair (the old one stops working)',
      tag,
      body: RefreshBody,
      response: TokensSchema,
      run: async ({ body, req }) => {
        const next = newRefreshToken();
        const result = await db.global.rotateRefresh(
          hashRefreshToken(body.refreshToken),
          hashRefreshToken(next),
          clock.now(),
        );
        if (result.kind === 'reused') {
          req.log.warn({ code: 'refresh_reuse' }, 'refresh token reused; session revoked');
          throw new AppError(
            401,
            'refresh_reused',
            'This refresh token was already used; the session is revoked.',
          );
        }
        if (result.kind === 'invalid') throw unauthorized();
        return auth.tokensFor(result.userId, result.sessionId, next);
      },
    }),
    accountRoute({
      method: 'post',
      path: '/v1/auth/logout',
      summary: 'End the current session',
      tag,
      status: 204,
      run: async ({ account }) => {
        await db.global.revokeSession(account.userId, account.sessionId, 'logout');
        return undefined;
      },
    }),
    accountRoute({
      method: 'post',
      path: '/v1/auth/password',
      summary: 'Change the password; every other session is revoked',
      tag,
      status: 204,
      body: ChangePasswordBody,
      run: async ({ account, body, req }) => {
        await auth.throttle.take(req.ip, `password:${account.userId}`);
        const user = await db.global.findUser(account.userId);
        if (!user || !(await auth.passwords.verify(user.password_hash, body.currentPassword))) {
          throw invalidCredentials();
        }
        await db.global.setPasswordHash(user.id, await auth.passwords.hash(body.newPassword), true);
        await db.global.revokeOtherSessions(user.id, account.sessionId);
        await auth.throttle.clearAccount(`password:${account.userId}`);
        return undefined;
      },
    }),
    accountRoute({
      method: 'get',
      path: '/v1/auth/sessions',
      summary: 'List my active sessions',
      tag,
      response: SessionList,
      run: async ({ account }) => ({
        sessions: (await db.global.listSessions(account.userId, clock.now())).map((s) => ({
          id: s.id,
          userAgent: s.user_agent,
          createdAt: s.created_at.toISOString(),
          lastUsedAt: s.last_used_at.toISOString(),
          expiresAt: s.expires_at.toISOString(),
          current: s.id === account.sessionId,
        })),
      }),
    }),
    accountRoute({
      method: 'delete',
      path: '/v1/auth/sessions/{sessionId}',
      summary: 'Revoke one of my sessions',
      tag,
      status: 204,
      params: SessionParams,
      run: async ({ account, params }) => {
        if (!(await db.global.revokeSession(account.userId, params.sessionId, 'revoked')))
          throw notFound();
        return undefined;
      },
    }),
    accountRoute({
      method: 'get',
      path: '/v1/me',
      summary: 'My account and the tenants I belong to',
      tag,
      response: MeResponse,
      run: async ({ account }) => {
        const user = await db.global.findUser(account.userId);
        if (!user) throw unauthorized();
        return {
          user: { id: user.id, email: user.email },
          tenants: await db.global.listTenantsOfUser(user.id),
        };
      },
    }),
  ];
}
