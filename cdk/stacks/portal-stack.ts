// The public portal on AWS: static pages and data files in a private bucket behind CloudFront,
// the API behind the same distribution for the paths that need per-request work, and the
// publisher that re-renders the site after each ingest or compute publish.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type DataBucketName, importDataBucket } from '../constructs/data-bucket-name';
import { PortalPublisher } from '../constructs/portal-publisher';
import { PortalSite } from '../constructs/portal-site';

export interface PortalStackProps extends StackProps {
  bucketName: DataBucketName;
  codeVersion: string;
  /** The HTTP API's endpoint (ApiStack.httpApi.apiEndpoint). */
  apiEndpoint: string;
  /** The API stack's edge secret (ApiStack.edgeKey): CloudFront sends it to the API on every request. */
  apiEdgeSecret?: ISecret;
  /** Optional custom domain: names and an ACM certificate ARN in us-east-1. */
  domain?: { names: string[]; certificateArn: string };
}

export class PortalStack extends Stack {
  readonly site: PortalSite;
  readonly publisher: PortalPublisher;

  constructor(scope: Construct, id: string, props: PortalStackProps) {
    super(scope, id, props);
    const store = importDataBucket(this, props.bucketName);
    this.site = new PortalSite(this, 'PortalSite', {
      apiEndpoint: props.apiEndpoint,
      // A dynamic reference ({{resolve:secretsmanager:…}}) resolved by CloudFormation at deploy
      // time: the template holds only the secret's ARN, imported from the API stack.
      edgeSecret: props.apiEdgeSecret?.secretValue.unsafeUnwrap(),
      domain: props.domain && {
        names: props.domain.names,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
      },
    });
    const origin = `https://${props.domain?.names[0] ?? this.site.distribution.distributionDomainName}`;
    this.publisher = new PortalPublisher(this, 'Portal', {
      store,
      site: this.site.bucket,
      distribution: this.site.distribution,
      origin,
      codeVersion: props.codeVersion,
    });
    new CfnOutput(this, 'Url', { value: origin });
    new CfnOutput(this, 'PublisherFunction', { value: this.publisher.fn.fn.functionName });
  }
}
