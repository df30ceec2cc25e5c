// OpenAPI descriptions of the staff benefit-cost analysis routes (staff-bca.ts): run a scenario
// (an uploaded file, or JSON), list and read the runs, fetch their files, publish one. A run is
// staff-only until published; the public side (/api/v1/bca/reports) is in bca-public.ts.
import { z } from '@hono/zod-openapi';
import { ErrorBody, LineageBody } from './schemas';
import { err, Issue, pathParam, type Registry, refusals, security } from './staff-docs-common';
import { queued } from './staff-docs-requests';

const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});

/** staff-bca.ts runAnswer. */
const BcaRun = z
  .object({
    scenario_id: z.string(),
    title: z.string(),
    npv_usd: z.number().nullable(),
    bcr: z.number().nullable(),
    published: z.literal(false).openapi({
      description: 'Runs start staff-only: POST /api/v1/staff/bca/runs/{run}/publish makes one public',
    }),
    run_id: z.string().nullable().openapi({ description: 'Null when the run has errors: shown, not kept' }),
    files: z.array(
      z.object({ name: z.string(), url: z.string().openapi({ description: 'A staff-only link' }) }),
    ),
    issues: z.array(Issue),
  })
  .openapi('BcaRun');

/** A refused or failed run: the scenario's problems, when it had any. */
const BcaRefused = ErrorBody.extend({
  issues: z
    .array(z.union([Issue, z.object({ path: z.string(), message: z.string() })]))
    .optional()
    .openapi({ description: 'Schema problems (path, message) or the analysis issues that stopped it' }),
}).openapi('BcaRefused');

const Published = z.object({ at: z.string(), user: z.string() }).openapi('BcaPublication');

/** staff-bca.ts runListEntry. */
const StaffBcaRunEntry = z
  .object({
    run_id: z.string(),
    scenario_id: z.string(),
    title: z.string(),
    created_at: z.string(),
    user: z.string(),
    role: z.string(),
    source: z.string().openapi({ description: 'The uploaded file name, "builder" or "api"' }),
    edition: z.string(),
    base_year: z.number().int(),
    discount_rate: z.number(),
    npv_usd: z.number().nullable(),
    bcr: z.number().nullable(),
    published: Published.nullable(),
    links: z.object({
      self: z.string(),
      page: z.string(),
      lineage: z.string(),
      public: z.string().nullable().openapi({ description: 'The public report, once published' }),
    }),
  })
  .openapi('StaffBcaRunEntry');

const StaffBcaRunDetail = StaffBcaRunEntry.extend({
  files: z.array(z.string()),
  summary: z.record(z.string(), z.unknown()),
  lineage: LineageBody,
  issues: z.array(Issue),
}).openapi('StaffBcaRunDetail');

const runParam = z.object({ run: pathParam('run', 'run-id') });
const binary = z.string().openapi({ format: 'binary' });
const text = z.string();

export function documentBcaRoutes(r: Registry) {
  r.registerPath({
    method: 'post',
    path: '/api/v1/staff/bca',
    operationId: 'staffBca',
    summary:
      'Run a benefit-cost analysis scenario from a file (analyst); the run stays staff-only until published',
    security,
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: z.object({
              file: binary.openapi({
                description: 'A scenario (.yaml, .yml, .json, .xlsx) or ledger (.csv)',
              }),
              edition: z.string().optional().openapi({
                description: 'Unit-value edition id; one not matching [a-z0-9_.-]{1,40} is ignored',
              }),
              discount_rate: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: json('The run, with staff-only links to its reports', BcaRun),
      202: queued('the run'),
      400: err('No scenario file, a bad file name or a bad number'),
      413: err('Larger than the upload limit'),
      415: err('Not multipart/form-data'),
      422: json('The scenario has errors or the analysis failed', BcaRefused),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'post',
    path: '/api/v1/staff/bca/scenarios',
    operationId: 'staffBcaScenario',
    summary:
      'Run a scenario sent as JSON (analyst; the builder’s API twin), or with check=1 only validate it',
    security,
    request: {
      query: z.object({
        check: z.enum(['1']).optional().openapi({ description: 'Validate only; nothing is run' }),
      }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .record(z.string(), z.unknown())
              .openapi({ description: 'A scenario, as the YAML/JSON scenario files hold it' }),
          },
        },
      },
    },
    responses: {
      200: json(
        'The run (as POST /api/v1/staff/bca answers), or with check=1 the verdict',
        z.union([
          BcaRun,
          z.object({ valid: z.literal(true), scenario_id: z.string() }).openapi('BcaScenarioCheck'),
        ]),
      ),
      202: queued('the run (not a check=1 validation, which answers at once)'),
      400: err('The body is not JSON'),
      413: err('Larger than 4 MiB'),
      422: json('Not a valid scenario, the scenario has errors, or the analysis failed', BcaRefused),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/staff/bca/runs',
    operationId: 'staffBcaRuns',
    summary: 'Staff benefit-cost analysis runs, published or not, newest first (viewer)',
    security,
    responses: {
      200: json('The runs', z.object({ runs: z.array(StaffBcaRunEntry) })),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/staff/bca/runs/{run}',
    operationId: 'staffBcaRun',
    summary: 'One staff run with its summary, lineage and issues (viewer)',
    security,
    request: { params: runParam },
    responses: {
      200: json('The run', StaffBcaRunDetail),
      404: err('No such run'),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/staff/bca/runs/{run}/files/{file}',
    operationId: 'staffBcaRunFile',
    summary:
      "A file of a staff run (one of its record's files): report.html opens in the browser, others download (viewer)",
    security,
    request: {
      params: z.object({ run: pathParam('run', 'run-id'), file: pathParam('file', 'report.html') }),
    },
    responses: {
      200: {
        description: 'The file',
        content: {
          'text/html': { schema: text },
          'application/pdf': { schema: binary },
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: binary },
          'text/csv': { schema: text },
          'application/json': { schema: z.unknown() },
          'application/yaml': { schema: text },
          'text/plain': { schema: text },
          'application/octet-stream': { schema: binary },
        },
      },
      404: err('No such run, or no such file in it'),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'post',
    path: '/api/v1/staff/bca/runs/{run}/publish',
    operationId: 'staffBcaPublish',
    summary:
      'Publish a staff run as a public report (analyst; audit-logged); publishing again changes nothing',
    security,
    request: { params: runParam },
    responses: {
      200: json(
        'Published; the report is at page (and /api/v1/bca/reports/{run})',
        z.object({ run_id: z.string(), published: Published, page: z.string() }),
      ),
      202: queued('publishing an existing run'),
      404: err('No such run'),
      ...refusals,
    },
  });
}
