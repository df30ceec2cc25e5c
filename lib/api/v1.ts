// Versioned, read-only JSON API (/api/v1): the handlers of the routes declared in v1-routes.ts.

import { basename } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { listDatasets } from '../catalog/catalog';
import { getResultIndex } from '../catalog/results';
import type { Ctx } from '../context';
import { allQueries } from '../engine/runner';
import { datasetDictionary, downloadUrl } from '../portal/dataset-page';
import { listFamilies } from '../portal/measure-data';
import { resultTable, runLineage } from './results-data';
import {
  BadRequest,
  csvStream,
  geometryOf,
  NotFound,
  readRows,
  resolveDataset,
  resolveTable,
} from './table-data';
import { RESERVED, routes } from './v1-routes';

export function v1Routes(app: OpenAPIHono, ctx: Ctx) {
  app.openapi(routes.health, (c) => c.json({ ok: true, storage: ctx.storage.kind }, 200));

  app.openapi(routes.listDatasets, async (c) => {
    const { q, keyword, type } = c.req.valid('query');
    const { matches } = await import('../portal/catalog-page');
    const all = (await listDatasets(ctx.storage)).filter((m) => matches(m, { q, keyword, type }));
    return c.json(
      {
        total: all.length,
        datasets: all.map((m) => ({
          id: m.id,
          type: m.type,
          title: m.title,
          description: m.description,
          keywords: m.keywords,
          current_version: m.current_version,
          updated_at: m.updated_at,
          versions: m.versions.length,
          rows: m.versions.find((v) => v.version === m.current_version)?.rows ?? 0,
          links: { self: `/api/v1/datasets/${m.id}`, page: `/datasets/${m.id}` },
        })),
      },
      200,
    );
  });

  app.openapi(routes.getDataset, async (c) => {
    const { id } = c.req.valid('param');
    const { version } = c.req.valid('query');
    const { manifest: m, version: v } = await resolveDataset(ctx, id, version);
    const dict = await datasetDictionary(m.type);
    return c.json(
      {
        id: m.id,
        type: m.type,
        title: m.title,
        description: m.description,
        source: m.source,
        license: m.license,
        publisher: m.publisher,
        keywords: m.keywords,
        current_version: m.current_version,
        updated_at: m.updated_at,
        versions: m.versions,
        version: {
          version: v.version,
          created_at: v.created_at,
          content_hash: v.content_hash,
          tables: v.tables.map((t) => ({
            name: t.name,
            rows: t.rows,
            columns: t.columns,
            geometry: geometryOf(t),
            downloads: {
              csv: downloadUrl(m.id, v.version, t.name, 'csv'),
              parquet: downloadUrl(m.id, v.version, t.name, 'parquet'),
              geojson: geometryOf(t) ? downloadUrl(m.id, v.version, t.name, 'geojson') : null,
            },
          })),
          issues: {
            errors: v.issues.errors,
            warnings: v.issues.warnings,
            infos: v.issues.infos,
            quarantined_rows: v.issues.quarantined_rows,
          },
          lineage: v.lineage,
        },
        dictionary: dict,
      },
      200,
    );
  });

  app.openapi(routes.getRows, async (c) => {
    const { id, table } = c.req.valid('param');
    const { limit, offset, order, version, format } = c.req.valid('query');
    const where: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.req.queries())) {
      if (RESERVED.has(k)) continue;
      if (v.length !== 1) throw new BadRequest(`give ${k} once`);
      where[k] = v[0]!;
    }
    const r = await resolveTable(ctx, id, version, table);
    if (format === 'csv') {
      const body = await csvStream(ctx, r.table, where);
      return c.body(body, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${id}-${r.version.version}-${table}.csv"`,
      }) as never;
    }
    const { total, rows } = await readRows(ctx, r.table, { limit, offset, where, order });
    const nextParams = new URLSearchParams({
      ...where,
      limit: String(limit),
      offset: String(offset + limit),
      version: r.version.version,
    });
    if (order) nextParams.set('order', order);
    return c.json(
      {
        dataset: id,
        version: r.version.version,
        table,
        total,
        limit,
        offset,
        rows,
        next: offset + limit < total ? `/api/v1/datasets/${id}/tables/${table}/rows?${nextParams}` : null,
      },
      200,
    );
  });

  app.openapi(routes.listMeasures, async (c) => {
    const fams = await listFamilies(ctx);
    const out = [];
    for (const f of fams) {
      const idx = f.hasResults ? await getResultIndex(ctx.storage, f.name) : null;
      out.push({
        family: f.name,
        title: f.title,
        summary: f.summary,
        reference: f.reference ?? null,
        latest_run: idx?.runs.at(-1)?.run_id ?? null,
        links: { self: `/api/v1/measures/${f.name}`, page: `/measures/${f.name}` },
      });
    }
    return c.json({ measures: out }, 200);
  });

  app.openapi(routes.getMeasure, async (c) => {
    const { family } = c.req.valid('param');
    const q = c.req.valid('query');
    const key = q.key ?? (q.year !== undefined ? `year=${q.year}` : undefined);
    if (!/^[a-z][a-z0-9_]*$/.test(family)) throw new BadRequest('invalid family');
    const info = (await listFamilies(ctx)).find((f) => f.name === family);
    const idx = await getResultIndex(ctx.storage, family);
    if (!info || !idx) throw new NotFound(`no results for ${family}`);
    const runId = key ? idx.latest[key] : idx.runs.at(-1)?.run_id;
    const run = idx.runs.find((r) => r.run_id === runId);
    if (!run) throw new NotFound(`no ${family} run for ${key}`);
    const lineage = await runLineage(ctx, family, run);
    return c.json(
      {
        family,
        title: info.title,
        reference: info.reference ?? null,
        keys: Object.keys(idx.latest),
        run: {
          run_id: run.run_id,
          key: run.key,
          created_at: run.created_at,
          summary: run.summary,
          files: run.files.map((k) => ({
            name: basename(k),
            url: `/results/${family}/${run.run_id}/${basename(k)}`,
          })),
        },
        lineage,
      },
      200,
    );
  });

  app.openapi(routes.getMeasureRows, async (c) => {
    const { family, file } = c.req.valid('param');
    const { limit, offset, run: runId, format } = c.req.valid('query');
    if (
      !/^[a-z][a-z0-9_]*$/.test(family) ||
      !/^[A-Za-z0-9_.-]{1,100}\.csv$/.test(file) ||
      file.startsWith('.')
    )
      throw new BadRequest('give a family and a .csv result file name');
    const runs = ((await getResultIndex(ctx.storage, family))?.runs ?? []).sort((a, b) =>
      b.created_at.localeCompare(a.created_at),
    );
    const run = runId
      ? runs.find((r) => r.run_id === runId)
      : runs.find((r) => r.files.some((k) => basename(k) === file));
    const key = run?.files.find((k) => basename(k) === file);
    if (!run || !key)
      throw new NotFound(`no result file ${file} for ${family}${runId ? ` run ${runId}` : ''}`);
    const where: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.req.queries())) {
      if (RESERVED.has(k) || k === 'run') continue;
      if (v.length !== 1) throw new BadRequest(`give ${k} once`);
      where[k] = v[0]!;
    }
    const table = await resultTable(ctx, key);
    if (format === 'csv') {
      return c.body(await csvStream(ctx, table, where, table.files), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${family}-${run.run_id}-${file}"`,
      }) as never;
    }
    const { total, rows } = await readRows(ctx, table, { limit, offset, where }, table.files);
    const next = new URLSearchParams({
      ...where,
      limit: String(limit),
      offset: String(offset + limit),
      run: run.run_id,
    });
    return c.json(
      {
        family,
        run_id: run.run_id,
        file,
        total,
        limit,
        offset,
        rows,
        next: offset + limit < total ? `/api/v1/measures/${family}/files/${file}/rows?${next}` : null,
      },
      200,
    );
  });

  app.openapi(routes.getQuery, (c) => {
    const { name } = c.req.valid('param');
    const q = /^[a-z][a-z0-9_]*$/.test(name) ? allQueries().get(name) : undefined;
    if (!q) throw new NotFound(`no query ${name}`);
    return c.json(
      {
        name: q.name,
        description: q.description ?? null,
        grain: q.grain,
        inputs: q.inputs,
        params: q.params,
        reference: q.reference ?? null,
        sha256: q.sha256,
        sql: q.sql,
      },
      200,
    );
  });
}
