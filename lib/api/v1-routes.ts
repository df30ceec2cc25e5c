// The /api/v1 routes as data: each declared with createRoute, so the OpenAPI 3.1 document at
// /openapi.json is generated from the same zod schemas the handlers in v1.ts validate against.
import { createRoute, z } from '@hono/zod-openapi';
import {
  DatasetDetail,
  DatasetList,
  ErrorBody,
  Health,
  MeasureDetail,
  MeasureList,
  QuerySource,
  ResultRowsPage,
  RowsPage,
} from './schemas';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const errors = {
  400: json(ErrorBody, 'Invalid parameters'),
  404: json(ErrorBody, 'Not found'),
};

export const MAX_PAGE = 1000;
export const RESERVED = new Set(['limit', 'offset', 'format', 'order', 'version']);

const IdParam = z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'acs_b08301' });
const FamilyParam = z.string().openapi({ param: { name: 'family', in: 'path' }, example: 'commute_mode' });

export const routes = {
  health: createRoute({
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    summary: 'Liveness',
    responses: { 200: json(Health, 'The service is up') },
  }),
  listDatasets: createRoute({
    method: 'get',
    path: '/api/v1/datasets',
    operationId: 'listDatasets',
    summary: 'Search the dataset catalog',
    request: {
      query: z.object({
        q: z
          .string()
          .max(200)
          .optional()
          .openapi({ description: 'Words that must all appear in the id, title, description or keywords' }),
        keyword: z.string().max(100).optional(),
        type: z.string().max(100).optional(),
      }),
    },
    responses: { 200: json(DatasetList, 'Matching datasets'), 400: errors[400] },
  }),
  getDataset: createRoute({
    method: 'get',
    path: '/api/v1/datasets/{id}',
    operationId: 'getDataset',
    summary: 'A dataset with its versions, tables, lineage and data dictionary',
    request: {
      params: z.object({ id: IdParam }),
      query: z.object({
        version: z
          .string()
          .max(64)
          .optional()
          .openapi({ description: 'A version id; default the current one' }),
      }),
    },
    responses: { 200: json(DatasetDetail, 'The dataset'), ...errors },
  }),
  getRows: createRoute({
    method: 'get',
    path: '/api/v1/datasets/{id}/tables/{table}/rows',
    operationId: 'getRows',
    summary: 'Rows of a table, paged; any other query parameter filters a column by equality',
    request: {
      params: z.object({
        id: IdParam,
        table: z.string().openapi({ param: { name: 'table', in: 'path' }, example: 'acs_commute_mode' }),
      }),
      query: z.object({
        limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
        offset: z.coerce.number().int().min(0).default(0),
        order: z.string().max(100).optional().openapi({ description: 'Column to sort by' }),
        version: z.string().max(64).optional(),
        format: z
          .enum(['json', 'csv'])
          .default('json')
          .openapi({ description: 'csv streams every matching row (no paging)' }),
      }),
    },
    responses: {
      200: {
        description: 'A page of rows (JSON) or all matching rows (CSV, streamed)',
        content: { 'application/json': { schema: RowsPage }, 'text/csv': { schema: z.string() } },
      },
      ...errors,
    },
  }),
  listMeasures: createRoute({
    method: 'get',
    path: '/api/v1/measures',
    operationId: 'listMeasures',
    summary: 'Measure families and their latest runs',
    responses: { 200: json(MeasureList, 'Measure families') },
  }),
  getMeasure: createRoute({
    method: 'get',
    path: '/api/v1/measures/{family}',
    operationId: 'getMeasure',
    summary: 'Latest results of a measure family (or of one key, e.g. year=2024) with lineage',
    request: {
      params: z.object({ family: FamilyParam }),
      query: z.object({
        key: z.string().max(100).optional().openapi({ example: 'all' }),
        // Families that run per year (pm3, congestion) publish under the key year=<Y>.
        year: z.coerce.number().int().min(1990).max(2100).optional().openapi({ example: 2024 }),
      }),
    },
    responses: { 200: json(MeasureDetail, 'The latest run'), ...errors },
  }),
  getMeasureRows: createRoute({
    method: 'get',
    path: '/api/v1/measures/{family}/files/{file}/rows',
    operationId: 'getMeasureRows',
    summary:
      'Rows of a CSV result file of the latest run, paged; other query parameters filter columns by equality',
    request: {
      params: z.object({
        family: FamilyParam,
        file: z.string().openapi({ param: { name: 'file', in: 'path' }, example: 'acs_non_sov_share.csv' }),
      }),
      query: z.object({
        limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
        offset: z.coerce.number().int().min(0).default(0),
        run: z
          .string()
          .max(64)
          .optional()
          .openapi({ description: 'A run id; default the newest run holding the file' }),
        format: z.enum(['json', 'csv']).default('json'),
      }),
    },
    responses: {
      200: {
        description: 'A page of rows (JSON) or all matching rows (CSV, streamed)',
        content: { 'application/json': { schema: ResultRowsPage }, 'text/csv': { schema: z.string() } },
      },
      ...errors,
    },
  }),
  getQuery: createRoute({
    method: 'get',
    path: '/api/v1/queries/{name}',
    operationId: 'getQuery',
    summary: 'The SQL of a query, with its header (grain, inputs, rule reference) and hash',
    request: {
      params: z.object({
        name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'acs_non_sov_share' }),
      }),
    },
    responses: { 200: json(QuerySource, 'The query'), ...errors },
  }),
};
