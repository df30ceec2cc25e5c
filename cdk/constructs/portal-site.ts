// The public portal's delivery: a private site bucket read by CloudFront through Origin Access
// Control, the API as a second origin for the paths that need per-request work, and a log bucket.
import { Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  Signing,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, OriginGroup, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Bucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EDGE_SECRET_HEADER } from '../../lib/api/public-origin';
import { apiRequestCode } from './portal-site-api-request';
import {
  apiPaths,
  distributionDefaults,
  extraSecurityHeaders,
  filePaths,
  openDataCors,
  securityHeaders,
} from './portal-site-defaults';
import { API_ORIGIN_ID, PAGE_QUERY_PARAMS, viewerRequestCode } from './portal-viewer-request';
import { bucketDefaults } from './secure-bucket-defaults';

export interface PortalSiteProps {
  /** The HTTP API's endpoint, https://<id>.execute-api.<region>.amazonaws.com. */
  apiEndpoint: string;
  /**
   * The API stack's edge secret (a Secrets Manager dynamic reference): sent to the API origin on
   * every request, it tells the app the forwarded viewer host came through this distribution.
   */
  edgeSecret?: string;
  /** A custom domain: its names and an ACM certificate in us-east-1 (CloudFront's requirement). */
  domain?: { names: string[]; certificate: ICertificate };
}

export class PortalSite extends Construct {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: PortalSiteProps) {
    super(scope, id);
    this.logs = new Bucket(this, 'Logs', {
      ...bucketDefaults,
      // CloudFront standard logging writes with an ACL, which BucketOwnerEnforced refuses.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-logs', expiration: distributionDefaults.logRetention }],
    });
    Validations.of(this.logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the distribution and site-bucket access logs; logging it into itself would log its own log deliveries.',
    });
    // Not versioned: every object is derived from the data bucket (which is versioned) and the
    // publisher rewrites the site at will; versions would only keep superseded pages and copies of
    // downloads. Retained with the stack like every Corridor bucket (bucketDefaults).
    this.bucket = new Bucket(this, 'Site', {
      ...bucketDefaults,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 'site/',
      lifecycleRules: [
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    const access = new S3OriginAccessControl(this, 'SiteAccess', { signing: Signing.SIGV4_ALWAYS });
    const site = S3BucketOrigin.withOriginAccessControl(this.bucket, { originAccessControl: access });
    const api = new HttpOrigin(Fn.select(2, Fn.split('/', props.apiEndpoint)), {
      originId: API_ORIGIN_ID,
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // An origin custom header: CloudFront sets it on every request to the API, replacing any
      // value a viewer sent. Its value is readable in the distribution's configuration (an AWS
      // dynamic reference resolves into the service), which only the account's operators see.
      ...(props.edgeSecret ? { customHeaders: { [EDGE_SECRET_HEADER]: props.edgeSecret } } : {}),
    });

    const headers = (name: string, cors: boolean) =>
      new ResponseHeadersPolicy(this, `${name}Headers`, {
        comment: `Corridor portal ${name.toLowerCase()}: the app's security headers${cors ? ' and open-data CORS' : ''}`,
        securityHeadersBehavior: securityHeaders,
        customHeadersBehavior: {
          customHeaders: Object.entries(extraSecurityHeaders).map(([header, value]) => ({
            header,
            value,
            override: true,
          })),
        },
        ...(cors ? { corsBehavior: openDataCors } : {}),
      });
    const pageHeaders = headers('Pages', false);
    const fileHeaders = headers('Files', true);
    const pagesCache = new CachePolicy(this, 'PagesCache', {
      comment: 'Corridor portal pages: keyed on the search and version parameters only',
      minTtl: distributionDefaults.pageTtl.min,
      defaultTtl: distributionDefaults.pageTtl.default,
      maxTtl: distributionDefaults.pageTtl.max,
      queryStringBehavior: CacheQueryStringBehavior.allowList(...PAGE_QUERY_PARAMS),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const viewerRequest = new EdgeFunction(this, 'ViewerRequest', {
      comment: 'Corridor portal: page URLs to index.html keys; search and old versions to the API',
      code: FunctionCode.fromInline(viewerRequestCode),
      runtime: FunctionRuntime.JS_2_0,
    });

    // Everything static is read from the bucket first; what it does not hold (S3 answers 403 to
    // CloudFront for a missing key) is asked of the API: a download of an older version, and
    // unknown paths, which then get the app's own 404 page instead of S3's XML error.
    const siteThenApi = new OriginGroup({
      primaryOrigin: site,
      fallbackOrigin: api,
      fallbackStatusCodes: [403, 404],
    });

    const apiRequest = new EdgeFunction(this, 'ApiRequest', {
      comment: 'Corridor portal: the viewer Host, forwarded to the API under a header of its own',
      code: FunctionCode.fromInline(apiRequestCode),
      runtime: FunctionRuntime.JS_2_0,
    });
    const toApi = {
      origin: api,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // Every viewer header but Host (API Gateway routes on its own), so the one the function
      // adds reaches the app with the cookies, Origin and Sec-Fetch-Site it checks.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      functionAssociations: [{ function: apiRequest, eventType: FunctionEventType.VIEWER_REQUEST }],
      // The app sends its own security and CORS headers on these paths.
    };
    const files = {
      origin: siteThenApi,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: fileHeaders,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Corridor public portal (${Stack.of(this).stackName})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: siteThenApi,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: pagesCache,
        responseHeadersPolicy: pageHeaders,
        functionAssociations: [{ function: viewerRequest, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // Listed before the broader /download/* and /results/* patterns: CloudFront takes the first match.
        ...Object.fromEntries(apiPaths.map((p) => [p, toApi])),
        ...Object.fromEntries([...filePaths.documents, ...filePaths.downloads].map((p) => [p, files])),
      },
      httpVersion: distributionDefaults.httpVersion,
      priceClass: distributionDefaults.priceClass,
      enableIpv6: true,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      ...(props.domain
        ? {
            domainNames: props.domain.names,
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its *.cloudfront.net certificate, whose security policy (TLSv1) cannot be changed; deploy with -c portalDomain=… -c portalCertificateArn=… to get TLSv1.2_2021.',
      });
    }
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          "Public open data for a US region's residents and researchers anywhere; no geographic restriction is wanted.",
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static read-only pages behind CloudFront; the dynamic paths reach an API Gateway stage that is throttled (api-stack.ts). A WAF web ACL (us-east-1, billed monthly) can be attached with webAclId when an MPO requires one.',
      },
    );
  }
}
