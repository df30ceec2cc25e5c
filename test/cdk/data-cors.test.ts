// The data bucket takes browser PUTs of staff uploads (presigned URLs, lib/api/staff-direct-upload.ts):
// a CORS rule for PUT from the staff origins, and incomplete direct uploads expire. Only the data
// stack is synthesised: a second or less.
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dataBucketName } from '../../cdk/constructs/data-bucket-name';
import { DataStack, STAFF_ORIGINS_CONTEXT } from '../../cdk/stacks/data-stack';
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
