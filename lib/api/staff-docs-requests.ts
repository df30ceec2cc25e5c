// OpenAPI descriptions of queued staff work on AWS (staff-requests.ts): the 202 a computation, a
// BCA run or a BCA publish answers with there, and the status route staff follow it through
// (staff-requests-pages.ts). Locally the same routes answer 200 at once and queue nothing.
import { z } from '@hono/zod-openapi';
import { err, pathParam, type Registry, refusals, security } from './staff-docs-common';

/** staff-requests.ts ID: the kind, the UTC time of the request and 16 random hex digits. */
const RequestId = z
  .string()
  .regex(/^(compute|bca-run|bca-publish)\.\d{8}T\d{6}Z-[0-9a-f]{16}$/)
  .openapi({ example: 'compute.20261124T034500Z-0123456789abcdef' });

const RequestKind = z.enum(['compute', 'bca-run', 'bca-publish']);

const links = {
  status_url: z.string().openapi({
    description: 'GET /api/v1/staff/requests/{id}',
    example: '/api/v1/staff/requests/compute.20261124T034500Z-0123456789abcdef',
  }),
  page_url: z
    .string()
    .openapi({ description: 'The same status as a page that reloads itself until the work is done' }),
};

/** staff-requests.ts QueuedRequest. */
export const QueuedRequest = z
  .object({ id: RequestId, kind: RequestKind, status: z.literal('queued'), ...links })
  .openapi('QueuedRequest');

/** The 202 of a route whose work the compute function does on AWS. */
export const queued = (what: string) => ({
  description: `On AWS: ${what} is queued for the compute function; follow status_url (nothing is run in the request)`,
  content: { 'application/json': { schema: QueuedRequest } },
});

/** staff-requests.ts RequestStatus with the links staff-requests-pages.ts adds. */
const RequestStatus = z
  .object({
    id: RequestId,
    kind: RequestKind,
    user: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']).openapi({
      description:
        'failed also when the run never recorded its end or was never picked up within the time limits',
    }),
    requested_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    result: z.record(z.string(), z.unknown()).nullable().openapi({
      description:
        'Once finished, the body the route answers with when run locally (e.g. ComputeRun, BcaRun, or an Error)',
    }),
    error: z.string().nullable(),
    ...links,
    outcome_url: z.string().nullable().openapi({
      description: 'The staff page of a finished BCA run or publication; null otherwise',
    }),
  })
  .openapi('RequestStatus');

export function documentRequestRoutes(r: Registry) {
  r.registerPath({
    method: 'get',
    path: '/api/v1/staff/requests/{id}',
    operationId: 'staffRequestStatus',
    summary: 'Where queued staff work stands: a computation, BCA run or BCA publish on AWS (analyst)',
    security,
    request: { params: z.object({ id: pathParam('id', 'compute.20261124T034500Z-0123456789abcdef') }) },
    responses: {
      200: {
        description: 'The request, with the outcome once finished',
        content: { 'application/json': { schema: RequestStatus } },
      },
      404: err('No such request'),
      ...refusals,
    },
  });
}
