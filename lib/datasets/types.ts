import type { IngestJob } from '../ingest/job';
import type { SourceFile } from '../ingest/sources';
import type { TableSpec } from './spec';

/**
 * A kind of dataset Corridor can ingest (ACS commute mode, NPMRDS, GTFS, …). Its `ingest` reads
 * the user's files into DuckDB tables through the job's helpers and names the tables to publish;
 * the framework does hashing, raw copies, issue reports, quarantine, Parquet and the atomic publish.
 */
export interface DatasetType {
  type: string;
  title: string;
  description: string;
  source: string;
  license: string;
  keywords?: string[];
  /** Needs `--name` (several instances per region, e.g. one GTFS feed per agency). */
  named?: boolean;
  /** The curated tables it publishes (data dictionary). */
  tables: TableSpec[];
  /** Whether these files look like this dataset (for `corridor ingest` without --dataset). */
  detect?(files: SourceFile[]): boolean;
  ingest(job: IngestJob): Promise<void>;
}
