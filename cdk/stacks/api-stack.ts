// The HTTP API: API Gateway (HTTP API, access-logged, throttled) in front of the api function,
// which serves lib/api's Hono app.
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { CorridorFunction } from '../constructs/corridor-function';
import { functionDefaults } from '../constructs/corridor-function-defaults';
import { type DataBucketName, importDataBucket } from '../constructs/data-bucket-name';
import { StaffUserPool } from '../constructs/staff-user-pool';
import { defaultDomainPrefix } from '../constructs/staff-user-pool-defaults';
import { REQUEST_PREFIX, REQUEST_STATUS_PREFIX, UPLOAD_PREFIX, UPLOAD_STATUS_PREFIX } from './pipeline-stack';

export interface ApiStackProps extends StackProps {
  bucketName: DataBucketName;
  codeVersion: string;
  /** Staff browser sign-in (cdk/constructs/staff-user-pool.ts); defaults suit a first deploy. */
  staffSignIn?: StaffSignInConfig;
}

export interface StaffSignInConfig {
  /** Cognito domain prefix (context staffDomainPrefix); default <stack prefix>-staff-<account>. */
  domainPrefix?: string;
  /** Addresses the portal is served at besides the API's own URL, e.g. https://data.mpo.example
   * (context portalDomain): registered as callbacks and sign-out URLs, and given to the function as
   * CORRIDOR_PUBLIC_ORIGINS, so staff who start there sign in and stay there. */
  appUrls?: string[];
}

export const apiThrottle = { rateLimit: 50, burstLimit: 100 };

export class ApiStack extends Stack {
  readonly api: CorridorFunction;
  readonly httpApi: HttpApi;
  readonly staff: StaffUserPool;
  /** The value the portal's CloudFront sends the API on every request (lib/api/public-origin.ts). */
  readonly edgeKey: Secret;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { codeVersion } = props;
    const store = importDataBucket(this, props.bucketName);
    this.api = new CorridorFunction(this, 'Api', {
      entry: 'api',
      description: 'Corridor HTTP API (catalog, datasets, measures, downloads, staff uploads)',
      size: 'api',
      store,
      codeVersion,
    });
    // Read-only, except staff uploads (the ingest picks them up from the upload prefix), staff
    // requests (computations and BCA runs the compute function picks up, lib/api/staff-requests.ts)
    // and the append-only audit log (lib/audit: one new object per entry). It reads the ingest's
    // status records of uploads, never the uploads themselves; its own request records (a request
    // not yet picked up is "queued", an unknown id 404), the compute function's outcomes, and the
    // staff BCA runs it lists and serves.
    this.api.allow({
      read: [
        'catalog/',
        'curated/',
        'results/',
        'audit/',
        UPLOAD_STATUS_PREFIX,
        REQUEST_PREFIX,
        REQUEST_STATUS_PREFIX,
        'staff/bca/',
      ],
      write: [UPLOAD_PREFIX, REQUEST_PREFIX, 'audit/'],
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: functionDefaults.logRetention });
    this.httpApi = new HttpApi(this, 'Http', {
      description: 'Corridor API',
      defaultIntegration: new HttpLambdaIntegration('Api', this.api.fn),
      createDefaultStage: false,
    });
    this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    // Staff sign in with Cognito's managed login on the host they started from when Cognito knows
    // it, and the staff pages stay there. Behind the portal's CloudFront the function's request URL
    // names the API's host, so it learns the browser's from a header the distribution adds
    // (lib/api/public-origin.ts): believed when it names one of the portal's addresses below
    // (CORRIDOR_PUBLIC_ORIGINS) or comes with the edge secret CloudFront sends (CORRIDOR_EDGE_SECRET).
    // requireRole's same-origin check (lib/api/security.ts) then compares the browser's Origin with
    // that host. The distribution's own *.cloudfront.net name cannot be registered as a callback
    // here (the portal stack takes this stack's endpoint, so this stack cannot take the
    // distribution's name without a cycle): without a custom domain, sign-in started there goes
    // round the API's own URL and the staff pages stay on it. The function verifies the tokens
    // (functions/api.ts) and signs session cookies with the pool's session key.
    this.staff = new StaffUserPool(this, 'Staff', {
      // The stack's id is `<stack prefix>Api` (corridor-stacks.ts): the pool is named after the deployment.
      domainPrefix:
        props.staffSignIn?.domainPrefix ?? defaultDomainPrefix(id.replace(/Api$/, ''), this.account),
      appUrls: [this.httpApi.apiEndpoint, ...(props.staffSignIn?.appUrls ?? [])],
    });
    for (const [k, v] of Object.entries(this.staff.apiEnvironment())) this.api.fn.addEnvironment(k, v);
    const portalOrigins = props.staffSignIn?.appUrls ?? [];
    if (portalOrigins.length > 0)
      this.api.fn.addEnvironment('CORRIDOR_PUBLIC_ORIGINS', portalOrigins.join(','));
    this.edgeKey = new Secret(this, 'EdgeKey', {
      description: 'Corridor: header value the portal distribution sends the API (lib/api/public-origin.ts)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    // Resolved at deploy time like the session key (staff-user-pool.ts); the portal stack puts the
    // same reference in the distribution's origin custom header.
    this.api.fn.addEnvironment('CORRIDOR_EDGE_SECRET', this.edgeKey.secretValue.unsafeUnwrap());
    Validations.of(this.edgeKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A shared value proving a request came through the portal distribution, not a credential: rotating it means a new value and redeploying the api and portal stacks, which resolve it at deploy time.',
    });
    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Public read-only routes need no authorizer; staff routes verify the Cognito JWT inside the app (lib/auth/jwt-auth.ts, role from cognito:groups) on every request.',
    });
    new CfnOutput(this, 'Url', { value: this.httpApi.apiEndpoint });
  }
}
