import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getResultIndex, listResultFamilies } from '../catalog/results';
import { getJson } from '../storage';
import type { AppDeps } from './app';

const NAME = /^[a-z][a-z0-9_]*$/;

export function resultRoutes({ ctx }: AppDeps) {
  const r = new Hono();
  r.get('/', async (c) => c.json({ families: await listResultFamilies(ctx.storage) }));
  r.get('/:family', async (c) => {
    const family = c.req.param('family');
    if (!NAME.test(family)) throw new HTTPException(400, { message: 'invalid family' });
    const idx = await getResultIndex(ctx.storage, family);
    if (!idx) return c.json({ error: 'not_found', message: `no results for ${family}` }, 404);
    const key = c.req.query('key');
    const runId = key ? idx.latest[key] : idx.runs.at(-1)?.run_id;
    const run = idx.runs.find((x) => x.run_id === runId);
    if (!run) return c.json({ error: 'not_found', message: `no ${family} run for ${key}` }, 404);
    const lineage = await getJson(ctx.storage, `results/${family}/${run.run_id}/lineage.json`);
    return c.json({ family, keys: Object.keys(idx.latest), run, lineage: lineage?.value ?? null });
  });
  return r;
}
