// Parameter editions as data (data/bca/*.csv): each USDOT guidance edition with its dollar year,
// discount-rate policy and BCR cost convention, the monetisation values it lists, and the price
// index used to restate dollars. A run pins one edition and records it in its lineage.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { csvRecords } from './csv';

export const DATA_DIR = fileURLToPath(new URL('../../data/bca/', import.meta.url));

/** Where O&M, rehabilitation and residual value sit in the BCR (research/bca.md §0.4). */
export type CostConvention = 'capital_only' | 'all_costs';

export interface Edition {
  id: string;
  title: string;
  published: string;
  dollarYear: number;
  discountRate: number;
  altDiscountRate: number | null;
  co2Policy: string;
  co2DiscountRate: number | null;
  costConvention: CostConvention;
  maxOperatingYears: number;
  isDefault: boolean;
  verification: string;
  source: string;
  valuesFrom: string | null;
}

export interface UnitValue {
  editionId: string;
  category: string;
  item: string;
  value: number;
  unit: string;
  dollarYear: number | null;
  yearFrom: number | null;
  yearTo: number | null;
  locator: string;
  verification: string;
  source: string;
}

export interface PriceIndexRow {
  series: string;
  year: number;
  value: number;
  verification: string;
  source: string;
}

const num = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));
const read = (name: string, dir: string) => csvRecords(readFileSync(dir + name, 'utf8')).map((r) => r.values);

export interface ParameterSet {
  editions: Edition[];
  unitValues: UnitValue[];
  priceIndex: PriceIndexRow[];
}

let cached: ParameterSet | undefined;

export function loadParameters(dir = DATA_DIR): ParameterSet {
  if (cached && dir === DATA_DIR) return cached;
  const editions = read('editions.csv', dir).map(
    (v): Edition => ({
      id: v.edition_id!,
      title: v.title!,
      published: v.published ?? '',
      dollarYear: Number(v.dollar_year),
      discountRate: Number(v.discount_rate),
      altDiscountRate: num(v.alt_discount_rate),
      co2Policy: v.co2_policy ?? '',
      co2DiscountRate: num(v.co2_discount_rate),
      costConvention: v.cost_convention === 'all_costs' ? 'all_costs' : 'capital_only',
      maxOperatingYears: Number(v.max_operating_years),
      isDefault: v.is_default === 'true',
      verification: v.verification ?? '',
      source: v.source ?? '',
      valuesFrom: v.values_from || null,
    }),
  );
  const unitValues = read('unit_values.csv', dir).map(
    (v): UnitValue => ({
      editionId: v.edition_id!,
      category: v.category!,
      item: v.item!,
      value: Number(v.value),
      unit: v.unit ?? '',
      dollarYear: num(v.dollar_year),
      yearFrom: num(v.year_from),
      yearTo: num(v.year_to),
      locator: v.locator ?? '',
      verification: v.verification ?? '',
      source: v.source ?? '',
    }),
  );
  const priceIndex = read('price_index.csv', dir).map(
    (v): PriceIndexRow => ({
      series: v.series!,
      year: Number(v.year),
      value: Number(v.value),
      verification: v.verification ?? '',
      source: v.source ?? '',
    }),
  );
  const set = { editions, unitValues, priceIndex };
  if (dir === DATA_DIR) cached = set;
  return set;
}

export function getEdition(id?: string, params = loadParameters()): Edition {
  const e = id ? params.editions.find((x) => x.id === id) : params.editions.find((x) => x.isDefault);
  if (!e) {
    throw new Error(
      `unknown BCA parameter edition ${id}; known: ${params.editions.map((x) => x.id).join(', ')}`,
    );
  }
  return e;
}

/**
 * The unit value an edition lists for (category, item), for an occurrence year when the value is
 * tabulated by year (emissions). Returns null when the edition does not list it: the caller must
 * report that, never substitute zero.
 */
export function unitValue(
  edition: Edition | string,
  category: string,
  item: string,
  year?: number,
  params = loadParameters(),
): UnitValue | null {
  const ed = typeof edition === 'string' ? params.editions.find((e) => e.id === edition) : edition;
  const ids = ed ? [ed.id, ...(ed.valuesFrom ? [ed.valuesFrom] : [])] : [String(edition)];
  for (const id of ids) {
    const hits = params.unitValues.filter(
      (u) => u.editionId === id && u.category === category && u.item === item,
    );
    const hit = hits.find(
      (u) =>
        year === undefined ||
        ((u.yearFrom === null || year >= u.yearFrom) && (u.yearTo === null || year <= u.yearTo)),
    );
    if (hit) return hit;
  }
  return null;
}
