// Runs the storage contract against a real S3 API when one is configured:
//   eval "$(scripts/s3-test-server.sh)" && npx vitest run test/storage
// Each test gets a fresh bucket; the adapter writes under a 'tenant/' prefix next to an object it
// must never see, so prefix handling is checked by every list assertion.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3Storage } from '../../lib/storage/s3-storage';
import { storageContract } from './storage-contract';

const endpoint = process.env.CORRIDOR_TEST_S3_ENDPOINT;
const credentials = {
  accessKeyId: process.env.CORRIDOR_TEST_S3_ACCESS_KEY ?? '',
  secretAccessKey: process.env.CORRIDOR_TEST_S3_SECRET_KEY ?? '',
};
const region = 'us-east-1';

if (!endpoint) {
  console.warn(
    'S3Storage contract skipped: CORRIDOR_TEST_S3_ENDPOINT is not set. Start a local radosgw with ' +
      '`eval "$(scripts/s3-test-server.sh)"` (also sets CORRIDOR_TEST_S3_ACCESS_KEY/SECRET_KEY).',
  );
}

async function makeS3() {
  const client = new S3Client({ region, endpoint, forcePathStyle: true, credentials });
  const bucket = `corridor-test-${randomUUID().slice(0, 13)}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'outside-prefix.txt', Body: 'not ours' }));
  const scratchDir = await mkdtemp(join(tmpdir(), 'corridor-s3-scratch-'));
  const storage = new S3Storage({
    bucket,
    endpoint,
    region,
    forcePathStyle: true,
    prefix: 'tenant/',
    scratchDir,
    credentials,
  });
  const cleanup = async () => {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      await Promise.all(
        (page.Contents ?? []).map((o) =>
          client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key })),
        ),
      );
      token = page.NextContinuationToken;
    } while (token);
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    await rm(scratchDir, { recursive: true, force: true });
    client.destroy();
  };
  return { storage, client, bucket, scratchDir, cleanup };
}

describe.skipIf(!endpoint)('S3Storage', () => {
  storageContract('s3 (radosgw or any S3 API)', makeS3);

  it('stores keys under the prefix and caches downloads in scratchDir/s3-cache', async () => {
    const { storage, client, bucket, scratchDir, cleanup } = await makeS3();
    try {
      expect(storage.location).toBe(`s3://${bucket}/tenant/`);
      const { etag } = await storage.put('raw/a.csv', 'x,y\n');
      const raw = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'tenant/raw/a.csv' }));
      expect(raw.ETag).toBe(etag);
      const path = await storage.localPath('raw/a.csv');
      expect(path.startsWith(join(scratchDir, 's3-cache'))).toBe(true);
      expect(path.endsWith('.csv')).toBe(true);
      expect(await readdir(join(scratchDir, 's3-cache'))).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });
});
