// NPMRDS files as RITIS's Massive Data Downloader writes them (research/datasets.md §1;
// NPMRDS Descriptive Metadata v2 §4.1 and Appendix A). TMC_Identification.csv comes in 13-, 18-,
// 39- and 43-column variants: only `tmc` and `miles` are required here, the rest become typed
// NULLs when absent and the measures report which TMCs lack what they need.
import type { ColumnSpec, TableSpec } from './spec';

const int = (name: string, description: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type: 'INTEGER',
  description,
  ...extra,
});
const dbl = (name: string, description: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type: 'DOUBLE',
  description,
  ...extra,
});
const txt = (name: string, description: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type: 'VARCHAR',
  description,
  ...extra,
});

export const tmcIdentificationSpec: TableSpec = {
  name: 'tmc_identification',
  description: 'NPMRDS TMC_Identification (one row per TMC segment, with HPMS attributes)',
  key: ['tmc'],
  columns: [
    txt('tmc', 'TMC path code, e.g. 129+05307', { required: true, notNull: true, aliases: ['tmc_code'] }),
    txt('road', 'Road name or number'),
    txt('direction', 'Direction of travel, spelled out (NORTHBOUND …)'),
    txt('intersection', 'Cross street at the segment end'),
    txt('state', 'State abbreviation'),
    txt('county', 'County name'),
    txt('zip', 'ZIP code (text: leading zeros matter)'),
    dbl('start_latitude', 'Start latitude', { unit: 'degrees' }),
    dbl('start_longitude', 'Start longitude', { unit: 'degrees' }),
    dbl('end_latitude', 'End latitude', { unit: 'degrees' }),
    dbl('end_longitude', 'End longitude', { unit: 'degrees' }),
    dbl('miles', 'Segment length', { unit: 'miles', required: true, min: 0 }),
    dbl('road_order', 'Order of the segment along its road'),
    txt(
      'timezone_name',
      'IANA time zone of the TMC, e.g. America/New_York (readings are in this local time)',
    ),
    txt('type', 'TMC point type (P1.x normal, P3.x boundary/toll/bridge, P4.x ramp)'),
    txt('country', 'Country'),
    txt('tmclinear', 'TMC linear id'),
    int('frc', 'Functional road class of the map provider'),
    txt('border_set', 'Border TMC (Y/N)'),
    int('f_system', 'HPMS functional system (1 Interstate … 7 local)', { min: 1, max: 7 }),
    int('urban_code', 'Census urban area code (99998 small urban, 99999 rural)'),
    int(
      'faciltype',
      'HPMS facility type (1 one-way, 2 two-way, 4 ramp, 5 non-mainline, 6 non-inventory direction, 7 planned)',
    ),
    int('structype', 'HPMS structure type (1 bridge, 2 tunnel, 3 causeway)'),
    int('thrulanes', 'Through lanes, both directions'),
    txt('route_numb', 'Route number'),
    int('route_sign', 'HPMS route signing'),
    int('route_qual', 'HPMS route qualifier'),
    txt('altrtename', 'Alternative route name'),
    dbl('aadt', 'Annual average daily traffic, both directions', { unit: 'vehicles/day', min: 0 }),
    dbl('aadt_singl', 'AADT of single-unit trucks and buses, both directions', {
      unit: 'vehicles/day',
      min: 0,
    }),
    dbl('aadt_combi', 'AADT of combination trucks, both directions', { unit: 'vehicles/day', min: 0 }),
    int('nhs', 'NHS code (1 non-connector NHS, 2–9 intermodal connectors; 0 or empty off the NHS)'),
    dbl('nhs_pct', 'Share of the TMC length on the NHS', { unit: 'percent', min: 0, max: 100 }),
    int('strhnt_typ', 'STRAHNET type'),
    dbl('strhnt_pct', 'Share of the TMC length on STRAHNET', { unit: 'percent' }),
    int('truck', 'National truck network'),
    int('isprimary', '0 when the TMC overlaps another'),
    txt('active_start_date', 'Start of the TMC validity window'),
    txt('active_end_date', 'End of the TMC validity window'),
    dbl('thrulanes_unidir', 'Through lanes in this direction (2022+ files)'),
    dbl('aadt_unidir', 'Directional AADT (2022+ files; aadt/2 rounded up on two-way facilities)', {
      unit: 'vehicles/day',
    }),
    dbl('aadt_singl_unidir', 'Directional single-unit AADT (2022+ files)', { unit: 'vehicles/day' }),
    dbl('aadt_combi_unidir', 'Directional combination-truck AADT (2022+ files)', { unit: 'vehicles/day' }),
  ],
};

/** One readings CSV of the MDD export (all vehicles, passenger vehicles or trucks). */
export const readingsFileSpec: TableSpec = {
  name: 'npmrds_readings_file',
  description: 'NPMRDS travel-time readings (tmc_code, measurement_tstamp, travel_time_seconds or _minutes)',
  columns: [
    txt('tmc_code', 'TMC path code', { required: true, aliases: ['tmc'] }),
    txt('measurement_tstamp', 'Start of the epoch (local time, or with an offset)', { required: true }),
    dbl('travel_time_seconds', 'Travel time', { unit: 's', aliases: ['travel_time_all_vehicles'] }),
    dbl('travel_time_minutes', 'Travel time', { unit: 'min' }),
    txt('datasource', 'Which NPMRDS data set the row is from, in merged exports'),
  ],
};

/** The curated readings: 15-minute epochs in the TMC's local time, partitioned by year and shard. */
export const readingsSpec: TableSpec = {
  name: 'readings',
  description: 'NPMRDS 15-minute travel times per TMC, vehicle class and epoch, in local time',
  key: ['tmc_code', 'vehicle_class', 'measurement_tstamp'],
  columns: [
    txt('tmc_code', 'TMC path code'),
    txt('vehicle_class', 'all, passenger or truck'),
    {
      name: 'measurement_tstamp',
      type: 'TIMESTAMP',
      description: 'Start of the 15-minute epoch, local wall-clock time of the TMC',
    },
    dbl(
      'travel_time_seconds',
      'Mean travel time of the epoch (arithmetic mean of 5-minute travel times when 5-minute data were given)',
      { unit: 's' },
    ),
    int('readings', 'Input rows merged into the epoch (3 for 5-minute data)'),
    int('year', 'Calendar year of the epoch (partition)'),
    int('shard', 'hash(tmc_code) % 16 (partition)'),
  ],
};

export const epochsSpec: TableSpec = {
  name: 'epochs',
  description:
    'One row per TMC and 15-minute epoch with the all-vehicle travel time and the freight travel time (truck, else all-vehicle: FHWA-HIF-18-040 p. 2-16), built from the readings at ingest for PM3 (queries/pm3/int_npmrds__epochs.sql)',
  key: ['tmc_code', 'measurement_tstamp'],
  columns: [
    txt('tmc_code', 'TMC path code'),
    {
      name: 'measurement_tstamp',
      type: 'TIMESTAMP',
      description: 'Start of the 15-minute epoch, local wall-clock time of the TMC',
    },
    dbl('tt_all', 'All-vehicle travel time of the epoch; empty when only trucks were observed', {
      unit: 's',
    }),
    dbl('tt_freight', 'Truck travel time of the epoch, or the all-vehicle time where no truck time exists', {
      unit: 's',
    }),
    { name: 'truck_substituted', type: 'BOOLEAN', description: 'tt_freight is the all-vehicle time' },
    int('year', 'Calendar year of the epoch (partition)'),
    int('shard', 'hash(tmc_code) % 16 (partition)'),
  ],
};
