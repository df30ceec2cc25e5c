// Value rules for GTFS fields (reference.md "Field Types") as row checks on the text table, and
// the typed table built once every bad row is quarantined. Predicates are written here, never
// taken from input; column names come from our spec.
import { ident } from '../engine/duckdb';
import type { RowCheck } from '../ingest/job';
import type { GtfsColumn, GtfsFile } from './gtfs-spec';

const TIME = `'\\d{1,3}:[0-5]\\d:[0-5]\\d'`;

export function valueChecks(spec: GtfsFile, table: string, present: string[]): RowCheck[] {
  const checks: RowCheck[] = [];
  for (const c of spec.columns) {
    if (!present.includes(c.name)) continue;
    const col = ident(c.name);
    if (c.notNull) {
      checks.push({
        code: 'missing_required_field',
        severity: 'error',
        column: c.name,
        where: `${col} is null or trim(${col}) = ''`,
        message: `${c.name} is required on every row`,
        fix: `fill in ${c.name}; the row was left out`,
      });
    }
    const bad = invalid(c);
    if (bad)
      checks.push({
        ...bad,
        severity: 'error',
        column: c.name,
        fix: 'correct the value; the row was left out',
      });
    if (c.min !== undefined || c.max !== undefined) {
      const v = `try_cast(trim(${col}) as double)`;
      const cond = [
        c.min !== undefined ? `${v} < ${c.min}` : '',
        c.max !== undefined ? `${v} > ${c.max}` : '',
      ]
        .filter(Boolean)
        .join(' or ');
      checks.push({
        code: 'number_out_of_range',
        severity: 'error',
        column: c.name,
        where: `(${cond})`,
        message: `${c.name} must be ${rangeText(c)}`,
        fix: 'correct the value; the row was left out',
      });
    }
  }
  if (spec.key.length && spec.key.every((k) => present.includes(k))) {
    const k = spec.key.map(ident).join(', ');
    checks.push({
      code: 'duplicate_key',
      severity: 'error',
      column: spec.key[0],
      where: `__row in (select __row from (select __row, row_number() over (partition by ${k} order by __row) as n from ${table}) where n > 1)`,
      message: `another row has the same ${spec.key.join(' + ')}; the first one is kept`,
      fix: 'remove the duplicate row',
    });
  }
  return checks;
}

function invalid(c: GtfsColumn): Pick<RowCheck, 'code' | 'where' | 'message'> | null {
  const col = ident(c.name);
  const given = `${col} is not null and trim(${col}) <> ''`;
  switch (c.kind) {
    case 'time':
      return {
        code: 'invalid_time',
        where: `${given} and not regexp_full_match(trim(${col}), ${TIME})`,
        message: `${c.name} must be a GTFS time H:MM:SS (hours may exceed 24)`,
      };
    case 'date':
      return {
        code: 'invalid_date',
        where: `${given} and (not regexp_full_match(trim(${col}), '\\d{8}') or try_strptime(trim(${col}), '%Y%m%d') is null)`,
        message: `${c.name} must be a date YYYYMMDD`,
      };
    case 'int':
      return {
        code: 'invalid_integer',
        where: `${given} and try_cast(trim(${col}) as bigint) is null`,
        message: `${c.name} must be a whole number`,
      };
    case 'float':
      return {
        code: 'invalid_float',
        where: `${given} and try_cast(trim(${col}) as double) is null`,
        message: `${c.name} must be a number`,
      };
    default:
      return null;
  }
}

function rangeText(c: GtfsColumn) {
  if (c.min !== undefined && c.max !== undefined) return `between ${c.min} and ${c.max}`;
  return c.min !== undefined ? `at least ${c.min}` : `at most ${c.max}`;
}

/** Seconds since noon−12h of the service day; GTFS hours may pass 24 (and 48, for multi-day trips). */
export function secondsExpr(col: string) {
  const t = `trim(${col})`;
  return `case when ${col} is null or ${t} = '' then null else split_part(${t}, ':', 1)::integer * 3600 + split_part(${t}, ':', 2)::integer * 60 + split_part(${t}, ':', 3)::integer end`;
}

/** The typed select over the text table: names from the spec, `feed_id` first. Times become *_secs. */
export function typedSelect(spec: GtfsFile, table: string) {
  const cols = spec.columns.map((c) => {
    const col = ident(c.name);
    const v = `nullif(trim(${col}), '')`;
    switch (c.kind) {
      case 'time':
        return `${secondsExpr(col)} as ${ident(c.name.replace(/_time$/, '_secs'))}`;
      case 'date':
        return `strptime(${v}, '%Y%m%d')::date as ${col}`;
      case 'int':
        return `${v}::integer as ${col}`;
      case 'float':
        return `${v}::double as ${col}`;
      default:
        return `${v} as ${col}`;
    }
  });
  return `select __row, $feed_id::varchar as feed_id, ${cols.join(', ')} from ${table}`;
}
