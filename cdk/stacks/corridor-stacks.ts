// The whole deployment: data, pipeline and api stacks, env-agnostic (no lookups), so `cdk synth`
// needs no AWS credentials.
import type { App } from 'aws-cdk-lib';
import { dataBucketName } from '../constructs/data-bucket-name';
import { ApiStack } from './api-stack';
import { DataStack } from './data-stack';
import { PipelineStack } from './pipeline-stack';
import { PortalStack } from './portal-stack';

export interface DeployConfig {
  /** Prefix of the stack names (and of the data bucket name), e.g. 'Corridor' or 'CorridorStaging'. */
  stackPrefix: string;
  /** Recorded in every lineage record as CORRIDOR_CODE_VERSION. */
  codeVersion: string;
  /** The portal's custom domain (cdk.json context portalDomain + portalCertificateArn); default *.cloudfront.net. */
  portalDomain?: { names: string[]; certificateArn: string };
  /** Prefix of the staff sign-in domain on Cognito (context staffDomainPrefix); default <prefix>-staff-<account>. */
  staffDomainPrefix?: string;
}

export function addCorridorStacks(app: App, config: DeployConfig) {
  const p = config.stackPrefix;
  const bucketName = dataBucketName(p);
  const data = new DataStack(app, `${p}Data`, {
    description: 'Corridor storage: data and access-log buckets',
    bucketName,
  });
  const pipeline = new PipelineStack(app, `${p}Pipeline`, {
    description: 'Corridor ingest and compute functions and the compute fan-out',
    bucketName,
    codeVersion: config.codeVersion,
  });
  const api = new ApiStack(app, `${p}Api`, {
    description: 'Corridor HTTP API',
    bucketName,
    codeVersion: config.codeVersion,
    // The portal's own domain is registered with the staff sign-in (api-stack.ts says how it is used).
    staffSignIn: {
      domainPrefix: config.staffDomainPrefix,
      appUrls: config.portalDomain?.names.map((n) => `https://${n}`),
    },
  });
  // They address the bucket by name (no export), so the deploy order is stated here.
  pipeline.addStackDependency(data);
  api.addStackDependency(data);
  // Reads the API's endpoint (a cross-stack reference: the API must exist first).
  const portal = new PortalStack(app, `${p}Portal`, {
    description: 'Corridor public portal: static site behind CloudFront, and its publisher',
    bucketName,
    codeVersion: config.codeVersion,
    apiEndpoint: api.httpApi.apiEndpoint,
    apiEdgeSecret: api.edgeKey,
    domain: config.portalDomain,
  });
  portal.addStackDependency(data);
  return { data, pipeline, api, portal };
}
