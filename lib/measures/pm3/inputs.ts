// The inputs every PM3 run registers besides the curated datasets: FHWA reference tables from
// data/pm3 (with their editions, for the lineage), and optional tables that may be empty (speed
// limits, urbanized-area population, user sub-areas) so the queries always have them.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getVersion } from '../../catalog/catalog';
import { type InputRef, useDataset } from '../../compute/run-support';
import type { Ctx } from '../../context';
import type { Db } from '../../engine/duckdb';
import { registerInput } from '../../engine/runner';

export const PM3_DATA_DIR = fileURLToPath(new URL('../../../data/pm3/', import.meta.url));

export const REFERENCE_EDITIONS = {
  avo_factors: 'FHWA Average Vehicle Occupancy Factors, April 2018',
  volume_factors: 'FHWA-HIF-18-040 (June 2018) Tables 1.1, 1.2 and Figures 1.1-1.5',
};

const REFERENCE_TABLES: Record<string, Record<string, string>> = {
  avo_factors: { vehicle_type: 'VARCHAR', area: 'VARCHAR', avo: 'DOUBLE' },
  month_factors: { month: 'INTEGER', factor: 'DOUBLE' },
  dow_factors: { isodow: 'INTEGER', day: 'VARCHAR', factor: 'DOUBLE' },
  hourly_profiles: {
    profile_code: 'VARCHAR',
    functional_class: 'VARCHAR',
    day_type: 'VARCHAR',
    peaking: 'VARCHAR',
    congestion_level: 'VARCHAR',
    hour: 'INTEGER',
    pct_of_daily: 'DOUBLE',
  },
};

export async function registerReferenceTables(db: Db) {
  for (const [name, columns] of Object.entries(REFERENCE_TABLES)) {
    await registerInput(db, `pm3_${name}`, { kind: 'csv', files: [`${PM3_DATA_DIR}${name}.csv`], columns });
  }
}

/** Registers a dataset's table if it has been ingested, else an empty table of the given shape. */
export async function useOptionalDataset(
  ctx: Ctx,
  db: Db,
  datasetId: string,
  table: string,
  as: string,
  emptyShape: string,
): Promise<InputRef | null> {
  if (await getVersion(ctx.storage, datasetId)) return useDataset(ctx, db, datasetId, table, as);
  await db.run(`create or replace table ${as}__empty as select * from (${emptyShape}) where false`);
  await registerInput(db, as, { kind: 'table', table: `${as}__empty` });
  return null;
}

/** Sub-areas from a CSV (area_type, area_id, tmc_code), or none. */
export async function registerAreaMembers(db: Db, file: string | undefined) {
  if (file) {
    if (!existsSync(file)) throw new Error(`--areas: no such file ${file}`);
    await registerInput(db, 'pm3_area_members', {
      kind: 'csv',
      files: [file],
      columns: { area_type: 'VARCHAR', area_id: 'VARCHAR', tmc_code: 'VARCHAR' },
    });
    return;
  }
  await db.run(
    `create or replace table pm3_area_members__empty (area_type varchar, area_id varchar, tmc_code varchar)`,
  );
  await registerInput(db, 'pm3_area_members', { kind: 'table', table: 'pm3_area_members__empty' });
}
