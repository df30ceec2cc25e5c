// The PTASP reference tables (data/transit/nsp_measures.csv, ptasp_mode_groups.csv) as query inputs,
// and an empty event table for runs without event-level data, so the measure queries always have
// the same inputs. What the tables contain and where it comes from: data/transit/README.md.
import { fileURLToPath } from 'node:url';
import { getVersion } from '../catalog/catalog';
import { type InputRef, useDataset } from '../compute/run-support';
import type { Ctx } from '../context';
import { ptaspFile } from '../datasets/ntd-ptasp';
import type { Db } from '../engine/duckdb';
import { ident, queryRows } from '../engine/duckdb';
import { registerInput } from '../engine/runner';

const file = (name: string) => fileURLToPath(new URL(`../../data/transit/${name}`, import.meta.url));

export const NSP_MEASURES_FILE = file('nsp_measures.csv');
export const PTASP_MODE_GROUPS_FILE = file('ptasp_mode_groups.csv');

/** For the lineage of runs that use the measure table. */
export const NSP_EDITION =
  'National Public Transportation Safety Plan 2024 (89 FR 25316, 2024-04-10), data/transit/nsp_measures.csv';

export const NSP_MEASURE_COLUMNS = {
  measure_id: 'VARCHAR',
  title: 'VARCHAR',
  measure_set: 'VARCHAR',
  srrp: 'VARCHAR',
  kind: 'VARCHAR',
  numerator: 'VARCHAR',
  denominator: 'VARCHAR',
  multiplier: 'DOUBLE',
  unit: 'VARCHAR',
  better: 'VARCHAR',
  applies_to: 'VARCHAR',
  effective: 'VARCHAR',
  source: 'VARCHAR',
  basis: 'VARCHAR',
} as const;

export const MODE_GROUP_COLUMNS = {
  ntd_mode: 'VARCHAR',
  mode_name: 'VARCHAR',
  mode_group: 'VARCHAR',
  note: 'VARCHAR',
} as const;

/** Column types of the event-level table (lib/datasets/ntd-safety-events.ts publishes the same). */
export const PTASP_EVENT_COLUMNS = {
  agency: 'VARCHAR',
  event_id: 'VARCHAR',
  date: 'DATE',
  mode: 'VARCHAR',
  tos: 'VARCHAR',
  event_type: 'VARCHAR',
  collision_with: 'VARCHAR',
  fatalities: 'DOUBLE',
  injuries: 'DOUBLE',
  transit_worker_fatalities: 'DOUBLE',
  transit_worker_injuries: 'DOUBLE',
  assault_on_transit_worker: 'BOOLEAN',
  major: 'BOOLEAN',
} as const;

export async function registerNspReference(db: Db) {
  await registerInput(db, 'nsp_measures', {
    kind: 'csv',
    files: [NSP_MEASURES_FILE],
    columns: { ...NSP_MEASURE_COLUMNS },
  });
  await registerInput(db, 'ptasp_mode_groups', {
    kind: 'csv',
    files: [PTASP_MODE_GROUPS_FILE],
    columns: { ...MODE_GROUP_COLUMNS },
  });
}

/** An empty `ptasp_events` input: counts then come from the annual table alone. */
export async function registerNoPtaspEvents(db: Db) {
  const cols = Object.entries(PTASP_EVENT_COLUMNS)
    .map(([n, t]) => `null::${t} as ${n}`)
    .join(', ');
  await db.run(`create or replace table ptasp_events_empty as select ${cols} limit 0`);
  await registerInput(db, 'ptasp_events', { kind: 'table', table: 'ptasp_events_empty' });
}

/**
 * The PTASP measure queries' inputs besides ptasp_inputs: the reference tables, and the
 * event-level records when the ntd_safety_events dataset has a version (else an empty table).
 */
export async function usePtaspReference(ctx: Ctx, db: Db): Promise<InputRef[]> {
  await registerNspReference(db);
  await upgradeOlderPtaspInputs(db);
  if (await getVersion(ctx.storage, 'ntd_safety_events'))
    return [await useDataset(ctx, db, 'ntd_safety_events', 'ptasp_events')];
  await registerNoPtaspEvents(db);
  return [];
}

/** Columns renamed when the 2024 plan's names were adopted (notice p. 25321: safety events = major events). */
const RENAMED: Record<string, string> = {
  safety_events: 'major_events',
  target_event_rate: 'target_major_event_rate',
  target_assault_rate: 'target_assault_on_transit_worker_rate',
};

/**
 * A ptasp_inputs version ingested before the 2024 measures has the old column names and lacks
 * the new targets; it is read through a view that renames them and adds the missing as empty,
 * so the measures run without ingesting again.
 */
export async function upgradeOlderPtaspInputs(db: Db) {
  const have = new Set(
    (await queryRows<{ column_name: string }>(db, 'select column_name from (describe ptasp_inputs)')).map(
      (r) => r.column_name,
    ),
  );
  const select = ptaspFile.columns.map((c) => {
    if (have.has(c.name)) return ident(c.name);
    const old = Object.keys(RENAMED).find((o) => RENAMED[o] === c.name && have.has(o));
    return old ? `${ident(old)} as ${ident(c.name)}` : `null::${c.type} as ${ident(c.name)}`;
  });
  if (ptaspFile.columns.every((c) => have.has(c.name))) return;
  await db.run('alter view ptasp_inputs rename to ptasp_inputs_published');
  await db.run(`create view ptasp_inputs as select ${select.join(', ')} from ptasp_inputs_published`);
}
