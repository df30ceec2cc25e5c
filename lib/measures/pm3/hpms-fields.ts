// The 41 fields of the HPMS Travel Time Metric Specifications dataset, in order, with their data
// types and valid values (HPMS Field Manual Supplemental Guidance, Feb 2018 with revisions through
// Apr 25 2018, Table 1; research/tpm-measures.md §2.9). Aliases are spellings seen in real State
// files (West Virginia's 2021 file uses the HPMS 9 names BeginDate, StateID, UrbanID).
export type HpmsKind = 'int' | 'dec' | 'text';

export interface HpmsField {
  name: string;
  kind: HpmsKind;
  /** Digits allowed (Numeric(n)) or total/scale (Decimal(p,s)), or characters for text. */
  digits?: number;
  scale?: number;
  min?: number;
  /** Valid codes, when the field is a code list. */
  codes?: number[];
  /** Must be present on every row; `interstate` = required where F_System = 1. */
  required?: boolean | 'interstate';
  aliases?: string[];
}

const lottr = (p: string, n: string, hi: string): HpmsField[] => [
  { name: `LOTTR_${p}`, kind: 'dec', digits: 4, scale: 2, min: 1, required: true },
  { name: `TT_${p}50PCT`, kind: 'int', digits: 5, min: 0, required: true, aliases: n ? [n] : [] },
  { name: `TT_${p}${hi}PCT`, kind: 'int', digits: 5, min: 0, required: true },
];
const tttr = (p: string): HpmsField[] => [
  { name: `TTTR_${p}`, kind: 'dec', digits: 4, scale: 2, min: 1, required: 'interstate' },
  { name: `TTT_${p}50PCT`, kind: 'int', digits: 5, min: 0, required: 'interstate' },
  { name: `TTT_${p}95PCT`, kind: 'int', digits: 5, min: 0, required: 'interstate' },
];

export const HPMS_FIELDS: HpmsField[] = [
  {
    name: 'Year_Record',
    kind: 'int',
    digits: 4,
    min: 2017,
    required: true,
    aliases: ['BeginDate', 'Begin_Date'],
  },
  { name: 'State_Code', kind: 'int', digits: 2, min: 1, required: true, aliases: ['StateID', 'State_ID'] },
  { name: 'Travel_Time_Code', kind: 'text', digits: 50, required: true },
  {
    name: 'F_System',
    kind: 'int',
    digits: 1,
    codes: [1, 2, 3, 4, 5, 6, 7],
    required: true,
    aliases: ['FSystem'],
  },
  { name: 'Urban_Code', kind: 'int', digits: 5, min: 1, required: true, aliases: ['UrbanID', 'Urban_ID'] },
  {
    name: 'Facility_Type',
    kind: 'int',
    digits: 1,
    codes: [1, 2, 6],
    required: true,
    aliases: ['FacilityType'],
  },
  { name: 'NHS', kind: 'int', digits: 1, codes: [-1, 1, 2, 3, 4, 5, 6, 7, 8, 9], required: true },
  { name: 'Segment_Length', kind: 'dec', digits: 8, scale: 3, min: 0, required: true },
  {
    name: 'Directionality',
    kind: 'int',
    digits: 1,
    codes: [1, 2, 3, 4, 5],
    required: true,
    aliases: ['Directiolity'],
  },
  { name: 'DIR_AADT', kind: 'int', digits: 6, min: 1, required: true },
  ...lottr('AMP', '', '80'),
  ...lottr('MIDD', '', '80'),
  ...lottr('PMP', '', '80'),
  ...lottr('WE', '', '80'),
  ...tttr('AMP'),
  ...tttr('MIDD'),
  ...tttr('PMP'),
  ...tttr('WE'),
  ...tttr('OVN'),
  { name: 'PHED', kind: 'dec', digits: 13, scale: 3, min: 0 },
  { name: 'OCC_FAC', kind: 'dec', digits: 3, scale: 1, min: 1 },
  { name: 'METRIC_SOURCE', kind: 'int', digits: 1, codes: [1, 2], required: true },
  { name: 'Comments', kind: 'text', digits: 100 },
];

/** snake_case column name used in the curated table and SQL. */
export const columnOf = (f: HpmsField) => f.name.toLowerCase();
