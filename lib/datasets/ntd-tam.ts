// Transit asset inventory for the FTA TAM performance measures (49 CFR 625; research/transit.md §5):
// one row per agency × asset class × model year (vehicles), per facility, or per rail mode's track.
// A revenue-vehicle row may leave ulb_years empty: FTA's default ULB for its NTD vehicle type code
// (data/transit/tam_default_ulb.csv, see its README) is applied by int_tam__inventory_ulb. The
// agency's own ULB always wins. Service vehicles (equipment) must still carry their own ULB.
import { fileURLToPath } from 'node:url';
import type { Db } from '../engine/duckdb';
import { registerInput } from '../engine/runner';
import type { IngestJob } from '../ingest/job';
import type { TableSpec } from './spec';
import type { DatasetType } from './types';

export const tamFile: TableSpec = {
  name: 'ntd_tam_inventory',
  description: 'TAM asset inventory',
  columns: [
    {
      name: 'agency',
      type: 'VARCHAR',
      description: 'Agency (name or NTD ID)',
      required: true,
      notNull: true,
      aliases: ['ntd_id'],
    },
    {
      name: 'report_year',
      type: 'INTEGER',
      description: 'Year the condition is reported for',
      required: true,
      notNull: true,
      min: 1990,
      max: 2100,
      aliases: ['year', 'fiscal_year'],
    },
    {
      name: 'asset_category',
      type: 'VARCHAR',
      description:
        'rolling_stock (revenue vehicles), equipment (non-revenue service vehicles), facility, infrastructure (rail track)',
      required: true,
      notNull: true,
      aliases: ['category'],
    },
    {
      name: 'asset_class',
      type: 'VARCHAR',
      description: 'Asset class (BU bus, CU cutaway, LR, … ; facility type; rail mode)',
      required: true,
      aliases: ['class', 'vehicle_type'],
    },
    {
      name: 'quantity',
      type: 'INTEGER',
      description: 'Vehicles (or facilities) in the row',
      min: 0,
      aliases: ['count', 'vehicles'],
    },
    { name: 'model_year', type: 'INTEGER', description: 'Vehicle model year', min: 1900, max: 2100 },
    {
      name: 'ulb_years',
      type: 'DOUBLE',
      description:
        "Useful life benchmark of the class (years); empty for a revenue vehicle means FTA's default for its vehicle type code",
      min: 0,
      aliases: ['ulb'],
    },
    {
      name: 'term_rating',
      type: 'DOUBLE',
      description: 'Facility condition on the TERM scale (1 poor – 5 excellent)',
      min: 1,
      max: 5,
      aliases: ['term', 'condition'],
    },
    { name: 'track_miles', type: 'DOUBLE', description: 'Directional route-miles of track', min: 0 },
    {
      name: 'restricted_miles',
      type: 'DOUBLE',
      description: 'Directional route-miles under performance (speed) restriction',
      min: 0,
      aliases: ['slow_zone_miles'],
    },
    {
      name: 'target_pct',
      type: 'DOUBLE',
      description: 'Target for the class (percent not in state of good repair)',
      min: 0,
      max: 100,
      aliases: ['target'],
    },
  ],
};

export const TAM_DEFAULT_ULB_FILE = fileURLToPath(
  new URL('../../data/transit/tam_default_ulb.csv', import.meta.url),
);

/** The edition of the default table, for the lineage of runs that use it. */
export const TAM_DEFAULT_ULB_EDITION =
  'FTA Default Useful Life Benchmark (ULB) Cheat Sheet, 2016-10-26 (data/transit/tam_default_ulb.csv)';

/** Registers FTA's default ULB table as the `tam_default_ulb` input. */
export async function registerTamDefaultUlb(db: Db) {
  await registerInput(db, 'tam_default_ulb', {
    kind: 'csv',
    files: [TAM_DEFAULT_ULB_FILE],
    columns: {
      vehicle_type_code: 'VARCHAR',
      vehicle_type: 'VARCHAR',
      fta_asset_class: 'VARCHAR',
      default_ulb_years: 'DOUBLE',
    },
  });
}

export const dataset: DatasetType = {
  type: 'ntd_tam',
  title: 'Transit asset inventory (TAM)',
  description:
    'Revenue and service vehicles with model year and ULB, facilities with TERM ratings, track with restricted miles; for the FTA TAM state-of-good-repair measures and targets.',
  source: "The transit agencies' TAM plans / NTD asset inventory (A-series forms)",
  license: 'As provided by the agencies',
  keywords: ['transit', 'tam', 'state of good repair', 'ulb'],
  tables: [{ ...tamFile, name: 'tam_inventory', key: [] }],
  async ingest(job: IngestJob) {
    const file = job.single(/\.(csv|xlsx)$/i, {
      code: 'no_tam_file',
      message: 'no inventory CSV/XLSX was given',
      fix: 'give a CSV with agency, report_year, asset_category, asset_class, …',
    });
    if (!file) return;
    const read = await job.readTable(file, tamFile);
    if (!read) return;
    const cat = `lower(trim(asset_category))`;
    await registerTamDefaultUlb(job.db);
    await job.checkRows(read, [
      {
        code: 'unknown_category',
        severity: 'error',
        column: 'asset_category',
        where: `${cat} not in ('rolling_stock', 'equipment', 'facility', 'infrastructure')`,
        message: 'asset_category must be rolling_stock, equipment, facility or infrastructure',
      },
      {
        code: 'missing_model_year',
        severity: 'error',
        column: 'model_year',
        where: `${cat} in ('rolling_stock', 'equipment') and model_year is null`,
        message: 'vehicles need their model year to be scored against the useful life benchmark',
      },
      {
        code: 'missing_ulb',
        severity: 'error',
        column: 'ulb_years',
        where: `${cat} in ('rolling_stock', 'equipment') and ulb_years is null and not (${cat} = 'rolling_stock' and upper(trim(asset_class)) in (select upper(trim(vehicle_type_code)) from tam_default_ulb))`,
        message:
          "no useful life benchmark: the row has no ulb_years and FTA's default table has none for this class (service vehicles have no verified default)",
        fix: "give the agency's ULB in ulb_years, or use an NTD vehicle type code (BU, CU, VN, …) as asset_class for revenue vehicles",
      },
      {
        code: 'fta_default_ulb',
        severity: 'warning',
        quarantine: false,
        column: 'ulb_years',
        where: `${cat} = 'rolling_stock' and ulb_years is null and upper(trim(asset_class)) in (select upper(trim(vehicle_type_code)) from tam_default_ulb)`,
        message: "no ulb_years: FTA's default ULB for the vehicle type will be used",
      },
      {
        code: 'missing_term',
        severity: 'error',
        column: 'term_rating',
        where: `${cat} = 'facility' and term_rating is null`,
        message: 'facilities need a TERM rating',
      },
      {
        code: 'missing_track',
        severity: 'error',
        column: 'track_miles',
        where: `${cat} = 'infrastructure' and (track_miles is null or restricted_miles is null or restricted_miles > track_miles)`,
        message: 'track rows need track_miles and restricted_miles (not more than track_miles)',
      },
    ]);
    await job.db.run(
      `create or replace table tam_out as select * exclude (asset_category), ${cat} as asset_category from ${read.table}`,
    );
    job.publish({
      name: 'tam_inventory',
      table: 'tam_out',
      orderBy: ['agency', 'report_year', 'asset_category', 'asset_class'],
    });
  },
};
