import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import type { RouteDef } from './route';
import { ErrorBodySchema, z } from './zod';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorBodySchema } },
});

const SECURITY: Record<RouteDef['auth'], RouteConfig['security']> = {
  none: [],
  account: [{ accountToken: [] }],
  tenant: [{ accountToken: [] }],
  device: [{ deviceToken: [] }],
};

function responses(route: RouteDef): RouteConfig['responses'] {
  const status = route.status ?? 200;
  const ok = route.response
    ? { description: 'Success', content: { 'application/json': { schema: route.response } } }
    : { description: 'Success, no body' };
  const invalid = route.query ? 'Invalid query parameters' : 'Invalid request body';
  const out: RouteConfig['responses'] = { [status]: ok, 400: error(invalid) };
  if (route.auth !== 'none') out[401] = error('Missing, invalid, expired or revoked token');
  if (route.auth === 'tenant') {
    out[403] = error('Member, but the role is too low');
    out[404] = error('No such tenant or resource for this caller');
  }
  out[413] = error('Body too large');
  out[429] = error('Too many attempts');
  return out;
}

/** The OpenAPI 3.1 document, generated from the same zod schemas and route table the app runs. */
export function buildOpenApi(routes: RouteDef[]): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'accountToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'Access token from /v1/auth/login, /signup or /refresh (audience creator-hub:account).',
  });
  registry.registerComponent('securitySchemes', 'deviceToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Device token from device registration (audience creator-hub:device).',
  });
  const Health = z.object({ status: z.string() }).openapi('Health');
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'The process is up',
    tags: ['ops'],
    responses: { 200: { description: 'Up', content: { 'application/json': { schema: Health } } } },
  });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'The database answers and its schema is current',
    tags: ['ops'],
    responses: {
      200: { description: 'Ready', content: { 'application/json': { schema: Health } } },
      503: error('Not ready'),
    },
  });
  for (const route of routes) {
    registry.registerPath({
      method: route.method,
      path: route.path,
      summary: route.summary,
      tags: [route.tag],
      security: SECURITY[route.auth],
      request: {
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(route.body
          ? { body: { content: { 'application/json': { schema: route.body } } } }
          : {}),
      },
      responses: responses(route),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Creator Hub sync server',
      version: '0.1.0',
      description: 'Errors are always `{ "error": { "code", "message" } }`.',
    },
  });
}
