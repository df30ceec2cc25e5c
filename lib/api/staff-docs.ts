// OpenAPI descriptions of the staff JSON routes (implemented with plain handlers, since they mix
// multipart, streaming files and HTML fallbacks), one staff-docs-<area>.ts file per area. The
// contract test calls each one as documented, so this cannot silently drift.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { documentBcaRoutes } from './staff-docs-bca';
import { err, refusals, security } from './staff-docs-common';
import { documentComplianceRoutes } from './staff-docs-compliance';
import { documentRequestRoutes, queued } from './staff-docs-requests';
import { documentUploadRoutes } from './staff-docs-uploads';

const Principal = z
  .object({
    user: z.string(),
    role: z.enum(['viewer', 'analyst', 'admin']),
    via: z.enum(['session', 'token', 'jwt']),
  })
  .openapi('Principal');

const AuditEvent = z
  .object({
    at: z.string(),
    user: z.string(),
    role: z.string(),
    action: z.string(),
    target: z.string().optional(),
    outcome: z.enum(['ok', 'refused', 'failed']),
    versions: z.array(z.string()).optional(),
    detail: z.record(z.string(), z.unknown()).optional(),
    ip: z.string().optional(),
  })
  .openapi('AuditEvent');

export function documentStaffRoutes(app: OpenAPIHono) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A token from `corridor user token` (or a Cognito JWT in AWS)',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', {
    type: 'apiKey',
    in: 'cookie',
    name: 'corridor_session',
    description: 'The session cookie set by POST /staff/login',
  });
  const r = app.openAPIRegistry;
  r.registerPath({
    method: 'get',
    path: '/api/v1/staff/me',
    operationId: 'staffMe',
    summary: 'Who the credentials belong to',
    security,
    responses: {
      200: { description: 'The signed-in user', content: { 'application/json': { schema: Principal } } },
      ...refusals,
    },
  });
  // In this order the contract test's pass over every operation uploads before it computes.
  documentUploadRoutes(r);
  r.registerPath({
    method: 'post',
    path: '/api/v1/staff/compute',
    operationId: 'staffCompute',
    summary: 'Run a measure family and publish its results with lineage (analyst)',
    security,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({
              family: z.string().openapi({ example: 'commute_mode' }),
              year: z.number().int().optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'The run',
        content: {
          'application/json': {
            schema: z
              .object({ family: z.string(), run_id: z.string(), summary: z.record(z.string(), z.unknown()) })
              .openapi('ComputeRun'),
          },
        },
      },
      202: queued('the run'),
      400: err('Unknown family or bad body'),
      422: err('The computation failed (e.g. an input dataset is missing)'),
      ...refusals,
    },
  });
  // Queued computations, BCA runs and publications on AWS are followed here.
  documentRequestRoutes(r);
  documentBcaRoutes(r);
  documentComplianceRoutes(r);
  r.registerPath({
    method: 'get',
    path: '/api/v1/staff/audit',
    operationId: 'staffAudit',
    summary: 'Recent staff actions, newest first (admin)',
    security,
    request: { query: z.object({ limit: z.string().optional().openapi({ example: '50' }) }) },
    responses: {
      200: {
        description: 'Audit events',
        content: { 'application/json': { schema: z.object({ events: z.array(AuditEvent) }) } },
      },
      ...refusals,
    },
  });
}
