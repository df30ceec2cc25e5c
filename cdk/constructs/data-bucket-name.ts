// The data bucket's name, derived from account and region, so the pipeline and api stacks address
// the bucket by name instead of importing an export from the data stack: no cross-stack lock-in,
// and IAM statements (and their cdk-nag findings) read as the bucket they name.
import { Aws } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DataBucket } from './bucket-grants';

export interface DataBucketName {
  /** The name as a CloudFormation string (account and region resolve at deploy time). */
  value: string;
  /** The same name as cdk-nag prints it in finding ids. */
  nag: string;
}

export function dataBucketName(stackPrefix: string): DataBucketName {
  const base = `${stackPrefix.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-data`;
  // S3 names are at most 63 characters; account (12) and the longest region (14) take 28 of them.
  if (base.length > 63 - 28)
    throw new Error(`stack prefix ${JSON.stringify(stackPrefix)} is too long for a bucket name`);
  return { value: `${base}-${Aws.ACCOUNT_ID}-${Aws.REGION}`, nag: `${base}-<AWS::AccountId>-<AWS::Region>` };
}

/** The data bucket as seen from another stack. */
export function importDataBucket(scope: Construct, name: DataBucketName): DataBucket {
  return { bucket: Bucket.fromBucketName(scope, 'DataBucket', name.value), nagName: name.nag };
}
