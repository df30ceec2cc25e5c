// The API's response shapes, in zod: the handlers' types and the OpenAPI 3.1 document both come
// from here, so the documentation cannot drift from the code.
import { z } from '@hono/zod-openapi';

export const ErrorBody = z
  .object({
    error: z.string().openapi({ example: 'not_found' }),
    message: z.string(),
    ref: z.string().optional(),
  })
  .openapi('Error');

export const DatasetSummary = z
  .object({
    id: z.string().openapi({ example: 'acs_b08301' }),
    type: z.string(),
    title: z.string(),
    description: z.string(),
    keywords: z.array(z.string()),
    current_version: z.string().nullable(),
    updated_at: z.string(),
    versions: z.number().int(),
    rows: z.number().int(),
    links: z.object({ self: z.string(), page: z.string() }),
  })
  .openapi('DatasetSummary');

export const DatasetList = z
  .object({ total: z.number().int(), datasets: z.array(DatasetSummary) })
  .openapi('DatasetList');

const Column = z.object({
  name: z.string(),
  type: z.string(),
  description: z.string().optional(),
  unit: z.string().optional(),
  required: z.boolean().optional(),
});

export const TableDetail = z.object({
  name: z.string(),
  rows: z.number().int(),
  columns: z.array(Column),
  geometry: z.object({ lon: z.string(), lat: z.string() }).nullable(),
  downloads: z.object({ csv: z.string(), parquet: z.string(), geojson: z.string().nullable() }),
});

export const DatasetDetail = z
  .object({
    id: z.string(),
    type: z.string(),
    title: z.string(),
    description: z.string(),
    source: z.string(),
    license: z.string(),
    publisher: z.string(),
    keywords: z.array(z.string()),
    current_version: z.string().nullable(),
    updated_at: z.string(),
    versions: z.array(
      z.object({
        version: z.string(),
        created_at: z.string(),
        content_hash: z.string(),
        rows: z.number().int(),
      }),
    ),
    version: z.object({
      version: z.string(),
      created_at: z.string(),
      content_hash: z.string(),
      tables: z.array(TableDetail),
      issues: z.object({
        errors: z.number().int(),
        warnings: z.number().int(),
        infos: z.number().int(),
        quarantined_rows: z.number().int(),
      }),
      lineage: z.object({
        code_version: z.string(),
        ingested_by: z.string(),
        sources: z.array(z.object({ file: z.string(), bytes: z.number(), sha256: z.string() })),
      }),
    }),
    dictionary: z.record(z.string(), z.array(Column)),
  })
  .openapi('DatasetDetail');

export const RowsPage = z
  .object({
    dataset: z.string(),
    version: z.string(),
    table: z.string(),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    rows: z.array(z.record(z.string(), z.unknown())),
    next: z.string().nullable(),
  })
  .openapi('RowsPage');

export const ResultRowsPage = z
  .object({
    family: z.string(),
    run_id: z.string(),
    file: z.string(),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    rows: z.array(z.record(z.string(), z.unknown())),
    next: z.string().nullable(),
  })
  .openapi('ResultRowsPage');

export const MeasureSummary = z
  .object({
    family: z.string().openapi({ example: 'commute_mode' }),
    title: z.string(),
    summary: z.string(),
    reference: z.string().nullable(),
    latest_run: z.string().nullable(),
    links: z.object({ self: z.string(), page: z.string() }),
  })
  .openapi('MeasureSummary');

export const MeasureList = z.object({ measures: z.array(MeasureSummary) }).openapi('MeasureList');

export const LineageBody = z
  .object({
    family: z.string(),
    run_id: z.string(),
    key: z.string(),
    params: z.record(z.string(), z.unknown()),
    inputs: z.array(
      z.object({ dataset_id: z.string(), version: z.string(), content_hash: z.string().optional() }),
    ),
    queries: z.array(z.object({ name: z.string(), sha256: z.string(), reference: z.string().optional() })),
    editions: z.record(z.string(), z.string()).optional(),
    code_version: z.string(),
    created_at: z.string(),
    notes: z.array(z.string()).optional(),
  })
  .openapi('Lineage');

export const MeasureDetail = z
  .object({
    family: z.string(),
    title: z.string(),
    reference: z.string().nullable(),
    keys: z.array(z.string()),
    run: z.object({
      run_id: z.string(),
      key: z.string(),
      created_at: z.string(),
      summary: z.record(z.string(), z.unknown()),
      files: z.array(z.object({ name: z.string(), url: z.string() })),
    }),
    lineage: LineageBody.nullable(),
  })
  .openapi('MeasureDetail');

export const QuerySource = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    grain: z.array(z.string()),
    inputs: z.array(z.string()),
    params: z.array(z.string()),
    reference: z.string().nullable(),
    sha256: z.string(),
    sql: z.string(),
  })
  .openapi('QuerySource');

export const Health = z.object({ ok: z.boolean(), storage: z.string() }).openapi('Health');
