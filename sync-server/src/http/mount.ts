import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import type { AuthServices } from '../auth/services';
import type { Clock } from '../clock';
import type { Db, TenantTx } from '../db/db';
import { parseOwnData } from '../own-data';
import { forbidden, notFound, unauthorized } from './errors';
import { parseQuery } from './query';
import {
  type Account,
  type Device,
  type RequestInfo,
  type Role,
  type RouteDef,
  roleAtLeast,
} from './route';

const BEARER = /^Bearer ([^\s]+)$/i;
const TenantIdParam = z.object({ tenantId: z.uuid() });
const AccessRow = z.object({
  role: z.enum(['owner', 'editor', 'viewer']).nullable(),
  active: z.boolean(),
});
const Exists = z.object({ ok: z.boolean() });

function bearer(req: Request): string {
  const match = BEARER.exec(req.get('authorization') ?? '');
  if (!match?.[1]) throw unauthorized();
  return match[1];
}

export const expressPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');

interface MountDeps {
  db: Db;
  clock: Clock;
  auth: AuthServices;
}

/** Authenticates, validates and runs one route; tenant and device routes inside withTenant. */
export function mountRoute(app: Express, route: RouteDef, deps: MountDeps): void {
  const { db, clock, auth } = deps;

  const claimsOf = async (req: Request): Promise<Account> => {
    const claims = await auth.tokens.verifyAccess(bearer(req));
    if (!claims) throw unauthorized();
    return claims;
  };

  const account = async (req: Request): Promise<Account> => {
    const claims = await claimsOf(req);
    const active = await db.global.isSessionActive(claims.sessionId, claims.userId, clock.now());
    if (!active) throw unauthorized();
    return claims;
  };

  /** Session still active and role in this tenant, in one round trip inside the tenant transaction. */
  const access = async (tx: TenantTx, who: Account, minRole: Role): Promise<Role> => {
    const row = await tx.row(
      AccessRow,
      `SELECT (SELECT role FROM memberships WHERE user_id = $1) AS role,
              EXISTS (SELECT 1 FROM sessions WHERE id = $2 AND user_id = $1
                      AND revoked_at IS NULL AND expires_at > $3) AS active`,
      [who.userId, who.sessionId, clock.now()],
    );
    if (!row?.active) throw unauthorized();
    // Not a member: the tenant does not exist as far as this caller can tell.
    if (!row.role) throw notFound();
    if (!roleAtLeast(row.role, minRole)) throw forbidden();
    return row.role;
  };

  const activeDevice = async (tx: TenantTx, d: Device) => {
    const row = await tx.row(
      Exists,
      `SELECT EXISTS (SELECT 1 FROM devices WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL)
          AND EXISTS (SELECT 1 FROM memberships WHERE user_id = $2) AS ok`,
      [d.deviceId, d.userId],
    );
    if (!row?.ok) throw unauthorized();
  };

  const handle = async (req: Request, res: Response): Promise<unknown> => {
    const info: RequestInfo = {
      ip: req.ip ?? '',
      userAgent: req.get('user-agent') ?? '',
      log: res.locals.log,
    };
    const parseInput = () => {
      const params = route.params ? route.params.safeParse(req.params) : undefined;
      if (params && !params.success) throw notFound();
      return {
        params: params?.data,
        query: route.query ? parseQuery(route.query, req.query) : undefined,
        body: route.body ? route.body.parse(req.body) : undefined,
        req: info,
      };
    };
    switch (route.auth) {
      case 'none':
        return route.run(parseInput());
      case 'account': {
        const who = await account(req);
        return route.run({ ...parseInput(), account: who });
      }
      case 'tenant': {
        const who = await claimsOf(req);
        const input = parseInput();
        const tenantId = TenantIdParam.parse(input.params).tenantId;
        return db.withTenant(tenantId, async (tx) => {
          const role = await access(tx, who, route.minRole);
          return route.run({ ...input, account: who, tenant: { id: tenantId, role }, tx });
        });
      }
      case 'device': {
        const device = await auth.tokens.verifyDevice(bearer(req));
        if (!device) throw unauthorized();
        const input = parseInput();
        return db.withTenant(device.tenantId, async (tx) => {
          await activeDevice(tx, device);
          return route.run({ ...input, device, tx });
        });
      }
    }
  };

  app[route.method](expressPath(route.path), async (req, res) => {
    const result = await handle(req, res);
    const status = route.status ?? 200;
    if (result === undefined || status === 204) {
      res.status(status).end();
      return;
    }
    const what = `the response of ${route.method} ${route.path}`;
    res.status(status).json(route.response ? parseOwnData(route.response, result, what) : result);
  });
}
