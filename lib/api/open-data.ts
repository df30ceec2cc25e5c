// Open-data conventions: a DCAT-US v1.1 catalog at /data.json (the non-federal profile an MPO
// publishes: no bureauCode/programCode; research/ecosystem.md §5.1) and a read-only CKAN Action
// API shim (package_search, package_show) so CKAN harvesters and clients work (§5.3).
import { basename } from 'node:path';
import { getVersion, listDatasets } from '../catalog/catalog';
import type { Manifest, VersionRecord } from '../catalog/types';
import type { Ctx } from '../context';
import { matches } from '../portal/catalog-page';
import { downloadUrl } from '../portal/dataset-page';
import { listFamilies } from '../portal/measure-data';
import { latestRun } from './results-data';
import { geometryOf } from './table-data';

export interface SiteInfo {
  /** Publisher shown in data.json and pages, e.g. the MPO's name. */
  publisher: string;
  contactName: string;
  /** Contact e-mail (without mailto:). */
  contactEmail?: string;
}

export const DEFAULT_SITE: SiteInfo = { publisher: 'Corridor', contactName: 'Open data team' };

export const DCAT_US_CONFORMS_TO = 'https://resources.data.gov/schemas/dcat-us/v1.1/schema';

const MEDIA = {
  csv: 'text/csv',
  parquet: 'application/vnd.apache.parquet',
  geojson: 'application/geo+json',
} as const;

/** DCAT-US wants a license URI; map the plain-language licenses our dataset kinds declare. */
export function licenseUri(license: string): string | undefined {
  if (/^https?:\/\//.test(license)) return license;
  if (/public domain|u\.s\. government work/i.test(license)) return 'https://www.usa.gov/government-works';
  if (/CC[- ]?BY[- ]?4/i.test(license)) return 'https://creativecommons.org/licenses/by/4.0/';
  if (/ODbL/i.test(license)) return 'https://opendatacommons.org/licenses/odbl/1-0/';
  return undefined;
}

/** ISO 8601 without milliseconds (the DCAT-US date pattern's simplest form). */
const iso = (s: string) => s.replace(/\.\d+Z$/, 'Z');

function distributions(base: string, m: Manifest, v: VersionRecord | null) {
  const out: Record<string, unknown>[] = [];
  for (const t of v?.tables ?? []) {
    const fmts: (keyof typeof MEDIA)[] = geometryOf(t) ? ['csv', 'parquet', 'geojson'] : ['csv', 'parquet'];
    for (const f of fmts) {
      out.push({
        '@type': 'dcat:Distribution',
        title: `${t.name} (${f === 'geojson' ? 'GeoJSON' : f.toUpperCase()})`,
        description: `Table ${t.name} of version ${v!.version}, ${t.rows} rows`,
        downloadURL: base + downloadUrl(m.id, v!.version, t.name, f),
        mediaType: MEDIA[f],
        format: f === 'geojson' ? 'GeoJSON' : f.toUpperCase(),
        describedBy: `${base}/api/v1/datasets/${m.id}`,
        describedByType: 'application/json',
      });
    }
  }
  out.push({
    '@type': 'dcat:Distribution',
    title: 'API',
    description: 'Paged rows and filters (JSON or CSV); see the OpenAPI document',
    accessURL: `${base}/api/v1/datasets/${m.id}`,
    format: 'API',
    conformsTo: `${base}/openapi.json`,
  });
  return out;
}

export async function dataJson(ctx: Ctx, base: string, site: SiteInfo) {
  const contactPoint = {
    '@type': 'vcard:Contact',
    fn: site.contactName,
    ...(site.contactEmail ? { hasEmail: `mailto:${site.contactEmail}` } : {}),
  };
  const datasets: Record<string, unknown>[] = [];
  for (const m of await listDatasets(ctx.storage)) {
    const v = m.current_version ? await getVersion(ctx.storage, m.id) : null;
    const license = licenseUri(m.license);
    datasets.push({
      '@type': 'dcat:Dataset',
      title: m.title,
      description: m.description,
      keyword: m.keywords.length ? m.keywords : [m.type],
      modified: iso(m.updated_at),
      ...(m.versions[0] ? { issued: iso(m.versions[0].created_at) } : {}),
      publisher: {
        '@type': 'org:Organization',
        name: m.publisher === 'Corridor' ? site.publisher : m.publisher,
      },
      contactPoint,
      identifier: `${base}/datasets/${m.id}`,
      accessLevel: 'public',
      ...(license ? { license } : {}),
      accrualPeriodicity: 'irregular',
      landingPage: `${base}/datasets/${m.id}`,
      describedBy: `${base}/api/v1/datasets/${m.id}`,
      describedByType: 'application/json',
      references: [`${base}/datasets/${m.id}#lineage`],
      distribution: distributions(base, m, v),
    });
  }
  for (const f of await listFamilies(ctx)) {
    const run = f.hasResults ? await latestRun(ctx, f.name) : null;
    if (!run) continue;
    datasets.push({
      '@type': 'dcat:Dataset',
      title: f.title,
      description: `${f.summary || f.title}. Computed by Corridor from the catalog's datasets; every run records its inputs, queries and code version.`,
      keyword: ['performance measures', f.name.replaceAll('_', ' ')],
      modified: iso(run.created_at),
      publisher: { '@type': 'org:Organization', name: site.publisher },
      contactPoint,
      identifier: `${base}/measures/${f.name}`,
      accessLevel: 'public',
      accrualPeriodicity: 'irregular',
      landingPage: `${base}/measures/${f.name}`,
      distribution: run.files
        .filter((k) => /\.(csv|json)$/.test(k))
        .map((k) => ({
          '@type': 'dcat:Distribution',
          title: basename(k),
          downloadURL: `${base}/results/${f.name}/${run.run_id}/${basename(k)}`,
          mediaType: k.endsWith('.csv') ? 'text/csv' : 'application/json',
          format: k.endsWith('.csv') ? 'CSV' : 'JSON',
        })),
    });
  }
  return {
    '@context': 'https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld',
    '@id': `${base}/data.json`,
    '@type': 'dcat:Catalog',
    conformsTo: DCAT_US_CONFORMS_TO,
    describedBy: `${DCAT_US_CONFORMS_TO}/catalog.json`,
    dataset: datasets.map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>),
  };
}

// --- CKAN Action API v3 shim -------------------------------------------------------------

export async function ckanPackage(ctx: Ctx, base: string, m: Manifest) {
  const v = m.current_version ? await getVersion(ctx.storage, m.id) : null;
  const resources = distributions(base, m, v).map((d, i) => ({
    id: `${m.id}-${i}`,
    package_id: m.id,
    name: String(d.title),
    description: String(d.description ?? ''),
    url: String(d.downloadURL ?? d.accessURL),
    format: String(d.format),
    mimetype: (d.mediaType as string | undefined) ?? null,
    position: i,
  }));
  return {
    id: m.id,
    name: m.id.replaceAll('.', '-').replaceAll('_', '-'),
    title: m.title,
    notes: m.description,
    type: 'dataset',
    state: 'active',
    private: false,
    license_title: m.license,
    license_url: licenseUri(m.license) ?? null,
    author: m.source,
    maintainer: m.publisher,
    metadata_created: m.versions[0]?.created_at ?? m.updated_at,
    metadata_modified: m.updated_at,
    version: m.current_version,
    url: `${base}/datasets/${m.id}`,
    organization: { name: 'corridor', title: m.publisher },
    tags: m.keywords.map((k) => ({ name: k, display_name: k })),
    num_tags: m.keywords.length,
    resources,
    num_resources: resources.length,
    extras: [{ key: 'dataset_type', value: m.type }],
  };
}

export function ckanFind(all: Manifest[], id: string) {
  return all.find((m) => m.id === id || m.id.replaceAll('.', '-').replaceAll('_', '-') === id) ?? null;
}

/** `fq` supports the filters CKAN clients send most: tags:<t>, res_format:<f>, type:<t>. */
export async function ckanSearch(
  ctx: Ctx,
  base: string,
  p: { q?: string; fq?: string; rows: number; start: number },
) {
  const all = await listDatasets(ctx.storage);
  const filters: { key: string; value: string }[] = [];
  for (const m of (p.fq ?? '').matchAll(/(\w+):"?([^"\s]+)"?/g)) filters.push({ key: m[1]!, value: m[2]! });
  const hits = all.filter((m) => {
    if (!matches(m, { q: p.q && p.q !== '*:*' ? p.q : undefined })) return false;
    return filters.every((f) =>
      f.key === 'tags'
        ? m.keywords.includes(f.value)
        : f.key === 'type'
          ? m.type === f.value
          : f.key === 'res_format'
            ? ['CSV', 'PARQUET', 'API'].includes(f.value.toUpperCase())
            : true,
    );
  });
  const page = hits.slice(p.start, p.start + p.rows);
  const results = [];
  for (const m of page) results.push(await ckanPackage(ctx, base, m));
  const tagCounts: Record<string, number> = {};
  for (const m of hits) for (const k of m.keywords) tagCounts[k] = (tagCounts[k] ?? 0) + 1;
  return {
    count: hits.length,
    results,
    sort: 'score desc, metadata_modified desc',
    facets: { tags: tagCounts },
    search_facets: {
      tags: {
        title: 'tags',
        items: Object.entries(tagCounts).map(([name, count]) => ({ name, display_name: name, count })),
      },
    },
  };
}
