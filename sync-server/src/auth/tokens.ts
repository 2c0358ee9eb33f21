import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { VerifiedTokenCache } from './verified-cache';

/** The one algorithm tokens are signed and accepted with. */
export const JWT_ALG = 'HS256';
export const ACCOUNT_AUDIENCE = 'creator-hub:account';
export const DEVICE_AUDIENCE = 'creator-hub:device';
/** Anything longer is rejected before any parsing or signature work. */
export const MAX_TOKEN_LENGTH = 2048;

const AccountClaims = z.object({ sub: z.uuid(), sid: z.uuid() });
const DeviceClaims = z.object({ sub: z.uuid(), tid: z.uuid(), uid: z.uuid() });

export interface TokenService {
  signAccess(userId: string, sessionId: string): Promise<{ token: string; expiresAt: Date }>;
  signDevice(deviceId: string, tenantId: string, userId: string): Promise<string>;
  verifyAccess(token: string): Promise<{ userId: string; sessionId: string } | undefined>;
  verifyDevice(
    token: string,
  ): Promise<{ deviceId: string; tenantId: string; userId: string } | undefined>;
}

export function createTokenService(jwt: Config['jwt'], clock: Clock): TokenService {
  // Imported once: handing jose raw bytes would import the key again on every sign and verify.
  const key = crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(jwt.secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  const seconds = () => Math.floor(clock.now().getTime() / 1000);

  const sign = async (
    claims: Record<string, string>,
    subject: string,
    audience: string,
    ttl: number,
  ) => {
    const iat = seconds();
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: JWT_ALG, typ: 'JWT' })
      .setIssuer(jwt.issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .sign(await key);
    return { token, expiresAt: new Date((iat + ttl) * 1000) };
  };

  const verified = new VerifiedTokenCache<JWTPayload>(10_000, 60_000);
  const verify = async (token: string, audience: string) => {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
    const now = clock.now().getTime();
    const cacheKey = `${audience} ${token}`;
    const cached = verified.get(cacheKey, now);
    if (cached) return cached;
    try {
      const { payload } = await jwtVerify(token, await key, {
        algorithms: [JWT_ALG],
        issuer: jwt.issuer,
        audience,
        requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub'],
        currentDate: clock.now(),
        clockTolerance: 5,
      });
      if (payload.exp !== undefined) verified.set(cacheKey, payload, payload.exp * 1000, now);
      return payload;
    } catch {
      return undefined;
    }
  };

  return {
    // The reported expiry is the token's own exp claim, not a second reading of the clock.
    signAccess: (userId, sessionId) =>
      sign({ sid: sessionId }, userId, ACCOUNT_AUDIENCE, jwt.accessTtlSeconds),
    signDevice: async (deviceId, tenantId, userId) =>
      (
        await sign(
          { tid: tenantId, uid: userId },
          deviceId,
          DEVICE_AUDIENCE,
          jwt.deviceTtlDays * 86_400,
        )
      ).token,
    verifyAccess: async (token) => {
      const claims = AccountClaims.safeParse(await verify(token, ACCOUNT_AUDIENCE));
      return claims.success ? { userId: claims.data.sub, sessionId: claims.data.sid } : undefined;
    },
    verifyDevice: async (token) => {
      const claims = DeviceClaims.safeParse(await verify(token, DEVICE_AUDIENCE));
      if (!claims.success) return undefined;
      return { deviceId: claims.data.sub, tenantId: claims.data.tid, userId: claims.data.uid };
    },
  };
}

/** Opaque refresh tokens: 256 random bits; only their SHA-256 is stored. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
