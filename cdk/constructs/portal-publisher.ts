// The portal publisher: a function that renders the portal into the site bucket after every
// dataset or results publish, and invalidates what changed in CloudFront.
//
// Trigger: an EventBridge rule on the data bucket's Object Created events for the two keys that
// are written last when something is published — catalog/<dataset>/manifest.json (the ingest's
// atomic publish) and results/<family>/index.json (publishResult) — so the publisher never sees a
// half-written version, and neither the ingest nor the compute function needs to know about the
// portal (an async invoke from them would). Each event starts a full, idempotent publish;
// reserved concurrency 1 serialises a burst, and Lambda's async queue retries the throttled
// invocations, which then find nothing left to upload.
import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DataBucket } from './bucket-grants';
import { CorridorFunction } from './corridor-function';

export interface PortalPublisherProps {
  store: DataBucket;
  site: IBucket;
  distribution: IDistribution;
  /** The portal's public origin, printed in data.json and the CKAN shim. */
  origin: string;
  codeVersion: string;
}

/** The data-bucket keys whose creation means "something new to publish". */
export const publishTriggers = ['catalog/*/manifest.json', 'results/*/index.json'];

export class PortalPublisher extends Construct {
  readonly fn: CorridorFunction;

  constructor(scope: Construct, id: string, props: PortalPublisherProps) {
    super(scope, id);
    const { store, site, distribution } = props;
    this.fn = new CorridorFunction(this, 'Publisher', {
      entry: 'portal',
      description: 'Render the public portal into the site bucket and invalidate what changed in CloudFront',
      // Pages and downloads are rendered with DuckDB over the current versions, like a compute run.
      size: 'batch',
      store,
      codeVersion: props.codeVersion,
    });
    (this.fn.fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = 1;
    this.fn.fn.addEnvironment('CORRIDOR_SITE_BUCKET', site.bucketName);
    this.fn.fn.addEnvironment('CORRIDOR_DISTRIBUTION_ID', distribution.distributionId);
    this.fn.fn.addEnvironment('CORRIDOR_PORTAL_ORIGIN', props.origin);

    // What the pages and downloads show; portal/ holds the publisher's own state (publish-site.ts).
    this.fn.allow({ read: ['catalog/', 'curated/', 'results/', 'portal/'], write: ['portal/'] });
    // The site bucket is the publisher's alone: list it, write and delete its objects.
    const role = this.fn.role;
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [site.bucketArn] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        resources: [site.arnForObjects('*')],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['cloudfront:CreateInvalidation'],
        resources: [
          `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/${distribution.distributionId}`,
        ],
      }),
    );
    // cdk-nag names the bucket by its logical id in the finding.
    const stack = Stack.of(this);
    const siteId = stack.resolve(stack.getLogicalId(site.node.defaultChild as CfnBucket)) as string;
    Validations.of(this.fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${siteId}.Arn>/*]`,
      reason:
        'The site bucket holds only the published portal, which the publisher rewrites as a whole: any page, document or download may be created, replaced or deleted.',
    });

    new Rule(this, 'Published', {
      description: 'Publish the portal when a dataset version or a results run is published',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [store.bucket.bucketName] },
          // EventBridge content filtering: '*' matches any characters, '/' included.
          object: { key: publishTriggers.map((wildcard) => ({ wildcard })) },
        },
      },
      targets: [new LambdaFunction(this.fn.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
  }
}
