// Settings of the public portal's distribution (STYLE.md §8: defaults beside the construct).
import { Duration } from 'aws-cdk-lib';
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  type ResponseHeadersPolicyProps,
} from 'aws-cdk-lib/aws-cloudfront';

/**
 * The security headers lib/api/app.ts sends (hono secureHeaders + the app's CSP), so a page looks
 * the same to a browser whether S3 or the API served it; test/cdk/portal-stack.test.ts compares
 * them with a live response of the app. No analytics or tracking headers are added.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export const securityHeaders: ResponseHeadersPolicyProps['securityHeadersBehavior'] = {
  contentSecurityPolicy: { contentSecurityPolicy: CSP, override: true },
  strictTransportSecurity: {
    accessControlMaxAge: Duration.seconds(15552000),
    includeSubdomains: true,
    override: true,
  },
  contentTypeOptions: { override: true },
  frameOptions: { frameOption: HeadersFrameOption.SAMEORIGIN, override: true },
  referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
  xssProtection: { protection: false, override: true },
};

export const extraSecurityHeaders: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
};

/** Open data is readable from any site, as the app's read-only CORS allows (lib/api/app.ts). */
export const openDataCors = {
  accessControlAllowCredentials: false,
  accessControlAllowHeaders: ['*'],
  accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
  accessControlAllowOrigins: ['*'],
  accessControlExposeHeaders: ['ETag', 'Content-Disposition'],
  originOverride: true,
};

/**
 * Paths answered by the API on every request: the API itself (incl. the CKAN shim and the
 * interactive docs), staff pages and their script (signed-in, cookies), the health check, and
 * the `latest` download aliases (a redirect to the current version, resolved per request).
 */
export const apiPaths = [
  '/api/*',
  '/staff',
  '/staff/*',
  '/assets/staff.js',
  '/healthz',
  '/download/*/latest/*',
  '/results/*/latest/*',
];

/** Files served from the site bucket with the open-data CORS headers and CloudFront's optimised caching. */
export const filePaths = {
  documents: ['/data.json', '/openapi.json'],
  downloads: ['/download/*', '/results/*'],
};

export const distributionDefaults = {
  httpVersion: HttpVersion.HTTP2_AND_3,
  // US, Canada, Europe and Israel: a US MPO's audience, at the lowest price class.
  priceClass: PriceClass.PRICE_CLASS_100,
  // Pages: CloudFront keeps them up to a day unless the object's Cache-Control says less (the
  // publisher sets s-maxage=600 and invalidates what changed); 5 minutes for answers without one.
  pageTtl: { min: Duration.seconds(0), default: Duration.minutes(5), max: Duration.days(1) },
  // Viewer logs are operational records, not analytics: kept 90 days.
  logRetention: Duration.days(90),
};
