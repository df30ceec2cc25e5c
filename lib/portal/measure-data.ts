// Turns a family's latest results and its view description into what pages draw: headline
// numbers with their trend, chart series, and map features (TMC segments from the NPMRDS TMC
// table, stops from the GTFS stops table, or lon/lat columns of the result itself).
import { basename } from 'node:path';
import { findFile, resultRows, runsOf } from '../api/results-data';
import { readRows } from '../api/table-data';
import { getVersion, listDatasets } from '../catalog/catalog';
import type { ResultRun } from '../catalog/results';
import { listResultFamilies } from '../catalog/results';
import { families, resultOnlyFamilies } from '../compute/families';
import type { Ctx } from '../context';
import { type FamilyView, familyViews } from './family-views';
import type { Series } from './svg-chart';
import type { MapFeature } from './svg-map';

export interface FamilyInfo {
  name: string;
  title: string;
  summary: string;
  reference?: string;
  hasResults: boolean;
}

/** Families from the compute table plus any with results but no module (older runs). */
export async function listFamilies(ctx: Ctx): Promise<FamilyInfo[]> {
  const withResults = new Set(await listResultFamilies(ctx.storage));
  const out: FamilyInfo[] = [];
  for (const [name, load] of Object.entries(families)) {
    try {
      const f = await load();
      out.push({
        name,
        title: f.title,
        summary: f.summary,
        reference: f.reference,
        hasResults: withResults.has(name),
      });
    } catch {
      out.push({ name, title: name, summary: '', hasResults: withResults.has(name) });
    }
  }
  for (const name of withResults) {
    if (out.some((f) => f.name === name)) continue;
    const known = resultOnlyFamilies[name];
    out.push({
      name,
      title: known?.title ?? name.replaceAll('_', ' '),
      summary: known?.summary ?? '',
      reference: known?.reference,
      hasResults: true,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/** The view for a family: its description, or one derived from the first CSV of the run. */
export async function viewFor(
  ctx: Ctx,
  family: string,
  run: ResultRun,
): Promise<{ view: FamilyView; rows: Record<string, unknown>[] } | null> {
  const described = familyViews[family];
  const key = described ? findFile(run, described.file) : null;
  if (described && key) return { view: described, rows: await resultRows(ctx, key) };
  const csv = run.files.find((k) => k.endsWith('.csv'));
  if (!csv) return null;
  const rows = await resultRows(ctx, csv);
  const first = rows[0] ?? {};
  const cols = Object.keys(first);
  const lon = cols.find((c) => /(^|_)lon(gitude)?$/.test(c));
  const lat = cols.find((c) => /(^|_)lat(itude)?$/.test(c));
  const x = cols.find((c) => /^(year|date)$/.test(c));
  const y = cols.find((c) => c !== x && c !== lon && c !== lat && isNum(first[c]));
  const series = cols.find((c) => c !== x && c !== y && typeof first[c] === 'string');
  const view: FamilyView = { file: basename(csv) };
  if (x && y)
    view.chart = {
      title: `${y.replaceAll('_', ' ')} by ${x}`,
      x,
      y,
      series,
      format: 'number',
      yLabel: y.replaceAll('_', ' '),
    };
  if (lon && lat && y)
    view.map = {
      kind: 'lonlat',
      title: `${y.replaceAll('_', ' ')} by location`,
      lon,
      lat,
      value: y,
      valueLabel: y.replaceAll('_', ' '),
    };
  return { view, rows };
}

export function chartSeries(view: FamilyView, rows: Record<string, unknown>[]): Series[] {
  const c = view.chart;
  if (!c) return [];
  const by = new Map<string, Series>();
  for (const r of rows) {
    const x = Number(r[c.x]);
    const y = Number(r[c.y]);
    if (!Number.isFinite(x) || !Number.isFinite(y) || r[c.y] === null) continue;
    const name = c.series ? String(r[c.series]) : c.y;
    if (!by.has(name)) by.set(name, { name, points: [] });
    by.get(name)!.points.push({ x, y });
  }
  return [...by.values()].slice(0, 8);
}

export interface Headline {
  family: string;
  label: string;
  value: number | null;
  format: 'pct' | 'number' | 'ratio';
  /** Earlier values by year (for the trend), oldest first. */
  trend: { x: number; y: number }[];
  target: number | null;
  higherIsBetter: boolean;
  runId: string;
}

/** The newest run holding the file the family's view reads (families publish several kinds of run). */
export async function runFor(ctx: Ctx, family: string): Promise<ResultRun | null> {
  const file = familyViews[family]?.file;
  const runs = await runsOf(ctx, family);
  const newest = [...runs].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return (
    (file ? newest.find((r) => r.files.some((k) => basename(k) === file)) : undefined) ?? newest[0] ?? null
  );
}

export async function headlineFor(ctx: Ctx, family: string): Promise<Headline | null> {
  const run = await runFor(ctx, family);
  if (!run) return null;
  const v = await viewFor(ctx, family, run);
  const h = v?.view.headline;
  if (!v || !h) return null;
  let rows = v.rows.filter((r) => Object.entries(h.where ?? {}).every(([k, val]) => String(r[k]) === val));
  if (rows.length === 0 || !(h.column in (rows[0] ?? {}))) return null;
  let trend: { x: number; y: number }[] = [];
  if (h.by) {
    // With several rows per year (e.g. counties) follow the series of the first row's area.
    const seriesCol = v.view.chart?.series;
    const firstName = seriesCol ? rows[0]?.[seriesCol] : undefined;
    if (seriesCol) rows = rows.filter((r) => r[seriesCol] === firstName);
    trend = rows
      .map((r) => ({ x: Number(r[h.by!]), y: Number(r[h.column]) }))
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
      .sort((a, b) => a.x - b.x);
  }
  const last = h.by ? trend.at(-1)?.y : Number(rows[0]?.[h.column]);
  const targetRaw = h.targetColumn ? rows.at(-1)?.[h.targetColumn] : undefined;
  return {
    family,
    label: h.label,
    value: last !== undefined && Number.isFinite(last) ? last : null,
    format: h.format,
    trend,
    target:
      targetRaw !== undefined && targetRaw !== null && Number.isFinite(Number(targetRaw))
        ? Number(targetRaw)
        : null,
    higherIsBetter: h.higherIsBetter,
    runId: run.run_id,
  };
}

/** A dataset's table by type prefix (e.g. the NPMRDS TMC table), current version. */
async function tableOfType(ctx: Ctx, typePrefix: string, tableName: RegExp) {
  for (const m of await listDatasets(ctx.storage)) {
    if (!m.type.startsWith(typePrefix) || !m.current_version) continue;
    const v = await getVersion(ctx.storage, m.id);
    const t = v?.tables.find((x) => tableName.test(x.name));
    if (v && t) return { id: m.id, version: v.version, table: t };
  }
  return null;
}

export async function mapFeatures(
  ctx: Ctx,
  run: ResultRun,
  view: FamilyView,
  rows: Record<string, unknown>[],
) {
  const m = view.map;
  if (!m) return null;
  const mapRows =
    m.file && m.file !== view.file
      ? await resultRows(ctx, findFile(run, m.file) ?? '').catch(() => [])
      : rows;
  const featureValue = (r: Record<string, unknown>) =>
    isNum(Number(r[m.value])) && r[m.value] !== null ? Number(r[m.value]) : null;
  if (m.kind === 'lonlat') {
    return {
      features: mapRows.slice(0, 5000).map((r) => ({
        label: String(r[m.value] ?? ''),
        value: featureValue(r),
        coords: [[Number(r[m.lon]), Number(r[m.lat])]] as [number, number][],
      })),
      source: null,
    };
  }
  const geo =
    m.kind === 'tmc' ? await tableOfType(ctx, 'npmrds', /tmc/) : await tableOfType(ctx, 'gtfs', /stops/);
  if (!geo) return { features: [] as MapFeature[], source: null };
  const { rows: places } = await readRows(ctx, geo.table, { limit: 20000, offset: 0, where: {} });
  const byKey = new Map(mapRows.map((r) => [String(r[m.key]), r]));
  const features: MapFeature[] = [];
  for (const p of places) {
    const key = String(p[m.kind === 'tmc' ? (p.tmc !== undefined ? 'tmc' : 'tmc_code') : 'stop_id']);
    const r = byKey.get(key);
    if (!r) continue;
    const coords: [number, number][] =
      m.kind === 'tmc'
        ? [
            [Number(p.start_longitude), Number(p.start_latitude)],
            [Number(p.end_longitude), Number(p.end_latitude)],
          ]
        : [[Number(p.stop_lon), Number(p.stop_lat)]];
    if (coords.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y) || (x === 0 && y === 0))) continue;
    features.push({
      label: `${key}${p.road ? ` (${p.road})` : p.stop_name ? ` (${p.stop_name})` : ''}`,
      value: featureValue(r),
      coords,
    });
  }
  return { features, source: { id: geo.id, version: geo.version } };
}
