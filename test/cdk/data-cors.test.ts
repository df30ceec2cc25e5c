// The data bucket takes browser PUTs of staff uploads (presigned URLs, lib/api/staff-direct-upload.ts):
// a CORS rule for PUT from the staff origins, and incomplete direct uploads expire. Staff request
// records (lib/api/staff-requests.ts) expire too. Only the data stack is synthesised: a second or
// less.
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dataBucketName } from '../../cdk/constructs/data-bucket-name';
import { DataStack, STAFF_ORIGINS_CONTEXT } from '../../cdk/stacks/data-stack';
import { REQUEST_PREFIX, REQUEST_STATUS_PREFIX } from '../../cdk/stacks/pipeline-stack';
import {
  REQUEST_PREFIX as LIB_REQUEST_PREFIX,
  REQUEST_STATUS_PREFIX as LIB_REQUEST_STATUS_PREFIX,
} from '../../lib/api/staff-requests';
import { testApp } from './corridor-app';

function dataBucket(context: Record<string, unknown> = {}) {
  const app = testApp();
  for (const [k, v] of Object.entries(context)) app.node.setContext(k, v);
  const stack = new DataStack(app, 'CorridorData', { bucketName: dataBucketName('Corridor') });
  const buckets = Template.fromStack(stack).findResources('AWS::S3::Bucket', {
    Properties: { VersioningConfiguration: { Status: 'Enabled' } },
  });
  const [bucket] = Object.values(buckets);
  return bucket!.Properties as {
    CorsConfiguration?: { CorsRules: Record<string, unknown>[] };
    LifecycleConfiguration: { Rules: Record<string, unknown>[] };
  };
}

describe('data bucket for direct uploads', () => {
  it('allows PUT with Content-Type from any origin by default (the signature is the permission)', () => {
    const b = dataBucket();
    expect(b.CorsConfiguration?.CorsRules).toEqual([
      {
        Id: 'staff-direct-upload',
        AllowedMethods: ['PUT'],
        AllowedOrigins: ['*'],
        AllowedHeaders: ['content-type'],
        ExposedHeaders: ['ETag'],
        MaxAge: 3600,
      },
    ]);
    expect(b.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Prefix: 'incoming/', ExpirationInDays: 2, Status: 'Enabled' }),
    );
  });

  it('takes the staff origins from CDK context and refuses what is not an origin', () => {
    const b = dataBucket({
      [STAFF_ORIGINS_CONTEXT]: 'https://data.example.org, https://staff.example.org:8443',
    });
    expect(b.CorsConfiguration?.CorsRules[0]?.AllowedOrigins).toEqual([
      'https://data.example.org',
      'https://staff.example.org:8443',
    ]);
    expect(() => dataBucket({ [STAFF_ORIGINS_CONTEXT]: 'https://data.example.org/staff' })).toThrow(
      /is not an origin/,
    );
  });
});

describe('data bucket for staff requests', () => {
  it('expires request and status records after 30 days, and their old versions after a day', () => {
    // The prefixes the API, the compute function and the trigger rule use.
    expect([REQUEST_PREFIX, REQUEST_STATUS_PREFIX]).toEqual([LIB_REQUEST_PREFIX, LIB_REQUEST_STATUS_PREFIX]);
    const rules = dataBucket().LifecycleConfiguration.Rules;
    for (const prefix of [REQUEST_PREFIX, REQUEST_STATUS_PREFIX])
      expect(rules, prefix).toContainEqual(
        expect.objectContaining({
          Prefix: prefix,
          ExpirationInDays: 30,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          Status: 'Enabled',
        }),
      );
    // The bucket-wide rule still keeps other replaced objects for a quarter.
    expect(rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
    );
  });
});
