// The object-store port. Two adapters share one key layout (ARCHITECTURE.md "Storage keys"):
// fs-storage.ts (the default, a folder) and s3-storage.ts (the only S3 importer).
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

export interface PutOptions {
  /** '*' = create only if absent (S3 If-None-Match: *). */
  ifNoneMatch?: '*';
  /** Replace only if the current object has this ETag (S3 If-Match): compare-and-swap. */
  ifMatch?: string;
  contentType?: string;
  /** Stored as the object's Cache-Control, which S3 serves to CloudFront and browsers (the folder adapter has no metadata). */
  cacheControl?: string;
}

export interface ListResult {
  objects: ObjectInfo[];
  /** Common prefixes (each ends with the delimiter) when a delimiter is given. */
  prefixes: string[];
}

export type Body = Buffer | Uint8Array | string | Readable;

export interface Storage {
  readonly kind: 'fs' | 's3';
  /** A printable location, for messages and lineage (folder path or s3://bucket/prefix). */
  readonly location: string;
  head(key: string): Promise<ObjectInfo | null>;
  get(key: string): Promise<{ body: Buffer; etag: string } | null>;
  getStream(key: string): Promise<Readable | null>;
  put(key: string, body: Body, opts?: PutOptions): Promise<{ etag: string }>;
  /** Upload a local file (multipart for large objects). */
  putFile(key: string, localPath: string, opts?: PutOptions): Promise<{ etag: string }>;
  list(prefix: string, opts?: { delimiter?: string }): Promise<ListResult>;
  delete(key: string): Promise<void>;
  /**
   * A local file path holding the object, for DuckDB to read (the fs adapter returns the file
   * itself; the S3 adapter downloads into the scratch cache, keyed by ETag).
   */
  localPath(key: string): Promise<string>;
  /**
   * A URL that lets a client without credentials (a browser) PUT one object at `key` until it
   * expires, so large uploads bypass the API's request-size cap. S3 presigns a PutObject; the
   * folder adapter signs a URL to the local server's upload route (presigned-put.ts).
   */
  presignPut(key: string, opts: PresignPutOptions): Promise<PresignedPut>;
}

export interface PresignPutOptions {
  /** Seconds the URL stays valid (it only has to be valid when the PUT starts). */
  expiresSeconds: number;
  /** Signed: the PUT must send this Content-Type (default DEFAULT_CONTENT_TYPE). */
  contentType?: string;
  /**
   * The exact body length, signed: any other length is refused. An exact size rather than a
   * maximum because a presigned S3 PUT can only bind Content-Length itself (a range needs a POST
   * policy), and both adapters must refuse the same requests.
   */
  bytes?: number;
}

/** What a presigned PUT must declare when the caller names no type (S3 signs this one then). */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

export interface PresignedPut {
  url: string;
  method: 'PUT';
  /** Headers the PUT must carry as given (Content-Length is set by the client from the body). */
  headers: Record<string, string>;
  expiresAt: string;
}

export class PreconditionFailedError extends Error {
  readonly code = 'PreconditionFailed';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`conditional write to ${key} refused: ${detail}`);
  }
}

export class NotFoundError extends Error {
  readonly code = 'NotFound';
  constructor(readonly key: string) {
    super(`no object at ${key}`);
  }
}

/** Keys are relative, '/'-separated, with no empty, '.' or '..' segments: never a path escape. */
export function assertValidKey(key: string): void {
  if (
    key.length === 0 ||
    key.length > 1024 ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.includes('\0') ||
    key.split('/').some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new Error(`invalid storage key ${JSON.stringify(key)}`);
  }
}

export async function getJson<T>(storage: Storage, key: string): Promise<{ value: T; etag: string } | null> {
  const obj = await storage.get(key);
  return obj ? { value: JSON.parse(obj.body.toString('utf8')) as T, etag: obj.etag } : null;
}

export function putJson(storage: Storage, key: string, value: unknown, opts: PutOptions = {}) {
  return storage.put(key, `${JSON.stringify(value, null, 2)}\n`, {
    contentType: 'application/json',
    ...opts,
  });
}
