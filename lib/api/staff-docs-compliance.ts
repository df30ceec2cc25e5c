// OpenAPI descriptions of the staff compliance routes (staff-compliance.ts): the MPO's targets
// and the files of the federal performance package.
import { z } from '@hono/zod-openapi';
import { err, type Registry, refusals, security } from './staff-docs-common';

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

export function documentComplianceRoutes(r: Registry) {
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
}
