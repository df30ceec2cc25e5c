// How each measure family is shown: which result file holds the headline numbers, what to chart
// and what to map. Families plug in here by name; a family without an entry gets the generic
// view (first CSV result as a table, a chart of its first numeric column by year when it has one,
// a map when it has lon/lat columns).
export interface HeadlineSpec {
  label: string;
  /** Column with the value; rows filtered by `where` (column → value). */
  column: string;
  where?: Record<string, string>;
  /** Column holding the year for the trend (rows per year). */
  by?: string;
  format: 'pct' | 'number' | 'ratio';
  /** Whether a larger number is better (for the arrow against the target). */
  higherIsBetter: boolean;
  /** Column or summary key with the target, if the family publishes targets. */
  targetColumn?: string;
}

export interface ChartSpec {
  title: string;
  x: string;
  y: string;
  /** Column naming the series (one line per value). */
  series?: string;
  format: 'pct' | 'number' | 'ratio';
  yLabel: string;
}

export type MapSpec =
  | {
      kind: 'tmc';
      title: string;
      /** Result column joined to the NPMRDS TMC table's tmc, and the value to colour by. */
      key: string;
      value: string;
      valueLabel: string;
    }
  | {
      kind: 'stops';
      title: string;
      key: string;
      value: string;
      valueLabel: string;
    }
  | { kind: 'lonlat'; title: string; lon: string; lat: string; value: string; valueLabel: string };

export interface FamilyView {
  /** Result file (basename) with the measure rows. */
  file: string;
  headline?: HeadlineSpec;
  chart?: ChartSpec;
  map?: MapSpec & { file?: string };
  /** Columns to show in the table (default: all). */
  columns?: string[];
}

export const familyViews: Record<string, FamilyView> = {
  commute_mode: {
    file: 'acs_non_sov_share.csv',
    headline: {
      label: 'Non-single-occupancy-vehicle commute share (largest county)',
      column: 'non_sov_share',
      by: 'year',
      format: 'pct',
      higherIsBetter: true,
    },
    chart: {
      title: 'Non-SOV commute share by county',
      x: 'year',
      y: 'non_sov_share',
      series: 'name',
      format: 'pct',
      yLabel: 'Share of workers not driving alone',
    },
    columns: ['name', 'year', 'workers', 'non_sov_share', 'non_sov_share_moe'],
  },
  pm3: {
    file: 'pm3_measures.csv',
    headline: {
      label: 'Interstate person-miles traveled that are reliable (%)',
      column: 'interstate_reliable_pmt_pct',
      where: { area_type: 'region' },
      format: 'number',
      higherIsBetter: true,
    },
    map: {
      kind: 'tmc',
      file: 'pm3_tmc.csv',
      title: 'TMC segments by worst-period LOTTR',
      key: 'tmc_code',
      value: 'lottr_max',
      valueLabel: 'LOTTR',
    },
  },
  transit: {
    file: 'transit_stop_service.csv',
    map: {
      kind: 'lonlat',
      title: 'Stops by departures on the service date',
      lon: 'stop_lon',
      lat: 'stop_lat',
      value: 'departures',
      valueLabel: 'departures',
    },
    columns: [
      'feed_id',
      'stop_id',
      'stop_name',
      'departures',
      'routes',
      'am_peak_departures',
      'pm_peak_departures',
      'frequent',
    ],
  },
};
