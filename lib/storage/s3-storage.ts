// The S3 adapter: the only module in lib/ that imports the AWS SDK. Its semantics match
// fs-storage.ts; test/storage/storage-contract.ts runs the same suite against both.
// Conditional writes are S3's own (If-None-Match / If-Match), so compare-and-swap is atomic on the
// server; a refused condition surfaces as PreconditionFailedError. They always go in one PutObject:
// radosgw 16 ignores the conditions on CompleteMultipartUpload and would silently overwrite.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { isConditional, isMissing, isPreconditionFailed, reason } from './s3-errors';
import {
  assertValidKey,
  type Body,
  DEFAULT_CONTENT_TYPE,
  type ListResult,
  NotFoundError,
  type ObjectInfo,
  PreconditionFailedError,
  type PresignPutOptions,
  type PutOptions,
  type Storage,
} from './storage';

const PART_SIZE = 8 * 1024 * 1024;
/** Buffers and files up to this size go in one PutObject; larger ones and streams use Upload. */
const SINGLE_PUT_MAX = 16 * 1024 * 1024;
/** S3's limit for one PutObject, hence for a conditional write. */
const PUT_OBJECT_LIMIT = 5 * 1024 ** 3;

export interface S3StorageOptions {
  bucket: string;
  /** A non-AWS endpoint (radosgw, MinIO); unset on AWS. */
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  /** Key prefix inside the bucket, e.g. 'tenant/'; stripped again from list results. */
  prefix: string;
  /** localPath() downloads into <scratchDir>/s3-cache. */
  scratchDir: string;
  /** Static credentials (tests); otherwise the SDK's default provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export class S3Storage implements Storage {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  /** Signs presigned URLs only (see presignPut). */
  private readonly presigner: S3Client;
  private readonly scratchDir: string;

  constructor(opts: S3StorageOptions) {
    const trimmed = opts.prefix.replace(/^\/+|\/+$/g, '');
    if (trimmed) assertValidKey(trimmed);
    this.bucket = opts.bucket;
    this.prefix = trimmed ? `${trimmed}/` : '';
    this.scratchDir = opts.scratchDir;
    this.client = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      credentials: opts.credentials,
      // S3-compatible servers such as radosgw 16 reject the SDK's default aws-chunked trailing
      // checksums on streamed PUTs (411 MissingContentLength); send checksums only where required.
      ...(opts.endpoint
        ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
        : {}),
    });
    // A presigned PutObject from a client that computes checksums carries the checksum of an empty
    // body in its query, so every real upload would fail it: sign without checksums.
    this.presigner = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      credentials: opts.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  get location() {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  private fullKey(key: string) {
    assertValidKey(key);
    return this.prefix + key;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const res = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }),
      );
      return {
        key,
        size: res.ContentLength ?? 0,
        etag: res.ETag ?? '',
        lastModified: res.LastModified ?? new Date(0),
      };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async get(key: string) {
    const res = await this.getObject(key);
    if (!res) return null;
    return { body: Buffer.from(await res.Body!.transformToByteArray()), etag: res.ETag ?? '' };
  }

  async getStream(key: string) {
    const res = await this.getObject(key);
    return res ? (res.Body as Readable) : null;
  }

  async put(key: string, body: Body, opts: PutOptions = {}) {
    const Key = this.fullKey(key);
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      if (bytes.byteLength <= SINGLE_PUT_MAX || isConditional(opts)) {
        return this.putObject(key, Key, bytes, bytes.byteLength, opts);
      }
      return this.upload(key, Key, bytes, opts);
    }
    if (!isConditional(opts)) return this.upload(key, Key, body, opts);
    // A single PUT needs the length up front: spool the stream to scratch first.
    const dir = join(this.scratchDir, 's3-spool');
    await mkdir(dir, { recursive: true });
    const spool = join(dir, randomUUID());
    try {
      await pipeline(body, createWriteStream(spool, { flags: 'wx' }));
      return await this.putFile(key, spool, opts);
    } finally {
      await unlink(spool).catch(() => undefined);
    }
  }

  async putFile(key: string, localPath: string, opts: PutOptions = {}) {
    const Key = this.fullKey(key);
    const { size } = await stat(localPath);
    if (size <= SINGLE_PUT_MAX) return this.putObject(key, Key, await readFile(localPath), size, opts);
    if (!isConditional(opts)) return this.upload(key, Key, createReadStream(localPath), opts);
    if (size > PUT_OBJECT_LIMIT) {
      throw new Error(`conditional write to ${key} is ${size} bytes; one PutObject takes at most 5 GiB`);
    }
    return this.putObject(key, Key, createReadStream(localPath), size, opts);
  }

  async list(prefix: string, opts: { delimiter?: string } = {}): Promise<ListResult> {
    // Same check as the fs adapter: the folder part of a prefix must be a valid key.
    const cut = prefix.lastIndexOf('/');
    if (cut > 0) assertValidKey(prefix.slice(0, cut));
    const objects: ObjectInfo[] = [];
    const prefixes: string[] = [];
    const strip = (k: string) => k.slice(this.prefix.length);
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          Delimiter: opts.delimiter,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined) continue;
        objects.push({
          key: strip(o.Key),
          size: o.Size ?? 0,
          etag: o.ETag ?? '',
          lastModified: o.LastModified ?? new Date(0),
        });
      }
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix !== undefined) prefixes.push(strip(p.Prefix));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // S3 already sorts by UTF-8 bytes; sorting again keeps the order identical to the fs adapter's.
    objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { objects, prefixes: prefixes.sort() };
  }

  async delete(key: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
  }

  async localPath(key: string) {
    const Key = this.fullKey(key);
    // A few rounds in case a writer replaces the object between the HEAD and the GET.
    for (let attempt = 0; attempt < 5; attempt++) {
      const info = await this.head(key);
      if (!info) throw new NotFoundError(key);
      const name = createHash('sha256').update(`${this.bucket}\0${Key}\0${info.etag}`).digest('hex');
      // Keep the key's extension: DuckDB picks a reader from it when a query names a bare path.
      const cacheDir = join(this.scratchDir, 's3-cache');
      const path = join(cacheDir, name + (/(\.[A-Za-z0-9]{1,12})+$/.exec(key)?.[0] ?? ''));
      if ((await stat(path).catch(() => null))?.size === info.size) return path;
      await mkdir(cacheDir, { recursive: true });
      const tmp = `${path}.tmp-${randomUUID()}`;
      try {
        // If-Match pins the bytes to the ETag in the file name.
        const res = await this.client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key, IfMatch: info.etag }),
        );
        await pipeline(res.Body as Readable, createWriteStream(tmp, { flags: 'wx' }));
        await rename(tmp, path);
        return path;
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        if (!isPreconditionFailed(e) && !isMissing(e)) throw e;
      }
    }
    throw new Error(`${key} kept changing while it was being downloaded to ${this.scratchDir}`);
  }

  async presignPut(key: string, opts: PresignPutOptions) {
    // The SDK signs application/octet-stream when no type is given; say so to the caller.
    const contentType = opts.contentType ?? DEFAULT_CONTENT_TYPE;
    const url = await getSignedUrl(
      this.presigner,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.fullKey(key),
        ContentType: contentType,
        ContentLength: opts.bytes,
      }),
      {
        expiresIn: opts.expiresSeconds,
        // The presigner leaves Content-Type unsigned by default; signing it and the length makes
        // S3 refuse a PUT of another type or size, as the folder adapter does.
        signableHeaders: new Set(['content-type', 'content-length']),
      },
    );
    return {
      url,
      method: 'PUT' as const,
      headers: { 'content-type': contentType },
      expiresAt: new Date(Date.now() + opts.expiresSeconds * 1000).toISOString(),
    };
  }

  private async getObject(key: string) {
    try {
      return await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  private async putObject(
    key: string,
    Key: string,
    body: Uint8Array | Readable,
    size: number,
    opts: PutOptions,
  ) {
    try {
      const res = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: body,
          ContentLength: size,
          ContentType: opts.contentType,
          CacheControl: opts.cacheControl,
          IfNoneMatch: opts.ifNoneMatch,
          // AWS accepts the ETag with or without its quotes; radosgw 16 (and other Ceph-based
          // stores) compare the raw header with the stored, unquoted ETag, so send it bare.
          IfMatch: opts.ifMatch?.replace(/^"(.*)"$/, '$1'),
        }),
      );
      return { etag: res.ETag || (await this.etagAfterWrite(key)) };
    } catch (e) {
      if (isConditional(opts) && isPreconditionFailed(e)) throw new PreconditionFailedError(key, reason(e));
      // AWS answers If-Match on an absent key with 404.
      if (opts.ifMatch !== undefined && isMissing(e))
        throw new PreconditionFailedError(key, 'object is absent');
      throw e;
    }
  }

  /** Unconditional writes only (see the header): multipart in 8 MiB parts, or one PUT if smaller. */
  private async upload(key: string, Key: string, body: Body, opts: PutOptions) {
    const upload = new Upload({
      client: this.client,
      partSize: PART_SIZE,
      queueSize: 4,
      params: {
        Bucket: this.bucket,
        Key,
        Body: body,
        ContentType: opts.contentType,
        CacheControl: opts.cacheControl,
      },
    });
    await upload.done();
    // (A racing unconditional writer may win between these two calls; callers that care use ifMatch.)
    // radosgw answers CompleteMultipartUpload with an empty ETag; HEAD has the real one.
    return { etag: await this.etagAfterWrite(key) };
  }

  private async etagAfterWrite(key: string) {
    const info = await this.head(key);
    if (!info?.etag) throw new Error(`${key} has no ETag after it was written to ${this.location}`);
    return info.etag;
  }
}
