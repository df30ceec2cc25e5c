// /api/measures/<family>?year= (the interface the PM3 issue names) answers through /api/v1.
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { publishResult } from '../../lib/catalog/results';
import { tempCtx } from '../helpers';

describe('measure routes by year', () => {
  const ctx = tempCtx();
  afterAll(() => ctx.cleanup());

  it('picks the run published under year=<Y>, and the alias redirects with the query kept', async () => {
    const lineage = (run_id: string, key: string) => ({
      family: 'pm3',
      run_id,
      key,
      params: {},
      inputs: [],
      queries: [],
      code_version: 'test',
      created_at: '2026-01-01T00:00:00Z',
    });
    await publishResult(ctx.storage, {
      family: 'pm3',
      key: 'year=2023',
      files: [],
      summary: { tttr_index: 1.4 },
      lineage: lineage('r2023', 'year=2023'),
    });
    await publishResult(ctx.storage, {
      family: 'pm3',
      key: 'year=2024',
      files: [],
      summary: { tttr_index: 1.6 },
      lineage: lineage('r2024', 'year=2024'),
    });
    const app = createApp({ ctx });
    const alias = await app.request('/api/measures/pm3?year=2023');
    expect(alias.status).toBe(307);
    expect(alias.headers.get('location')).toBe('/api/v1/measures/pm3?year=2023');
    const r = await app.request('/api/v1/measures/pm3?year=2023');
    expect(r.status).toBe(200);
    expect(((await r.json()) as { run: { summary: unknown } }).run.summary).toEqual({ tttr_index: 1.4 });
    expect(
      ((await (await app.request('/api/v1/measures/pm3')).json()) as { run: { run_id: string } }).run.run_id,
    ).toBe('r2024');
    expect((await app.request('/api/v1/measures/pm3?year=1999')).status).toBe(404);
  });
});
