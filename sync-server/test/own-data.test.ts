import { describe, expect, it } from 'vitest';
import { ZodError, z } from 'zod';
import { txFor } from '../src/db/tx';
import { signup } from './helpers/server';
import { serverForFile } from './helpers/server-for-file';

const { s } = serverForFile({
  // A store bug: a tenant comes back with a role the API does not know.
  patchDb: (db) => ({
    ...db,
    global: {
      ...db.global,
      listTenantsOfUser: async (userId) =>
        (await db.global.listTenantsOfUser(userId)).map((tenant) => ({
          ...tenant,
          role: 'superuser' as 'owner',
        })),
    },
  }),
});

describe('data the server produced that breaks its schema is a server fault', () => {
  it('answers a handler result that fails its response schema with 500, and logs where', async () => {
    const a = await signup(s, 'own-data');
    const res = await s.api('get', '/v1/me', { token: a.accessToken });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'internal', message: expect.any(String) } });
    const logged = s.logs.join('');
    expect(logged).toContain(
      'the response of get /v1/me does not match its schema at tenants.0.role',
    );
    expect(logged).not.toContain('superuser');
  });

  it('fails a database row that does not match its schema with a plain error, not a ZodError', async () => {
    const client = await s.pool.connect();
    try {
      const failure = await txFor(client)
        .rows(z.object({ n: z.number() }), "SELECT 'text' AS n")
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(ZodError);
      expect((failure as Error).message).toBe('a database row does not match its schema at n');
    } finally {
      client.release();
    }
  });
});
