// Stateful storage: the data bucket (raw uploads, curated Parquet, catalog, results) and the bucket
// that receives its server access logs. Logical ids are stable: renaming one replaces a bucket.
import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DataBucketName } from '../constructs/data-bucket-name';
import {
  bucketDefaults,
  dataLifecycleRules,
  directUploadCors,
  logsLifecycleRules,
} from '../constructs/secure-bucket-defaults';

/**
 * CDK context naming the origins staff upload from (comma-separated, e.g.
 * `cdk deploy -c staffOrigins=https://data.example-mpo.org`); '*' when unset.
 */
export const STAFF_ORIGINS_CONTEXT = 'staffOrigins';

export class DataStack extends Stack {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;

  constructor(scope: Construct, id: string, props: StackProps & { bucketName: DataBucketName }) {
    super(scope, id, props);
    this.logsBucket = new Bucket(this, 'AccessLogs', {
      ...bucketDefaults,
      lifecycleRules: logsLifecycleRules,
    });
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server-access-log destination; logging it into itself would log its own log deliveries.',
    });
    this.bucket = new Bucket(this, 'Data', {
      ...bucketDefaults,
      bucketName: props.bucketName.value,
      versioned: true,
      lifecycleRules: dataLifecycleRules,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'data/',
      // Object Created events go to EventBridge, where pipeline-stack.ts filters on the upload prefix.
      eventBridgeEnabled: true,
      cors: directUploadCors(staffOrigins(this)),
    });
    // CDK's own handler that switches on the EventBridge notifications.
    const handler = this.node.findAll().find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's BucketNotificationsHandler (a deploy-time custom resource) comes with this role; its only other permission is s3:PutBucketNotification.",
      });
    }
  }
}

function staffOrigins(scope: Construct) {
  const given = scope.node.tryGetContext(STAFF_ORIGINS_CONTEXT) as string | string[] | undefined;
  const list = (Array.isArray(given) ? given : (given ?? '').split(',')).map((o) => o.trim()).filter(Boolean);
  for (const o of list)
    if (o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o))
      throw new Error(
        `${STAFF_ORIGINS_CONTEXT}: ${JSON.stringify(o)} is not an origin (scheme://host[:port])`,
      );
  return list.length ? list : ['*'];
}
