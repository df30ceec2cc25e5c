// OpenAPI descriptions of the staff JSON routes (implemented in staff.ts with plain handlers,
// since they mix multipart, streaming files and HTML fallbacks). The contract test calls each
// one as documented, so this cannot silently drift.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { ErrorBody } from './schemas';

const err = (d: string) => ({ description: d, content: { 'application/json': { schema: ErrorBody } } });
const refusals = {
  401: err('Not signed in'),
  403: err('Signed in without the role this needs, or a cross-site request'),
};
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

const Principal = z
  .object({
    user: z.string(),
    role: z.enum(['viewer', 'analyst', 'admin']),
    via: z.enum(['session', 'token', 'jwt']),
  })
  .openapi('Principal');

const Issue = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  dataset: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.string().optional(),
  message: z.string(),
  fix: z.string().optional(),
  value: z.string().optional(),
  count: z.number().int().optional(),
});

export const UploadJobBody = z
  .object({
    id: z.string(),
    file: z.string(),
    dataset: z.string(),
    status: z.enum(['running', 'published', 'unchanged', 'rejected', 'failed']),
    stage: z.string(),
    done: z.number(),
    total: z.number().nullable(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    error: z.string().nullable(),
    outcome: z
      .object({
        status: z.enum(['published', 'unchanged', 'rejected']),
        datasetId: z.string(),
        version: z.string().optional(),
        issues: z.array(Issue),
        reportKey: z.string().optional(),
        rowsRead: z.number().int(),
        rowsPublished: z.number().int(),
        rowsQuarantined: z.number().int(),
      })
      .nullable(),
    report_html: z.string().optional(),
  })
  .openapi('UploadJob');

const TargetBody = z.object({
  measure_id: z.string(),
  performance_period: z.string(),
  baseline_year: z.number().int().nullable(),
  baseline: z.number().nullable(),
  target_2yr: z.number().nullable(),
  target_4yr: z.number().nullable(),
  note: z.string().optional(),
});
const Targets = z
  .object({ updated_at: z.string(), updated_by: z.string(), targets: z.array(TargetBody) })
  .openapi('Targets');

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
  r.registerPath({
    method: 'post',
    path: '/api/v1/staff/uploads',
    operationId: 'staffUpload',
    summary: 'Upload a file to ingest (analyst); validation runs in the background — poll the job',
    security,
    request: {
      query: z.object({
        wait: z
          .enum(['1'])
          .optional()
          .openapi({ description: 'Answer when the ingest has finished (200) instead of at once (202)' }),
      }),
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: z.object({
              file: z.string().openapi({ format: 'binary' }),
              dataset: z.string().openapi({ example: 'acs_b08301' }),
              name: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'Finished (with wait=1)',
        content: { 'application/json': { schema: UploadJobBody } },
      },
      202: {
        description: 'Accepted; poll /api/v1/staff/uploads/{id}',
        content: { 'application/json': { schema: UploadJobBody } },
      },
      400: err('Bad file name, unknown dataset kind, or unreadable multipart body'),
      413: err('Larger than the upload limit'),
      415: err('Not multipart/form-data'),
      422: err('Archive refused (zip bomb, unsafe paths, corrupt)'),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/staff/uploads/{id}',
    operationId: 'staffUploadJob',
    summary: 'Progress and validation report of an upload',
    security,
    request: {
      params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'job-id' }) }),
      query: z.object({
        format: z
          .enum(['html'])
          .optional()
          .openapi({ description: 'Also return the report as an HTML fragment' }),
      }),
    },
    responses: {
      200: { description: 'The job', content: { 'application/json': { schema: UploadJobBody } } },
      404: err('No such upload (or not yours)'),
      ...refusals,
    },
  });
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
      400: err('Unknown family or bad body'),
      422: err('The computation failed (e.g. an input dataset is missing)'),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'post',
    path: '/api/v1/staff/bca',
    operationId: 'staffBca',
    summary: 'Run a benefit-cost analysis scenario and publish it as a bca result (analyst)',
    security,
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: z.object({
              file: z.string().openapi({ format: 'binary' }),
              edition: z.string().optional(),
              discount_rate: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'The run, with links to its reports',
        content: {
          'application/json': {
            schema: z
              .object({
                scenario_id: z.string(),
                title: z.string(),
                npv_usd: z.number().nullable(),
                bcr: z.number().nullable(),
                published: z.boolean(),
                run_id: z.string().nullable(),
                files: z.array(z.object({ name: z.string(), url: z.string() })),
                issues: z.array(Issue),
              })
              .openapi('BcaRun'),
          },
        },
      },
      400: err('No scenario file, a bad file name or a bad number'),
      413: err('Larger than the upload limit'),
      415: err('Not multipart/form-data'),
      422: err('The scenario has errors or the analysis failed'),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/staff/compliance/targets',
    operationId: 'staffGetTargets',
    summary: "The MPO's 2- and 4-year targets (23 CFR 490.105)",
    security,
    responses: {
      200: { description: 'Targets', content: { 'application/json': { schema: Targets } } },
      ...refusals,
    },
  });
  r.registerPath({
    method: 'put',
    path: '/api/v1/staff/compliance/targets',
    operationId: 'staffPutTargets',
    summary: 'Replace the targets (analyst; audit-logged)',
    security,
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: z.object({ targets: z.array(TargetBody) }) } },
      },
    },
    responses: {
      200: { description: 'Saved', content: { 'application/json': { schema: Targets } } },
      400: err('Invalid targets'),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/staff/compliance/{file}',
    operationId: 'staffComplianceFile',
    summary:
      'A file of the federal package: measures.csv, measures.xlsx, system-performance-report.pdf, hpms-pm3.txt (?year=&state_code=)',
    security,
    request: {
      params: z.object({
        file: z.string().openapi({ param: { name: 'file', in: 'path' }, example: 'measures.csv' }),
      }),
      query: z.object({
        year: z.string().optional(),
        state_code: z.string().optional(),
        fill_missing: z.enum(['true']).optional(),
      }),
    },
    responses: {
      200: {
        description: 'The file',
        content: {
          'text/csv': { schema: z.string() },
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
            schema: z.string().openapi({ format: 'binary' }),
          },
          'application/pdf': { schema: z.string().openapi({ format: 'binary' }) },
          'text/plain': { schema: z.string() },
        },
      },
      400: err('Missing state_code for the HPMS file'),
      404: err('No such file, or no PM3 results for the year'),
      422: err('The HPMS export failed'),
      ...refusals,
    },
  });
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
