// What a dataset type's ingest() works with: the user's files, a DuckDB connection, and helpers
// that record every problem as an issue and every unusable row in the quarantine.
import { join } from 'node:path';
import type { Ctx } from '../context';
import type { TableSpec } from '../datasets/spec';
import type { DatasetType } from '../datasets/types';
import { type Db, ident, queryRows } from '../engine/duckdb';
import type { IssueCollector, Severity } from './issues';
import type { Quarantine } from './quarantine';
import { type CsvOptions, type CsvRead, lineOfRow, readCsv, recordsAreLines } from './read-csv';
import type { SourceFile } from './sources';
import { asUtf8 } from './text';
import { xlsxToCsv } from './xlsx';

export interface RowCheck {
  code: string;
  severity: Extract<Severity, 'error' | 'warning'>;
  column?: string;
  /** A SQL predicate over the table's columns, written in code (never from input). */
  where: string;
  message: string;
  fix?: string;
  /** Remove flagged rows from the table into the quarantine (default: true for errors). */
  quarantine?: boolean;
}

export interface OutputTable {
  name: string;
  table: string;
  partitionBy?: string[];
  orderBy?: string[];
  geometry?: { lon: string; lat: string };
  /** Built from another published table of the same ingest: not counted again in rowsPublished. */
  derived?: boolean;
}

export class IngestJob {
  readonly outputs: OutputTable[] = [];
  /** Rows read from input files (before any quarantine), for the "nothing dropped" count. */
  rowsRead = 0;
  private filesRead = 0;
  private exactLines = new Map<string, boolean>();

  constructor(
    readonly ctx: Ctx,
    readonly db: Db,
    readonly type: DatasetType,
    readonly datasetId: string,
    readonly files: SourceFile[],
    readonly flags: Record<string, string | boolean>,
    readonly issues: IssueCollector,
    readonly quarantine: Quarantine,
    readonly scratch: string,
  ) {}

  /** Files whose name (last path segment) matches. */
  find(pattern: RegExp) {
    return this.files.filter((f) => pattern.test(f.name.split('/').at(-1) ?? f.name));
  }

  /** The one input file matching, or null with an error saying what to give (and none is read). */
  single(pattern: RegExp, missing: { code: string; message: string; fix: string }): SourceFile | null {
    const file = this.find(pattern)[0];
    if (!file) this.issues.error(missing);
    return file ?? null;
  }

  /** Read a CSV, or the first sheet of an .xlsx, into a table shaped by the spec. */
  async readTable(
    file: SourceFile,
    spec: TableSpec,
    opts: CsvOptions & { sheet?: string } = {},
  ): Promise<CsvRead | null> {
    this.filesRead++;
    this.ctx.progress.update(
      `${this.datasetId}: reading ${file.name}`,
      this.filesRead,
      this.files.length,
      'files',
    );
    let source = file;
    if (/\.xlsx$/i.test(file.name)) {
      const csv = await xlsxToCsv(file, this.scratch, this.issues, opts.sheet);
      if (!csv) return null;
      source = { ...file, localPath: csv };
    }
    const utf8 = await asUtf8(source, this.scratch, this.issues);
    if (!utf8) return null;
    const read = await readCsv(this.db, file, utf8, spec, this.issues, this.quarantine, opts);
    if (read) this.rowsRead += read.rows + read.rejectedRows;
    return read;
  }

  /** Flag rows by rule; errors (by default) move the rows to the quarantine. */
  async checkRows(read: CsvRead, checks: RowCheck[]) {
    for (const c of checks) {
      const col = c.column ? `cast(${ident(c.column)} as varchar)` : 'null';
      const flagged = await queryRows<{ __row: number; value: string | null }>(
        this.db,
        `select __row, ${col} as value from ${read.table} where ${c.where} order by __row`,
      );
      if (!flagged.length) continue;
      const exact = await this.linesExact(read);
      const where = (row: number) => (exact ? { line: lineOfRow(read.table, row) } : { record: row });
      flagged.slice(0, 20).forEach((r) => {
        const w = where(r.__row);
        this.issues.add({
          code: c.code,
          severity: c.severity,
          file: read.file.name,
          line: w.line,
          column: c.column,
          message: w.record ? `${c.message} (data record ${w.record})` : c.message,
          value: r.value ?? undefined,
          fix: c.fix,
        });
      });
      if (flagged.length > 20) {
        this.issues.add({
          code: c.code,
          severity: c.severity,
          file: read.file.name,
          column: c.column,
          message: `${flagged.length - 20} more rows: ${c.message}`,
          count: flagged.length - 20,
        });
      }
      if (c.quarantine ?? c.severity === 'error') {
        for (const r of flagged) {
          this.quarantine.add({
            file: read.file.name,
            ...where(r.__row),
            code: c.code,
            column: c.column,
            message: c.message,
            raw: r.value ?? '',
          });
        }
        await this.db.run(`delete from ${read.table} where ${c.where}`);
      }
    }
  }

  /** Mark a table for publishing as a curated table of this dataset. */
  publish(output: OutputTable) {
    if (!/^[a-z][a-z0-9_]*$/.test(output.name))
      throw new Error(`output table name ${output.name} must be snake_case`);
    this.outputs.push(output);
  }

  scratchPath(name: string) {
    return join(this.scratch, name);
  }

  private async linesExact(read: CsvRead) {
    if (!this.exactLines.has(read.table)) {
      this.exactLines.set(read.table, await recordsAreLines(read.table, read.rows));
    }
    return this.exactLines.get(read.table)!;
  }
}
