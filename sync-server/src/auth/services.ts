import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../http/deps';
import { createLoginThrottle, type LoginThrottle } from './login-throttle';
import { createPasswordHasher, type PasswordHasher } from './passwords';
import { createTokenService, hashRefreshToken, newRefreshToken, type TokenService } from './tokens';

export interface AuthServices {
  tokens: TokenService;
  passwords: PasswordHasher;
  throttle: LoginThrottle;
  /** Opens a session (a refresh-token family) and returns its first token pair. */
  openSession(userId: string, userAgent: string): Promise<Tokens>;
  /** Signs an access token for a session whose refresh token was just rotated. */
  tokensFor(userId: string, sessionId: string, refreshToken: string): Promise<Tokens>;
}

export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  tokenType: 'Bearer';
}

export function createAuthServices(deps: AppDeps): AuthServices {
  const { config, clock, db } = deps;
  const tokens = createTokenService(config.jwt, clock);
  const tokensFor = async (
    userId: string,
    sessionId: string,
    refreshToken: string,
  ): Promise<Tokens> => {
    const access = await tokens.signAccess(userId, sessionId);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken,
      tokenType: 'Bearer',
    };
  };
  return {
    tokens,
    passwords: createPasswordHasher(config.argon2, config.hashing),
    throttle: createLoginThrottle(config.loginThrottle, (o) => db.attemptCounter(o)),
    tokensFor,
    openSession: async (userId, userAgent) => {
      const sessionId = randomUUID();
      const refreshToken = newRefreshToken();
      const expiresAt = new Date(clock.now().getTime() + config.jwt.refreshTtlDays * 86_400_000);
      await db.global.createSession({
        sessionId,
        userId,
        userAgent: userAgent.slice(0, 200),
        expiresAt,
        refreshHash: hashRefreshToken(refreshToken),
      });
      return tokensFor(userId, sessionId, refreshToken);
    },
  };
}
