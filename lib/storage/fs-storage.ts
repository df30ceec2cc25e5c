// The default object store: a folder with S3's semantics (ARCHITECTURE.md; research/ecosystem.md §3).
// Writes go to a temp file and are renamed into place, so readers never see half an object.
// If-None-Match uses link(2), which fails atomically when the target exists; If-Match holds a
// per-key lock file (open O_EXCL) while it compares ETags and renames.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  nodeBody,
  PRESIGNED_PUT_PATH,
  PUT_OBJECT_LIMIT,
  presignedPutUrl,
  sizeGuard,
  verifyPutGrant,
} from './presigned-put';
import {
  assertValidKey,
  type Body,
  DEFAULT_CONTENT_TYPE,
  type ListResult,
  type ObjectInfo,
  PreconditionFailedError,
  type PresignPutOptions,
  type PutOptions,
  type Storage,
} from './storage';

const TMP_MARK = '.corridor-tmp-';
const LOCK_SUFFIX = '.corridor-lock';
const STALE_LOCK_MS = 30_000;

export interface FsStorageOptions {
  /**
   * HMAC key for presigned PUT URLs. A random one per instance when unset: URLs then stop working
   * when the server restarts, which only matters for uploads already under way.
   */
  signingSecret?: string;
  /** The upload route presigned URLs point at; root-relative by default, i.e. the page's origin. */
  uploadUrl?: string;
}

export class FsStorage implements Storage {
  readonly kind = 'fs' as const;
  private readonly secret: Buffer;
  private readonly uploadUrl: string;

  constructor(
    readonly root: string,
    opts: FsStorageOptions = {},
  ) {
    this.secret = opts.signingSecret ? Buffer.from(opts.signingSecret) : randomBytes(32);
    this.uploadUrl = opts.uploadUrl ?? PRESIGNED_PUT_PATH;
  }

  get location() {
    return this.root;
  }

  private path(key: string) {
    assertValidKey(key);
    return join(this.root, ...key.split('/'));
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const s = await stat(this.path(key));
      if (!s.isFile()) return null;
      return { key, size: s.size, etag: etagOf(s), lastModified: s.mtime };
    } catch (e) {
      if (isNoEnt(e)) return null;
      throw e;
    }
  }

  async get(key: string) {
    const path = this.path(key);
    try {
      // Stat the open handle, so the ETag belongs to the bytes read even if a writer renames meanwhile.
      const fh = await open(path, 'r');
      try {
        const s = await fh.stat();
        if (!s.isFile()) return null;
        return { body: await fh.readFile(), etag: etagOf(s) };
      } finally {
        await fh.close();
      }
    } catch (e) {
      if (isNoEnt(e)) return null;
      throw e;
    }
  }

  async getStream(key: string) {
    const path = this.path(key);
    if (!(await this.head(key))) return null;
    return createReadStream(path);
  }

  async put(key: string, body: Body, opts: PutOptions = {}) {
    const path = this.path(key);
    const tmp = await this.writeTemp(path, body);
    return this.commit(key, path, tmp, opts);
  }

  async putFile(key: string, localPath: string, opts: PutOptions = {}) {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}${TMP_MARK}${randomUUID()}`;
    await copyFile(localPath, tmp);
    return this.commit(key, path, tmp, opts);
  }

  async list(prefix: string, opts: { delimiter?: string } = {}): Promise<ListResult> {
    const cut = prefix.lastIndexOf('/');
    const baseKey = cut >= 0 ? prefix.slice(0, cut) : '';
    const baseDir = baseKey ? this.path(baseKey) : this.root;
    const objects: ObjectInfo[] = [];
    const prefixes = new Set<string>();
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (isNoEnt(e) || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw e;
      }
      for (const ent of entries) {
        if (ent.name.includes(TMP_MARK) || ent.name.endsWith(LOCK_SUFFIX)) continue;
        const key = keyPrefix + ent.name;
        if (ent.isDirectory()) {
          const dirKey = `${key}/`;
          if (!dirKey.startsWith(prefix) && !prefix.startsWith(dirKey)) continue;
          if (opts.delimiter === '/' && dirKey.startsWith(prefix)) {
            const rest = dirKey.slice(prefix.length);
            const i = rest.indexOf('/');
            prefixes.add(prefix + rest.slice(0, i + 1));
            continue;
          }
          await walk(join(dir, ent.name), dirKey);
        } else if (ent.isFile() && key.startsWith(prefix)) {
          const rest = key.slice(prefix.length);
          const i = opts.delimiter ? rest.indexOf(opts.delimiter) : -1;
          if (i >= 0) {
            prefixes.add(prefix + rest.slice(0, i + opts.delimiter!.length));
            continue;
          }
          const s = await stat(join(dir, ent.name)).catch(() => null);
          if (s) objects.push({ key, size: s.size, etag: etagOf(s), lastModified: s.mtime });
        }
      }
    };
    await walk(baseDir, baseKey ? `${baseKey}/` : '');
    objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { objects, prefixes: [...prefixes].sort() };
  }

  async delete(key: string) {
    await rm(this.path(key), { force: true });
  }

  async localPath(key: string) {
    const path = this.path(key);
    if (!(await this.head(key))) throw new Error(`no object at ${key} in ${this.root}`);
    return path;
  }

  async presignPut(key: string, opts: PresignPutOptions) {
    assertValidKey(key);
    const expires = Math.floor(Date.now() / 1000) + opts.expiresSeconds;
    const contentType = opts.contentType ?? DEFAULT_CONTENT_TYPE;
    const url = presignedPutUrl(this.uploadUrl, this.secret, {
      key,
      expires,
      bytes: opts.bytes,
      contentType,
    });
    return {
      url,
      method: 'PUT' as const,
      headers: { 'content-type': contentType },
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /**
   * The upload route's side of presignPut: checks the URL's signature, expiry and headers before
   * reading a byte, then streams the body into place (temp file, renamed), refusing it as soon as
   * it exceeds the signed size. Throws PutRefused (presigned-put.ts) with the status to answer.
   */
  async receivePresignedPut(
    search: URLSearchParams,
    req: {
      contentType?: string | null;
      contentLength?: string | null;
      body: Readable | ReadableStream<Uint8Array> | null;
    },
  ) {
    const grant = verifyPutGrant(this.secret, search, req, Date.now());
    const path = this.path(grant.key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}${TMP_MARK}${randomUUID()}`;
    try {
      // pipeline, not pipe: a client that hangs up or a body over the size fails the whole chain.
      await pipeline(
        nodeBody(req.body),
        sizeGuard(grant.bytes ?? PUT_OBJECT_LIMIT, grant.bytes),
        createWriteStream(tmp, { flags: 'wx' }),
      );
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    return this.commit(grant.key, path, tmp, {});
  }

  private async writeTemp(path: string, body: Body) {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}${TMP_MARK}${randomUUID()}`;
    const source =
      typeof body === 'string' || body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : body;
    try {
      await pipeline(source, createWriteStream(tmp, { flags: 'wx' }));
    } catch (e) {
      // A failed stream (a client that hung up, a refused size) leaves no half-written temp file.
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    return tmp;
  }

  private async commit(key: string, path: string, tmp: string, opts: PutOptions) {
    try {
      if (opts.ifNoneMatch === '*') {
        try {
          await link(tmp, path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST')
            throw new PreconditionFailedError(key, 'object exists');
          throw e;
        }
      } else if (opts.ifMatch !== undefined) {
        await withLock(path, async () => {
          const current = await this.head(key);
          if (!current || current.etag !== opts.ifMatch) {
            throw new PreconditionFailedError(key, current ? 'ETag changed' : 'object is absent');
          }
          await rename(tmp, path);
        });
      } else {
        await rename(tmp, path);
      }
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    const s = await stat(path);
    return { etag: etagOf(s) };
  }
}

// An ETag from the inode and change time: every write renames a fresh file into place, so any
// replacement changes it, and it costs one stat instead of hashing large Parquet files.
function etagOf(s: import('node:fs').Stats) {
  const h = createHash('sha1').update(`${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`).digest('hex');
  return `"${h.slice(0, 32)}"`;
}

async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = path + LOCK_SUFFIX;
  await mkdir(dirname(lock), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(lock, 'wx');
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const s = await stat(lock).catch(() => null);
      if (s && Date.now() - s.mtimeMs > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.min(50, 2 + attempt)));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

// ENOTDIR: a key below an object (a.txt/child) is as missing as it would be in S3.
function isNoEnt(e: unknown) {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
