// Source tables are declared once, in the publisher's column spelling. The declaration drives
// DuckDB's typed CSV read (so type errors come back with line and column), the required-column
// check, and the zod schema the API serves as the data dictionary.
import { z } from 'zod';

export type ColumnType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DATE' | 'TIMESTAMP' | 'BOOLEAN';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  description: string;
  unit?: string;
  /** Missing column rejects the file; present but empty values are checked separately (notNull). */
  required?: boolean;
  notNull?: boolean;
  /** Other spellings seen in real files (matched case-insensitively, ignoring spaces/underscores). */
  aliases?: string[];
  min?: number;
  max?: number;
}

export interface TableSpec {
  name: string;
  description: string;
  columns: ColumnSpec[];
  /** Columns that identify a row; duplicates are reported. */
  key?: string[];
}

export function normaliseHeader(h: string) {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '');
}

export function zodForTable(spec: TableSpec) {
  const shape: Record<string, z.ZodType> = {};
  for (const c of spec.columns) {
    let t: z.ZodType;
    if (c.type === 'VARCHAR' || c.type === 'DATE' || c.type === 'TIMESTAMP') t = z.string();
    else if (c.type === 'BOOLEAN') t = z.boolean();
    else {
      let n = c.type === 'DOUBLE' ? z.number() : z.number().int();
      if (c.min !== undefined) n = n.min(c.min);
      if (c.max !== undefined) n = n.max(c.max);
      t = n;
    }
    const desc = c.unit ? `${c.description} (${c.unit})` : c.description;
    shape[c.name] = (c.notNull || c.required ? t : t.nullable()).describe(desc);
  }
  return z.object(shape).describe(spec.description);
}

/** The data dictionary: one entry per column, from the zod schema's JSON Schema. */
export function dataDictionary(spec: TableSpec) {
  const json = z.toJSONSchema(zodForTable(spec), { unrepresentable: 'any' }) as {
    properties?: Record<string, { description?: string }>;
  };
  return spec.columns.map((c) => ({
    name: c.name,
    type: c.type,
    description: json.properties?.[c.name]?.description ?? c.description,
    unit: c.unit,
    required: Boolean(c.required),
  }));
}
