// Dataset registry with immutable versions. Publishing writes data and the version record first,
// and the manifest pointer last with compare-and-swap, so a crash part-way leaves the previous
// version current and readable, and concurrent publishers never lose an update.
import { getJson, PreconditionFailedError, putJson, type Storage } from '../storage';
import { type DatasetMeta, Manifest, type VersionRecord } from './types';

export const keys = {
  manifest: (id: string) => `catalog/${id}/manifest.json`,
  version: (id: string, v: string) => `catalog/${id}/versions/${v}.json`,
  curated: (id: string, v: string) => `curated/${id}/v=${v}/`,
  raw: (id: string, ingestId: string, file: string) => `raw/${id}/${ingestId}/${file}`,
};

export async function listDatasets(storage: Storage): Promise<Manifest[]> {
  const { prefixes } = await storage.list('catalog/', { delimiter: '/' });
  const out: Manifest[] = [];
  for (const p of prefixes) {
    const m = await getManifest(storage, p.slice('catalog/'.length, -1));
    if (m) out.push(m);
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export async function getManifest(storage: Storage, id: string): Promise<Manifest | null> {
  const got = await getJson<unknown>(storage, keys.manifest(id));
  return got ? Manifest.parse(got.value) : null;
}

export async function getVersion(
  storage: Storage,
  id: string,
  version?: string,
): Promise<VersionRecord | null> {
  const v = version ?? (await getManifest(storage, id))?.current_version;
  if (!v) return null;
  const got = await getJson<VersionRecord>(storage, keys.version(id, v));
  return got?.value ?? null;
}

/** The version whose raw bytes hash to contentHash, if one was published already. */
export async function findByContentHash(storage: Storage, id: string, contentHash: string) {
  const m = await getManifest(storage, id);
  return m?.versions.find((v) => v.content_hash === contentHash) ?? null;
}

/**
 * Make `record` the dataset's current version. The version record is created once (never
 * overwritten); the manifest is updated with If-Match / If-None-Match and retried on conflict.
 */
export async function publishVersion(
  storage: Storage,
  meta: DatasetMeta,
  record: VersionRecord,
  now = new Date(),
) {
  await putJson(storage, keys.version(meta.id, record.version), record, { ifNoneMatch: '*' });
  const rows = record.tables.reduce((n, t) => n + t.rows, 0);
  for (let attempt = 0; attempt < 100; attempt++) {
    const current = await getJson<unknown>(storage, keys.manifest(meta.id));
    const prev = current ? Manifest.parse(current.value) : null;
    const next: Manifest = {
      ...meta,
      keywords: meta.keywords ?? [],
      publisher: meta.publisher ?? 'Corridor',
      current_version: record.version,
      updated_at: now.toISOString(),
      versions: [
        ...(prev?.versions ?? []).filter((v) => v.version !== record.version),
        { version: record.version, created_at: record.created_at, content_hash: record.content_hash, rows },
      ].sort((a, b) => a.version.localeCompare(b.version)),
    };
    // A slower publisher must not move the pointer back to an older version.
    if (prev?.current_version && prev.current_version > record.version)
      next.current_version = prev.current_version;
    try {
      await putJson(
        storage,
        keys.manifest(meta.id),
        next,
        current ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
      );
      return next;
    } catch (e) {
      if (!(e instanceof PreconditionFailedError)) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * (attempt + 1)));
    }
  }
  throw new Error(`could not update the manifest of ${meta.id}: too many concurrent publishers`);
}

/** Sortable, unique version ids: UTC time to the millisecond plus a short random suffix. */
export function newVersionId(now = new Date()) {
  const t = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${t}-${Math.random().toString(36).slice(2, 8)}`;
}
