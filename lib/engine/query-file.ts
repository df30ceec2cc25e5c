// A query file is one output table. Its header says what it is:
//   -- grain: tmc_code, period        (unique, not null: checked after every run)
//   -- inputs: stg_npmrds__readings    (other queries or registered inputs)
//   -- params: year, peak_pm           (bound as $year, $peak_pm; never spliced)
//   -- reference: 23 CFR 490.511(a)
// The name is the file name without .sql (STYLE.md §1-2).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

export interface QueryFile {
  name: string;
  path: string;
  sql: string;
  sha256: string;
  grain: string[];
  inputs: string[];
  params: string[];
  reference?: string;
  description?: string;
}

const NAME = /^[a-z][a-z0-9_]*$/;

export function parseQueryFile(path: string, text = readFileSync(path, 'utf8')): QueryFile {
  const name = basename(path, '.sql');
  if (!NAME.test(name))
    throw new Error(`${path}: a query's file name must be snake_case (it becomes the table name)`);
  const header: Record<string, string> = {};
  const description: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^--\s?(.*)$/.exec(line.trim());
    if (!m) break;
    const kv = /^([a-z_]+):\s*(.*)$/.exec(m[1]!.trim());
    if (kv && ['name', 'grain', 'inputs', 'params', 'reference'].includes(kv[1]!))
      header[kv[1]!] = kv[2]!.trim();
    else if (m[1]!.trim()) description.push(m[1]!.trim());
  }
  if (header.name && header.name !== name) {
    throw new Error(`${path}: header says name ${header.name} but the file is ${name}.sql`);
  }
  if (header.grain === undefined) throw new Error(`${path}: missing "-- grain:" header line`);
  const list = (s?: string) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x && x !== 'none');
  const q: QueryFile = {
    name,
    path,
    sql: text,
    sha256: createHash('sha256').update(text).digest('hex'),
    grain: list(header.grain),
    inputs: list(header.inputs),
    params: list(header.params),
    reference: header.reference,
    description: description.join(' ') || undefined,
  };
  for (const p of q.params) {
    if (!NAME.test(p)) throw new Error(`${path}: parameter name ${p} must be snake_case`);
    if (!new RegExp(`\\$${p}\\b`).test(text))
      throw new Error(`${path}: declares param ${p} but never uses $${p}`);
  }
  const used = new Set([...text.matchAll(/\$([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!));
  for (const u of used) {
    if (!q.params.includes(u)) throw new Error(`${path}: uses $${u} but does not declare it in "-- params:"`);
  }
  return q;
}

/** Every query under a folder (recursively), keyed by name; names must be unique. */
export function loadQueries(dir: string): Map<string, QueryFile> {
  const out = new Map<string, QueryFile>();
  const walk = (d: string) => {
    for (const ent of readdirSync(d).sort()) {
      const p = join(d, ent);
      if (statSync(p).isDirectory()) walk(p);
      else if (ent.endsWith('.sql')) {
        const q = parseQueryFile(p);
        const prev = out.get(q.name);
        if (prev)
          throw new Error(`two queries named ${q.name}: ${relative(dir, prev.path)} and ${relative(dir, p)}`);
        out.set(q.name, q);
      }
    }
  };
  walk(dir);
  return out;
}
