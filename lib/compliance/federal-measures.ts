// The federal system-performance measures an MPO reports targets and progress for, with the rule
// each comes from (23 CFR 490.507, 490.607, 490.707 — checked against the final rule, 82 FR 5970,
// in data/reference-docs) and where Corridor finds its value among computed results.
export interface FederalMeasure {
  id: string;
  name: string;
  rule: string;
  appliesTo: string;
  unit: string;
  higherIsBetter: boolean;
  /** Result family and how to read the region's value from its rows. */
  family: string;
  file: string;
  /** Region-wide value per year from the result rows. */
  value(rows: Record<string, unknown>[]): { year: number | null; value: number | null }[];
}

const num = (v: unknown) =>
  v === null || v === undefined || v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : null;

const pm3Region = (col: string) => (rows: Record<string, unknown>[]) =>
  rows.filter((r) => r.area_type === 'region').map((r) => ({ year: num(r.year), value: num(r[col]) }));

export const FEDERAL_MEASURES: FederalMeasure[] = [
  {
    id: 'pm3_interstate_reliable',
    name: 'Percent of person-miles traveled on the Interstate that are reliable',
    rule: '23 CFR 490.507(a)(1)',
    appliesTo: 'Interstate',
    unit: 'percent',
    higherIsBetter: true,
    family: 'pm3',
    file: 'pm3_measures.csv',
    value: pm3Region('interstate_reliable_pmt_pct'),
  },
  {
    id: 'pm3_non_interstate_reliable',
    name: 'Percent of person-miles traveled on the non-Interstate NHS that are reliable',
    rule: '23 CFR 490.507(a)(2)',
    appliesTo: 'Non-Interstate NHS',
    unit: 'percent',
    higherIsBetter: true,
    family: 'pm3',
    file: 'pm3_measures.csv',
    value: pm3Region('non_interstate_reliable_pmt_pct'),
  },
  {
    id: 'pm3_tttr',
    name: 'Truck Travel Time Reliability (TTTR) Index',
    rule: '23 CFR 490.607',
    appliesTo: 'Interstate',
    unit: 'index',
    higherIsBetter: false,
    family: 'pm3',
    file: 'pm3_measures.csv',
    value: pm3Region('tttr_index'),
  },
  {
    id: 'pm3_phed',
    name: 'Annual hours of peak hour excessive delay (PHED) per capita',
    rule: '23 CFR 490.707(a)',
    appliesTo: 'Urbanized area',
    unit: 'hours per capita',
    higherIsBetter: false,
    family: 'pm3',
    file: 'pm3_phed_per_capita.csv',
    // One row per urbanized area; an MPO spanning several reports each. Here: the largest.
    value: (rows) =>
      [...rows]
        .sort((a, b) => (num(b.population) ?? 0) - (num(a.population) ?? 0))
        .slice(0, 1)
        .map((r) => ({ year: num(r.year), value: num(r.phed_hours_per_capita) })),
  },
  {
    id: 'pm3_non_sov',
    name: 'Percent of non-single-occupancy-vehicle (non-SOV) travel',
    rule: '23 CFR 490.707(b)',
    appliesTo: 'Urbanized area',
    unit: 'percent',
    higherIsBetter: true,
    family: 'commute_mode',
    file: 'acs_non_sov_share.csv',
    // The region's share: all workers of its geographies together, per ACS year.
    value: (rows) => {
      const by = new Map<number, { w: number; n: number }>();
      for (const r of rows) {
        const y = num(r.year);
        const w = num(r.workers);
        const n = num(r.non_sov_workers);
        if (y === null || w === null || n === null) continue;
        const a = by.get(y) ?? { w: 0, n: 0 };
        a.w += w;
        a.n += n;
        by.set(y, a);
      }
      return [...by.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([year, a]) => ({ year, value: a.w ? Math.round((1000 * a.n) / a.w) / 10 : null }));
    },
  },
];
