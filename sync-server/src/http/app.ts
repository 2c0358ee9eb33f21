import express, { type Express } from 'express';
import { accountRoutes } from '../auth/account-routes';
import { type AuthServices, createAuthServices } from '../auth/services';
import { releaseRoutes } from '../releases/routes';
import { SYNC_BODY_LIMIT_BYTES, syncRoutes } from '../sync/routes';
import { deviceRoutes } from '../tenants/device-routes';
import { tenantRoutes } from '../tenants/tenant-routes';
import type { AppDeps } from './deps';
import { renderDocsPage } from './docs-page';
import { errorBody, errorHandler, notFoundHandler } from './errors';
import { jsonBody } from './limits';
import { mountRoute } from './mount';
import { buildOpenApi } from './openapi';
import { requestContext, securityHeaders } from './request-context';
import type { RouteDef } from './route';

const READY_TIMEOUT_MS = 2_000;

/** The route table: the app, the OpenAPI document and the cross-tenant test matrix all read it. */
export function buildRoutes(deps: AppDeps, auth: AuthServices): RouteDef[] {
  return [
    ...accountRoutes(deps, auth),
    ...tenantRoutes(deps),
    ...deviceRoutes(deps, auth.tokens),
    ...syncRoutes(deps),
    ...releaseRoutes(deps),
  ];
}

export interface App {
  app: Express;
  routes: RouteDef[];
  auth: AuthServices;
}

/** Builds the HTTP app without listening; src/index.ts listens. */
export function createApp(deps: AppDeps): App {
  const { db, config, logger, clock } = deps;
  const auth = createAuthServices(deps);
  const routes = buildRoutes(deps, auth);
  const openapi = buildOpenApi(routes);
  const docs = renderDocsPage(openapi);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  app.use(requestContext(logger));
  app.use(securityHeaders);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    // A database that hangs is not ready either: answer within READY_TIMEOUT_MS.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, READY_TIMEOUT_MS, undefined);
    });
    const status = await Promise.race([db.schemaStatus().catch(() => undefined), late]);
    clearTimeout(timer);
    if (status?.current) {
      res.json({ status: 'ready' });
      return;
    }
    res
      .status(503)
      .json(
        errorBody(
          'not_ready',
          status ? 'The database schema is not current.' : 'The database does not answer.',
        ),
      );
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/docs', (_req, res) => {
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type('html').send(docs);
  });

  // Sync batches carry embeddings: their own, larger cap (a parsed body is not parsed again).
  app.use('/v1/sync/push', jsonBody(SYNC_BODY_LIMIT_BYTES));
  app.use(jsonBody(config.bodyLimitBytes));
  for (const route of routes) mountRoute(app, route, { db, clock, auth });
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, routes, auth };
}
