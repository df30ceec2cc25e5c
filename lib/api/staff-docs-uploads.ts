// OpenAPI descriptions of the staff upload routes: the multipart upload and its job
// (staff-uploads.ts), and the direct upload through a presigned PUT (staff-direct-upload.ts).
// The presigned PUT itself (/storage/put on the folder store, S3 on AWS) is storage plumbing
// whose URL the grant hands out, so it is not an operation here.
import { z } from '@hono/zod-openapi';
import { err, Issue, pathParam, type Registry, refusals, security } from './staff-docs-common';

const jobStatus = z.enum(['running', 'published', 'unchanged', 'rejected', 'failed']);

/** lib/ingest/ingest.ts IngestOutcome. */
const Outcome = z
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
  .openapi('IngestOutcome');

/** What the pipeline's ingest records about a queued upload (upload-jobs.ts UploadStatus). */
const UploadStatus = z
  .object({
    key: z.string(),
    etag: z.string(),
    status: z.enum(['published', 'unchanged', 'rejected', 'failed', 'skipped']),
    dataset_id: z.string().nullable(),
    version: z.string().nullable(),
    errors: z.number().int(),
    warnings: z.number().int(),
    rows_read: z.number().int(),
    rows_published: z.number().int(),
    rows_quarantined: z.number().int(),
    report_key: z.string().nullable(),
    issues: z.array(Issue),
    error: z.string().nullable(),
    finished_at: z.string(),
  })
  .openapi('UploadStatus');

/** An in-process ingest job (staff-uploads.ts jobJson); on AWS the poll adds the queued fields. */
const UploadJob = z
  .object({
    id: z.string(),
    file: z.string(),
    dataset: z.string(),
    status: jobStatus,
    stage: z.string(),
    done: z.number(),
    total: z.number().nullable(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    error: z.string().nullable(),
    outcome: Outcome.nullable(),
    report_html: z.string().optional(),
    key: z.string().optional().openapi({ description: 'On AWS: the object the ingest was triggered by' }),
    status_url: z.string().optional().openapi({ description: 'On AWS: where to poll' }),
    result: UploadStatus.nullable()
      .optional()
      .openapi({ description: "On AWS: the ingest's record once it ran" }),
  })
  .openapi('UploadJob');

/** On AWS an upload is handed to the pipeline's ingest function (upload-jobs.ts QueuedUpload). */
const QueuedUpload = z
  .object({
    id: z.string(),
    key: z.string(),
    file: z.string(),
    dataset: z.string(),
    status: z.enum(['running', 'published', 'unchanged', 'rejected', 'failed', 'skipped']),
    stage: z.string(),
    status_url: z.string(),
    result: UploadStatus.nullable(),
  })
  .openapi('QueuedUpload');

/** What completing a direct upload answers locally (staff-direct-upload.ts): a job's first state. */
const UploadStarted = UploadJob.pick({
  id: true,
  file: true,
  dataset: true,
  status: true,
  stage: true,
  error: true,
  outcome: true,
})
  .extend({ status_url: z.string().openapi({ description: 'Poll here (GET /api/v1/staff/uploads/{id})' }) })
  .openapi('UploadStarted');

const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});

const waitQuery = (what: string) =>
  z.object({
    wait: z
      .enum(['1'])
      .optional()
      .openapi({ description: `Answer when the ingest has finished (200) instead of at once (202)${what}` }),
  });

export function documentUploadRoutes(r: Registry) {
  r.registerPath({
    method: 'post',
    path: '/api/v1/staff/uploads',
    operationId: 'staffUpload',
    summary: 'Upload a file to ingest (analyst); validation runs in the background — poll the job',
    security,
    request: {
      query: waitQuery('; on AWS always 202, as the pipeline ingests it'),
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
      200: json('Finished (with wait=1)', UploadJob),
      202: json(
        'Accepted; poll /api/v1/staff/uploads/{id} (on AWS: queued for the pipeline)',
        z.union([UploadJob, QueuedUpload]),
      ),
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
    summary: 'Progress and validation report of an upload (multipart or direct)',
    security,
    request: {
      params: z.object({ id: pathParam('id', 'job-id') }),
      query: z.object({
        format: z
          .enum(['html'])
          .optional()
          .openapi({ description: 'Also return the report as an HTML fragment' }),
      }),
    },
    responses: {
      200: json('The job', UploadJob),
      404: err('No such upload (or not yours)'),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'post',
    path: '/api/v1/staff/uploads/direct',
    operationId: 'staffDirectUpload',
    summary:
      'Ask for a presigned PUT to send a large file straight to storage (analyst); then PUT it and complete',
    security,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({
              dataset: z.string().max(100).openapi({ example: 'acs_b08301' }),
              name: z
                .string()
                .regex(/^([a-z0-9][a-z0-9_-]{0,62})?$/)
                .optional(),
              fileName: z.string().max(200).openapi({ example: 'ACSDT1Y2019.B08301-Data.csv' }),
              bytes: z.number().int().positive(),
              contentType: z
                .string()
                .max(200)
                .regex(/^[\x20-\x7e]*$/)
                .optional()
                .openapi({ description: 'Signed into the URL: the PUT must send the same Content-Type' }),
            }),
          },
        },
      },
    },
    responses: {
      201: json(
        'The grant: PUT the file to url with these headers before expires_at, then POST complete_url',
        z
          .object({
            uploadId: z.string(),
            url: z.string().openapi({ format: 'uri' }),
            method: z.literal('PUT'),
            headers: z.record(z.string(), z.string()),
            expires_at: z.string(),
            complete_url: z.string(),
          })
          .openapi('DirectUploadGrant'),
      ),
      400: err('Bad body, unknown dataset kind or a file name that is not a plain name'),
      413: err('Larger than the direct upload limit (or a request body over 16 KiB)'),
      ...refusals,
    },
  });
  r.registerPath({
    method: 'post',
    path: '/api/v1/staff/uploads/direct/{uploadId}/complete',
    operationId: 'staffDirectUploadComplete',
    summary:
      "Ingest a file sent with a direct upload's PUT (analyst; its uploader or an admin); poll the job at status_url",
    security,
    request: {
      params: z.object({ uploadId: pathParam('uploadId', 'upload-id') }),
      query: waitQuery('; on AWS always 202, as the ingest started when the file arrived'),
    },
    responses: {
      200: json('Finished (with wait=1)', UploadStarted),
      202: json(
        'Accepted; poll status_url (on AWS: queued for the pipeline)',
        z.union([UploadStarted, QueuedUpload]),
      ),
      404: err('No such upload (or not yours)'),
      409: err('The file has not arrived yet, or the upload was already completed'),
      422: err('The stored size differs from the declared one, or the archive is refused'),
      ...refusals,
    },
  });
}
