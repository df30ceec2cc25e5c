// Prefix-scoped S3 permissions with exact actions. CDK's grantRead/grantWrite add wildcard actions
// (s3:GetObject*, s3:List*, s3:DeleteObject*); Corridor's storage adapter needs only these.
import { Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

export interface PrefixGrants {
  /** Key prefixes (ending in '/') the grantee may read. */
  read?: string[];
  /** Key prefixes the grantee may create or replace objects under. Nothing may delete. */
  write?: string[];
}

export interface DataBucket {
  bucket: IBucket;
  /** The bucket name as cdk-nag prints it, to acknowledge each prefix's object wildcard by id. */
  nagName: string;
}

/** Grant `grantee` the prefixes; acknowledge the per-prefix object wildcards on `scope`. */
export function grantPrefixes(
  store: DataBucket,
  grantee: IGrantable,
  scope: IConstruct,
  grants: PrefixGrants,
) {
  const { bucket } = store;
  const objects = (prefixes: string[]) => prefixes.map((p) => bucket.arnForObjects(`${p}*`));
  const principal = grantee.grantPrincipal;
  const read = grants.read ?? [];
  const write = grants.write ?? [];
  if (read.length) {
    principal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: objects(read) }),
    );
    // Unconditional: without s3:ListBucket a missing key answers 403 instead of 404, and the
    // storage adapter lists catalog/ and results/ folders.
    principal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
  }
  if (write.length) {
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        // PutObject covers multipart create/upload/complete; abort cleans up a failed large upload.
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: objects(write),
      }),
    );
  }
  for (const p of new Set([...read, ...write])) {
    const how = [read.includes(p) ? 'read' : '', write.includes(p) ? 'write' : '']
      .filter(Boolean)
      .join(' and ');
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${store.nagName}/${p}*]`,
      reason: `Prefix-scoped grant: this function must ${how} any object under ${p} (keys are per dataset, version and run).`,
    });
  }
}
