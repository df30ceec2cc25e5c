// The Lambda entry points called in-process against a local-folder store (no CORRIDOR_BUCKET), with
// events shaped as EventBridge, Step Functions and API Gateway (HTTP API, payload 2.0) send them.
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadStatusKey } from '../../lib/api/upload-jobs';
import { getLatestRun, getManifest } from '../../lib/catalog';
import { generateAcsDemo } from '../../lib/demo/acs';
import { getJson } from '../../lib/storage';
import { FsStorage } from '../../lib/storage/fs-storage';

const root = mkdtempSync(join(tmpdir(), 'corridor-functions-'));
const dataDir = join(root, 'store');
const storage = new FsStorage(dataDir);
let acsFiles: string[];

// A Cognito-shaped user pool: its JWKS served on loopback, tokens signed here.
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST';
const CLIENT_ID = 'portal-client';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
let jwksServer: Server;
let jwksRequests = 0;
function idToken(groups: string[], iss = ISSUER) {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'RS256', kid: 'pool-key' })}.${b64({
    iss,
    aud: CLIENT_ID,
    token_use: 'id',
    exp: Math.floor(Date.now() / 1000) + 600,
    email: 'planner@mpo.example',
    'cognito:groups': groups,
  })}`;
  return `${head}.${sign('RSA-SHA256', Buffer.from(head), keys.privateKey).toString('base64url')}`;
}

// The handlers build their Ctx from the environment on first use: set it before any call.
const saved = { ...process.env };
beforeAll(async () => {
  delete process.env.CORRIDOR_BUCKET;
  process.env.CORRIDOR_DATA_DIR = dataDir;
  process.env.CORRIDOR_SCRATCH_DIR = join(root, 'scratch');
  process.env.CORRIDOR_DUCKDB_THREADS = '1';
  process.env.CORRIDOR_CODE_VERSION = 'test-functions';
  jwksServer = createServer((req, res) => {
    jwksRequests++;
    if (req.url !== '/us-east-1_TEST/.well-known/jwks.json') return void res.writeHead(404).end();
    const jwk = { ...keys.publicKey.export({ format: 'jwk' }), kid: 'pool-key', alg: 'RS256', use: 'sig' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  const { port } = jwksServer.address() as AddressInfo;
  // As cdk/constructs/staff-user-pool.ts sets them on the api function.
  process.env.CORRIDOR_COGNITO_ISSUER = ISSUER;
  process.env.CORRIDOR_COGNITO_CLIENT_ID = CLIENT_ID;
  process.env.CORRIDOR_COGNITO_JWKS_URL = `http://127.0.0.1:${port}/us-east-1_TEST/.well-known/jwks.json`;
  acsFiles = await generateAcsDemo(join(root, 'acs'));
});
afterAll(() => {
  jwksServer?.close();
  process.env = saved;
  rmSync(root, { recursive: true, force: true });
});

const acs = (year: number) => acsFiles.find((f) => f.includes(`Y${year}.`))!;

/** An S3 "Object Created" event as EventBridge delivers it (keys arrive URL-encoded). */
function objectCreated(key: string, size = 0) {
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2026-11-24T00:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:s3:::corridor-data-123456789012-us-east-1'],
    detail: {
      version: '0',
      bucket: { name: 'corridor-data-123456789012-us-east-1' },
      object: { key, size, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '00617F08299329D189' },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      reason: 'PutObject',
    },
  };
}

/** An API Gateway HTTP API (payload format 2.0) request. */
function httpGet(path: string, headers: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', accept: 'application/json', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '24/Nov/2026:00:00:00 +0000',
      timeEpoch: 1795478400000,
    },
    isBase64Encoded: false,
  };
}

describe('ingest handler', () => {
  it('maps upload keys to dataset types and skips everything else', async () => {
    const { uploadTarget } = await import('../../functions/ingest');
    expect(uploadTarget('uploads/acs_b08301/ACSDT1Y2019.B08301-Data.csv')).toEqual({ dataset: 'acs_b08301' });
    expect(uploadTarget('uploads/gtfs.septa/feed.zip')).toEqual({ dataset: 'gtfs', name: 'septa' });
    expect(uploadTarget('raw/acs_b08301/20261124T000000000Z-abc/a.csv')).toEqual({
      skip: 'not under uploads/',
    });
    expect(uploadTarget('uploads/acs_b08301/_report.json')).toEqual({ skip: 'a report, not an upload' });
    expect(uploadTarget('uploads/acs_b08301/')).toMatchObject({ skip: expect.any(String) });
    expect(uploadTarget('uploads/acs_b08301/sub/a.csv')).toMatchObject({ skip: expect.any(String) });
    expect(uploadTarget('uploads/no_such_type/a.csv')).toMatchObject({
      skip: expect.stringMatching(/unknown dataset/),
    });
  });

  it('publishes an upload under uploads/acs_b08301/ and archives it under raw/ by its own name', async () => {
    const { handler } = await import('../../functions/ingest');
    const key = `uploads/acs_b08301/${basename(acs(2019))}`;
    await storage.putFile(key, acs(2019));
    const out = await handler(objectCreated(key));
    expect(out).toMatchObject({ status: 'published', datasetId: 'acs_b08301', errors: 0, key });
    const version = (out as { version: string }).version;
    expect((await getManifest(storage, 'acs_b08301'))?.current_version).toBe(version);
    expect(await storage.head(`raw/acs_b08301/${version}/ACSDT1Y2019.B08301-Data.csv`)).not.toBeNull();
    // Nothing the ingest wrote is itself an upload: the trigger cannot loop.
    const { objects } = await storage.list('uploads/');
    expect(objects.map((o) => o.key)).toEqual([key]);
  });

  it('is idempotent: the same event again publishes nothing new', async () => {
    const { handler } = await import('../../functions/ingest');
    const key = `uploads/acs_b08301/${basename(acs(2019))}`;
    expect(await handler(objectCreated(key))).toMatchObject({ status: 'unchanged', datasetId: 'acs_b08301' });
  });

  it('records each upload’s outcome under uploads-status/ for the API (keyed by the ETag)', async () => {
    const { handler } = await import('../../functions/ingest');
    const key = `uploads/acs_b08301/${basename(acs(2019))}`;
    // The folder store's ETag follows the file's ctime, which the handler's hard link moves: take it first.
    const etag = (await storage.head(key))!.etag.replace(/"/g, '');
    await handler(objectCreated(key));
    const got = await getJson<Record<string, unknown>>(storage, uploadStatusKey(key));
    expect(got?.value).toMatchObject({
      key,
      etag,
      status: 'unchanged',
      dataset_id: 'acs_b08301',
      errors: 0,
    });
    // An upload of an unknown kind is recorded as skipped, so staff are not left waiting.
    await storage.put('uploads/no_such_type/a.csv', 'x');
    await handler(objectCreated('uploads/no_such_type/a.csv'));
    expect((await getJson(storage, uploadStatusKey('uploads/no_such_type/a.csv')))?.value).toMatchObject({
      status: 'skipped',
      error: expect.stringMatching(/unknown dataset type/),
    });
  });

  it('decodes URL-encoded keys (a ZIP whose name has spaces)', async () => {
    const { handler } = await import('../../functions/ingest');
    const key = 'uploads/acs_b08301/ACS 2018 export.zip';
    await storage.put(key, Buffer.from(zipSync({ [basename(acs(2018))]: readFileSync(acs(2018)) })));
    const out = await handler(objectCreated('uploads/acs_b08301/ACS+2018+export.zip'));
    expect(out).toMatchObject({ status: 'published', key, errors: 0 });
  });

  it('skips reports and keys outside uploads/ without reading them', async () => {
    const { handler } = await import('../../functions/ingest');
    expect(await handler(objectCreated('raw/acs_b08301/x/ACSDT1Y2019.B08301-Data.csv'))).toMatchObject({
      status: 'skipped',
    });
    expect(await handler(objectCreated('uploads/acs_b08301/_quarantine.csv'))).toMatchObject({
      status: 'skipped',
    });
  });

  it('refuses an event that is not an S3 Object Created event', async () => {
    const { handler } = await import('../../functions/ingest');
    await expect(handler({ 'detail-type': 'Object Deleted', detail: {} })).rejects.toThrow();
  });
});

describe('compute handler', () => {
  it('runs a family on the ingested data and publishes the run', async () => {
    const { handler } = await import('../../functions/compute');
    const out = await handler({ family: 'commute_mode' });
    expect(out.runId).toEqual(expect.any(String));
    expect(Number(out.summary.rows)).toBeGreaterThan(0);
    expect((await getLatestRun(storage, 'commute_mode'))?.run_id).toBe(out.runId);
  });

  it('rejects an unknown family and a malformed event', async () => {
    const { handler } = await import('../../functions/compute');
    await expect(handler({ family: 'no_such_family' })).rejects.toThrow(/unknown family/);
    await expect(handler({ family: 'commute_mode', year: '2019' })).rejects.toThrow();
  });
});

describe('api handler', () => {
  it('answers /healthz', async () => {
    const { handler } = await import('../../functions/api');
    const res = await handler(httpGet('/healthz') as never);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, storage: 'fs' });
  });

  it('lists the datasets the ingest handler published', async () => {
    const { handler } = await import('../../functions/api');
    const res = await handler(httpGet('/api/datasets') as never);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { datasets: { id: string; versions: number }[] };
    expect(body.datasets).toContainEqual(expect.objectContaining({ id: 'acs_b08301', versions: 2 }));
  });

  it('verifies staff with the Cognito pool named by CORRIDOR_COGNITO_* (role from cognito:groups)', async () => {
    const { handler } = await import('../../functions/api');
    const me = (token?: string) =>
      handler(httpGet('/api/v1/staff/me', token ? { authorization: `Bearer ${token}` } : {}) as never);
    const ok = await me(idToken(['viewer', 'analyst']));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ user: 'planner@mpo.example', role: 'analyst', via: 'jwt' });
    expect(
      (await me(idToken(['admin'], 'https://cognito-idp.us-east-1.amazonaws.com/other'))).statusCode,
    ).toBe(401);
    // A signed-in user in no staff group is not staff.
    expect((await me(idToken(['everyone']))).statusCode).toBe(401);
    expect((await me()).statusCode).toBe(401);
    // The keys are fetched once and kept while the instance is warm.
    expect(jwksRequests).toBe(1);
  });
});
