// Rows that could not be used are kept, with why, in a CSV next to the version (or next to the
// rejected ingest's report), so nothing is silently dropped.
export interface QuarantinedRow {
  file: string;
  line?: number;
  record?: number;
  code: string;
  column?: string;
  message: string;
  raw?: string;
}

export class Quarantine {
  readonly rows: QuarantinedRow[] = [];
  add(row: QuarantinedRow) {
    this.rows.push(row);
  }
  get size() {
    return this.rows.length;
  }
  /** Distinct (file, line/record) pairs: several problems on one row count once. */
  get distinctRows() {
    return new Set(this.rows.map((r) => `${r.file}\0${r.line ?? `r${r.record}`}`)).size;
  }
  toCsv() {
    const esc = (v: unknown) => {
      const s = v === undefined || v === null ? '' : String(v);
      return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    };
    const head = 'file,line,record,code,column,message,raw_row';
    const body = this.rows.map((r) =>
      [r.file, r.line, r.record, r.code, r.column, r.message, r.raw].map(esc).join(','),
    );
    return `${[head, ...body].join('\n')}\n`;
  }
}
