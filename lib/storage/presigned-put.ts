// The folder adapter's presigned PUT: a URL to the local server's upload route whose query
// carries the grant (key, expiry, exact size, content type) and an HMAC-SHA256 of it, so the
// route can accept a browser's PUT without a session, as S3 accepts a presigned URL.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { assertValidKey } from './storage';

/** Where the local server mounts the route (lib/api/staff-direct-upload.ts). */
export const PRESIGNED_PUT_PATH = '/storage/put';
/** One S3 PutObject takes at most 5 GiB: the folder refuses the same unsized bodies. */
export const PUT_OBJECT_LIMIT = 5 * 1024 ** 3;

export interface PutGrant {
  key: string;
  /** Unix seconds. */
  expires: number;
  bytes?: number;
  contentType?: string;
}

/** A refused PUT, with the status S3 would answer for the same fault. */
export class PutRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 411 | 413,
    message: string,
  ) {
    super(message);
  }
}

function mac(secret: Buffer, g: PutGrant) {
  // JSON, not a joined string: no field's text can be shifted into its neighbour's.
  const text = JSON.stringify(['PUT', g.expires, g.bytes ?? null, g.contentType ?? null, g.key]);
  return createHmac('sha256', secret).update(text).digest('base64url');
}

export function presignedPutUrl(base: string, secret: Buffer, g: PutGrant) {
  const q = new URLSearchParams({ key: g.key, expires: String(g.expires) });
  if (g.bytes !== undefined) q.set('bytes', String(g.bytes));
  if (g.contentType !== undefined) q.set('content_type', g.contentType);
  q.set('signature', mac(secret, g));
  return `${base}?${q}`;
}

/** The grant a URL's query carries, once its signature, expiry and the request's headers check out. */
export function verifyPutGrant(
  secret: Buffer,
  query: URLSearchParams,
  headers: { contentType?: string | null; contentLength?: string | null },
  nowMs: number,
): PutGrant {
  const key = query.get('key') ?? '';
  const expires = Number(query.get('expires'));
  const bytesText = query.get('bytes');
  const bytes = bytesText === null ? undefined : Number(bytesText);
  const contentType = query.get('content_type') ?? undefined;
  const given = Buffer.from(query.get('signature') ?? '');
  if (!key || !Number.isSafeInteger(expires) || (bytes !== undefined && !Number.isSafeInteger(bytes)))
    throw new PutRefused(400, 'the upload URL is incomplete');
  const grant: PutGrant = { key, expires, bytes, contentType };
  const want = Buffer.from(mac(secret, grant));
  if (given.length !== want.length || !timingSafeEqual(given, want))
    throw new PutRefused(403, 'the upload URL signature does not match');
  try {
    assertValidKey(key);
  } catch {
    throw new PutRefused(400, 'the upload URL names an invalid key');
  }
  if (nowMs > expires * 1000) throw new PutRefused(403, 'the upload URL has expired');
  // S3 compares the signed Content-Type with the header as sent.
  if (contentType !== undefined && (headers.contentType ?? '') !== contentType)
    throw new PutRefused(403, `the upload must be sent with Content-Type: ${contentType}`);
  const length = headers.contentLength == null ? undefined : Number(headers.contentLength);
  if (bytes !== undefined && length !== undefined && length !== bytes)
    throw new PutRefused(403, `the upload URL is for exactly ${bytes} bytes, not ${length}`);
  return grant;
}

/** Passes the body through, refusing it as soon as it exceeds `max` and at the end if short of `exact`. */
export function sizeGuard(max: number, exact?: number) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) cb(new PutRefused(413, `the body is larger than the ${max} bytes allowed`));
      else cb(null, chunk);
    },
    flush(cb) {
      if (exact !== undefined && seen !== exact)
        cb(new PutRefused(400, `the body has ${seen} bytes; the upload URL is for ${exact}`));
      else cb();
    },
  });
}

/** A request body as a Node stream (Hono hands over a web ReadableStream, node:http a Readable). */
export function nodeBody(body: Readable | ReadableStream<Uint8Array> | null): Readable {
  if (body === null) return Readable.from([]);
  if (body instanceof Readable) return body;
  return Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
}
