import { z } from 'zod';

export const ColumnInfo = z.object({
  name: z.string(),
  type: z.string(),
  description: z.string().optional(),
  unit: z.string().optional(),
  nullable: z.boolean().optional(),
});
export type ColumnInfo = z.infer<typeof ColumnInfo>;

export const TableInfo = z.object({
  name: z.string(),
  rows: z.number(),
  columns: z.array(ColumnInfo),
  /** Storage keys of the Parquet files, relative to the store root. */
  files: z.array(z.string()),
  partitioning: z.array(z.string()).default([]),
  /** Longitude/latitude column pair, when rows have a point geometry. */
  geometry: z.object({ lon: z.string(), lat: z.string() }).optional(),
});
export type TableInfo = z.infer<typeof TableInfo>;

export const IssueSummary = z.object({
  errors: z.number(),
  warnings: z.number(),
  infos: z.number(),
  quarantined_rows: z.number(),
  /** Key of the full issue report (JSON) and quarantined rows (CSV), next to the version. */
  report_key: z.string(),
  quarantine_key: z.string().optional(),
});

export const VersionRecord = z.object({
  dataset_id: z.string(),
  version: z.string(),
  created_at: z.string(),
  /** SHA-256 over the raw input files (names and bytes): identical bytes make no new version. */
  content_hash: z.string(),
  raw_keys: z.array(z.string()),
  tables: z.array(TableInfo),
  issues: IssueSummary,
  params: z.record(z.string(), z.unknown()).default({}),
  lineage: z.object({
    code_version: z.string(),
    ingested_by: z.string(),
    sources: z.array(z.object({ file: z.string(), bytes: z.number(), sha256: z.string() })),
  }),
});
export type VersionRecord = z.infer<typeof VersionRecord>;

export const DatasetMeta = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  description: z.string(),
  source: z.string(),
  license: z.string(),
  keywords: z.array(z.string()).default([]),
  publisher: z.string().default('Corridor'),
});
export type DatasetMeta = z.infer<typeof DatasetMeta>;

export const Manifest = DatasetMeta.extend({
  current_version: z.string().nullable(),
  updated_at: z.string(),
  versions: z.array(
    z.object({ version: z.string(), created_at: z.string(), content_hash: z.string(), rows: z.number() }),
  ),
});
export type Manifest = z.infer<typeof Manifest>;
