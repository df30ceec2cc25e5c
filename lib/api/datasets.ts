import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getManifest, getVersion, listDatasets } from '../catalog/catalog';
import { datasetTypes } from '../datasets/registry';
import { dataDictionary } from '../datasets/spec';
import { getJson } from '../storage';
import type { AppDeps } from './app';

const ID = /^[a-z0-9_]+(\.[a-z0-9_-]+)?$/;

export function datasetRoutes({ ctx }: AppDeps) {
  const r = new Hono();
  r.get('/', async (c) => {
    const all = await listDatasets(ctx.storage);
    return c.json({
      datasets: all.map((m) => ({
        id: m.id,
        type: m.type,
        title: m.title,
        description: m.description,
        current_version: m.current_version,
        updated_at: m.updated_at,
        versions: m.versions.length,
        rows: m.versions.find((v) => v.version === m.current_version)?.rows ?? 0,
      })),
    });
  });
  r.get('/:id', async (c) => {
    const id = c.req.param('id');
    if (!ID.test(id)) throw new HTTPException(400, { message: 'invalid dataset id' });
    const m = await getManifest(ctx.storage, id);
    if (!m) return c.json({ error: 'not_found', message: `no dataset ${id}` }, 404);
    const version = c.req.query('version') ?? m.current_version ?? undefined;
    if (version && !m.versions.some((v) => v.version === version)) {
      return c.json({ error: 'not_found', message: `dataset ${id} has no version ${version}` }, 404);
    }
    const v = version ? await getVersion(ctx.storage, id, version) : null;
    const type = datasetTypes[m.type] ? await datasetTypes[m.type]!() : null;
    const report = v ? await getJson<{ issues: unknown[] }>(ctx.storage, v.issues.report_key) : null;
    return c.json({
      ...m,
      version: v && {
        version: v.version,
        created_at: v.created_at,
        content_hash: v.content_hash,
        tables: v.tables.map((t) => ({
          name: t.name,
          rows: t.rows,
          columns: t.columns,
          partitioning: t.partitioning,
        })),
        issues: { ...v.issues, sample: report?.value.issues.slice(0, 50) ?? [] },
        lineage: { ...v.lineage, raw_keys: v.raw_keys, params: v.params },
      },
      dictionary: type ? Object.fromEntries(type.tables.map((t) => [t.name, dataDictionary(t)])) : {},
    });
  });
  return r;
}
