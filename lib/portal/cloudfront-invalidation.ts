// Asks CloudFront to drop changed paths from its cache after a publish (CreateInvalidation,
// API version 2020-05-31). Signed here with Signature Version 4 over node:crypto because the
// CloudFront SDK client is not a dependency; the request is one POST with an XML body. Lambda
// puts the role's temporary credentials in the environment, so no credential chain is needed.
import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();
const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function invalidationBody(paths: string[], callerReference: string): string {
  const items = paths.map((p) => `<Path>${xml(encodeURI(p))}</Path>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">' +
    `<Paths><Quantity>${paths.length}</Quantity><Items>${items}</Items></Paths>` +
    `<CallerReference>${xml(callerReference)}</CallerReference></InvalidationBatch>`
  );
}

/** A SigV4-signed CreateInvalidation request (CloudFront is a global service signed in us-east-1). */
export function invalidationRequest(
  distributionId: string,
  paths: string[],
  creds: AwsCredentials,
  now: Date,
  callerReference: string,
) {
  const host = 'cloudfront.amazonaws.com';
  const path = `/2020-05-31/distribution/${encodeURIComponent(distributionId)}/invalidation`;
  const body = invalidationBody(paths, callerReference);
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/us-east-1/cloudfront/aws4_request`;
  const headers: Record<string, string> = {
    'content-type': 'application/xml',
    host,
    'x-amz-content-sha256': sha256(body),
    'x-amz-date': amzDate,
    ...(creds.sessionToken ? { 'x-amz-security-token': creds.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    'POST',
    path,
    '',
    ...names.map((n) => `${n}:${headers[n]!.trim()}`),
    '',
    names.join(';'),
    headers['x-amz-content-sha256'],
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = ['us-east-1', 'cloudfront', 'aws4_request'].reduce<Buffer>(
    (k, part) => hmac(k, part),
    hmac(`AWS4${creds.secretAccessKey}`, day),
  );
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return { url: `https://${host}${path}`, method: 'POST' as const, headers, body };
}

/** Sends the invalidation; throws with CloudFront's error text on anything but 201. */
export async function invalidate(
  distributionId: string,
  paths: string[],
  creds: AwsCredentials,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const req = invalidationRequest(distributionId, paths, creds, new Date(), `corridor-${Date.now()}`);
  const { host: _host, ...headers } = req.headers;
  const res = await fetchImpl(req.url, { method: req.method, headers, body: req.body });
  const text = await res.text();
  if (res.status !== 201)
    throw new Error(`CloudFront CreateInvalidation answered ${res.status}: ${text.slice(0, 500)}`);
  return /<Id>([^<]+)<\/Id>/.exec(text)?.[1] ?? '';
}
