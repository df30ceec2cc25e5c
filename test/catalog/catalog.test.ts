import { afterEach, describe, expect, it } from 'vitest';
import {
  getManifest,
  getVersion,
  listDatasets,
  newVersionId,
  publishVersion,
} from '../../lib/catalog/catalog';
import type { DatasetMeta, VersionRecord } from '../../lib/catalog/types';
import { type TestCtx, tempCtx } from '../helpers';

const meta: DatasetMeta = {
  id: 'demo_counts',
  type: 'demo_counts',
  title: 'Counts',
  description: 'd',
  source: 's',
  license: 'l',
  keywords: [],
  publisher: 'Corridor',
};

function record(version: string, hash = version): VersionRecord {
  return {
    dataset_id: meta.id,
    version,
    created_at: new Date().toISOString(),
    content_hash: hash,
    raw_keys: [],
    tables: [{ name: 't', rows: 1, columns: [], files: [], partitioning: [] }],
    issues: { errors: 0, warnings: 0, infos: 0, quarantined_rows: 0, report_key: 'x' },
    params: {},
    lineage: { code_version: 'test', ingested_by: 'test', sources: [] },
  };
}

describe('catalog', () => {
  let ctx: TestCtx;
  afterEach(() => ctx?.cleanup());

  it('publishes versions and points the manifest at the newest', async () => {
    ctx = tempCtx();
    await publishVersion(ctx.storage, meta, record('20260101T000000000Z-aaaaaa'));
    await publishVersion(ctx.storage, meta, record('20260102T000000000Z-bbbbbb'));
    const m = await getManifest(ctx.storage, meta.id);
    expect(m?.current_version).toBe('20260102T000000000Z-bbbbbb');
    expect(m?.versions.map((v) => v.version)).toEqual([
      '20260101T000000000Z-aaaaaa',
      '20260102T000000000Z-bbbbbb',
    ]);
    expect((await getVersion(ctx.storage, meta.id, '20260101T000000000Z-aaaaaa'))?.content_hash).toBe(
      '20260101T000000000Z-aaaaaa',
    );
    expect((await listDatasets(ctx.storage)).map((d) => d.id)).toEqual(['demo_counts']);
  });

  it('never overwrites a version record', async () => {
    ctx = tempCtx();
    await publishVersion(ctx.storage, meta, record('20260101T000000000Z-aaaaaa'));
    await expect(
      publishVersion(ctx.storage, meta, record('20260101T000000000Z-aaaaaa', 'other')),
    ).rejects.toThrow(/refused/);
    expect((await getVersion(ctx.storage, meta.id, '20260101T000000000Z-aaaaaa'))?.content_hash).toBe(
      '20260101T000000000Z-aaaaaa',
    );
  });

  it('loses no update when many publishers race on one manifest', async () => {
    ctx = tempCtx();
    const base = Date.UTC(2026, 0, 1);
    const versions = Array.from({ length: 24 }, (_, i) => newVersionId(new Date(base + i * 1000)));
    await Promise.all(versions.map((v) => publishVersion(ctx.storage, meta, record(v))));
    const m = await getManifest(ctx.storage, meta.id);
    expect(m?.versions.map((v) => v.version).sort()).toEqual([...versions].sort());
    // The pointer ends on the newest version whatever order the writers finished in.
    expect(m?.current_version).toBe([...versions].sort().at(-1));
  });
});
