import type { Pool } from 'pg';
import { z } from 'zod';
import { inTransaction, type Tx, txFor } from './tx';

/**
 * The one module that reaches global tables (users, tenants, sessions, refresh tokens) and the
 * cross-tenant "my memberships" read. Tenant data goes through withTenant instead.
 */
export interface GlobalStore {
  findUserByEmail(email: string): Promise<UserRow | undefined>;
  findUser(userId: string): Promise<UserRow | undefined>;
  createAccount(input: NewAccount): Promise<'created' | 'email_taken'>;
  setPasswordHash(userId: string, hash: string, changed: boolean): Promise<void>;
  createTenant(input: {
    userId: string;
    tenantId: string;
    membershipId: string;
    name: string;
  }): Promise<void>;
  listTenantsOfUser(userId: string): Promise<MyTenant[]>;
  createSession(input: NewSession): Promise<void>;
  rotateRefresh(oldHash: Buffer, newHash: Buffer, now: Date): Promise<RotateResult>;
  isSessionActive(sessionId: string, userId: string, now: Date): Promise<boolean>;
  listSessions(userId: string, now: Date): Promise<SessionRow[]>;
  revokeSession(userId: string, sessionId: string, reason: string): Promise<boolean>;
  revokeOtherSessions(userId: string, keepSessionId: string): Promise<number>;
}

const UserRow = z.object({ id: z.string(), email: z.string(), password_hash: z.string() });
export type UserRow = z.infer<typeof UserRow>;

const MyTenant = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['owner', 'editor', 'viewer']),
});
export type MyTenant = z.infer<typeof MyTenant>;

const SessionRow = z.object({
  id: z.string(),
  user_agent: z.string(),
  created_at: z.date(),
  last_used_at: z.date(),
  expires_at: z.date(),
});
export type SessionRow = z.infer<typeof SessionRow>;

export interface NewAccount {
  userId: string;
  email: string;
  passwordHash: string;
  tenantId: string;
  tenantName: string;
  membershipId: string;
}

export interface NewSession {
  sessionId: string;
  userId: string;
  userAgent: string;
  expiresAt: Date;
  refreshHash: Buffer;
}

export type RotateResult =
  | { kind: 'rotated'; sessionId: string; userId: string }
  | { kind: 'reused' }
  | { kind: 'invalid' };

const RefreshRow = z.object({
  session_id: z.string(),
  used_at: z.date().nullable(),
  user_id: z.string(),
  revoked_at: z.date().nullable(),
  expires_at: z.date(),
});

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

async function insertTenantWithOwner(
  tx: Tx,
  i: { userId: string; tenantId: string; membershipId: string; name: string },
) {
  await tx.exec("SELECT set_config('app.tenant_id', $1, true)", [i.tenantId]);
  await tx.exec('INSERT INTO tenants (id, name) VALUES ($1, $2)', [i.tenantId, i.name]);
  await tx.exec(
    "INSERT INTO memberships (tenant_id, id, user_id, role) VALUES ($1, $2, $3, 'owner')",
    [i.tenantId, i.membershipId, i.userId],
  );
}

export function createGlobalStore(pool: Pool): GlobalStore {
  // One statement on a pooled client, committed on its own: reads and single-statement writes.
  const autocommit = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await fn(txFor(client));
    } finally {
      client.release();
    }
  };
  // Several statements, or set_config(..., true), that must share one transaction.
  const transaction = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    return inTransaction(client, () => fn(txFor(client)));
  };
  const USER_COLS = 'SELECT id, email, password_hash FROM users';

  return {
    findUserByEmail: (email) =>
      autocommit((tx) => tx.row(UserRow, `${USER_COLS} WHERE email = $1`, [email])),
    findUser: (userId) =>
      autocommit((tx) => tx.row(UserRow, `${USER_COLS} WHERE id = $1`, [userId])),
    createAccount: async (a) => {
      try {
        await transaction(async (tx) => {
          await tx.exec('INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)', [
            a.userId,
            a.email,
            a.passwordHash,
          ]);
          await insertTenantWithOwner(tx, { ...a, name: a.tenantName });
        });
        return 'created';
      } catch (error) {
        if (isUniqueViolation(error)) return 'email_taken';
        throw error;
      }
    },
    setPasswordHash: async (userId, hash, changed) => {
      const stamp = changed ? ', password_changed_at = now()' : '';
      await autocommit((tx) =>
        tx.exec(`UPDATE users SET password_hash = $2${stamp} WHERE id = $1`, [userId, hash]),
      );
    },
    createTenant: (input) => transaction((tx) => insertTenantWithOwner(tx, input)),
    listTenantsOfUser: (userId) =>
      transaction(async (tx) => {
        await tx.exec("SELECT set_config('app.user_id', $1, true)", [userId]);
        return tx.rows(
          MyTenant,
          `SELECT t.id, t.name, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
           WHERE m.user_id = $1 ORDER BY t.created_at, t.id`,
          [userId],
        );
      }),
    createSession: (s) =>
      transaction(async (tx) => {
        await tx.exec(
          'INSERT INTO sessions (id, user_id, user_agent, expires_at) VALUES ($1, $2, $3, $4)',
          [s.sessionId, s.userId, s.userAgent, s.expiresAt],
        );
        await tx.exec('INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [
          s.refreshHash,
          s.sessionId,
        ]);
      }),
    rotateRefresh: (oldHash, newHash, now) =>
      transaction(async (tx): Promise<RotateResult> => {
        const found = await tx.row(
          RefreshRow,
          `SELECT r.session_id, r.used_at, s.user_id, s.revoked_at, s.expires_at
           FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
           WHERE r.token_hash = $1 FOR UPDATE OF r, s`,
          [oldHash],
        );
        if (!found || found.revoked_at || found.expires_at <= now) return { kind: 'invalid' };
        if (found.used_at) {
          await tx.exec(
            "UPDATE sessions SET revoked_at = $2, revoked_reason = 'refresh_reuse' WHERE id = $1",
            [found.session_id, now],
          );
          return { kind: 'reused' };
        }
        await tx.exec('UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1', [
          oldHash,
          now,
        ]);
        await tx.exec('INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [
          newHash,
          found.session_id,
        ]);
        await tx.exec('UPDATE sessions SET last_used_at = $2 WHERE id = $1', [
          found.session_id,
          now,
        ]);
        return { kind: 'rotated', sessionId: found.session_id, userId: found.user_id };
      }),
    isSessionActive: async (sessionId, userId, now) =>
      (await autocommit((tx) =>
        tx.exec(
          'SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3',
          [sessionId, userId, now],
        ),
      )) === 1,
    listSessions: (userId, now) =>
      autocommit((tx) =>
        tx.rows(
          SessionRow,
          `SELECT id, user_agent, created_at, last_used_at, expires_at FROM sessions
           WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at, id`,
          [userId, now],
        ),
      ),
    revokeSession: async (userId, sessionId, reason) =>
      (await autocommit((tx) =>
        tx.exec(
          `UPDATE sessions SET revoked_at = now(), revoked_reason = $3
           WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
          [sessionId, userId, reason],
        ),
      )) === 1,
    revokeOtherSessions: (userId, keepSessionId) =>
      autocommit((tx) =>
        tx.exec(
          `UPDATE sessions SET revoked_at = now(), revoked_reason = 'password_changed'
           WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`,
          [userId, keepSessionId],
        ),
      ),
  };
}
