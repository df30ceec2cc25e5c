// The portal stack's template (STYLE.md §8: specific properties, not snapshots): a private site
// bucket read only through Origin Access Control, the paths that need per-request work sent to
// the API uncached, the app's own security headers, and a publisher that can touch nothing but
// the site, its state and one distribution's invalidations. cdk-nag runs on the whole app.
import { type App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ORIGIN_ID, viewerRequestCode } from '../../cdk/constructs/portal-viewer-request';
import { addCorridorStacks } from '../../cdk/stacks/corridor-stacks';
import { createApp } from '../../lib/api/app';
import { tempCtx } from '../helpers';
import { allowedResources, arnText, statementsFor, testApp } from './corridor-app';

type Json = Record<string, unknown>;

function synth(portalDomain?: { names: string[]; certificateArn: string }) {
  const app: App = testApp();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stacks = addCorridorStacks(app, { stackPrefix: 'Corridor', codeVersion: 'abc1234', portalDomain });
  // Throws ValidationFailed on any cdk-nag finding that is not acknowledged in code.
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stacks.portal.artifactId);
  const acknowledged = artifact.findMetadataByType('aws:cdk:acknowledged-rules').flatMap((e) =>
    Object.entries(e.data as unknown as Record<string, string>).map(([id, reason]) => ({
      path: e.path,
      id: id.replace(/^Annotation::/, ''),
      reason,
    })),
  );
  return { template: Template.fromJSON(artifact.template), acknowledged };
}

const one = (t: Template, type: string) => {
  const all = Object.entries(t.findResources(type));
  expect(all, type).toHaveLength(1);
  return { id: all[0]![0], props: all[0]![1].Properties as Json };
};

// Managed policy ids (AWS docs, "Use managed cache policies" / "managed origin request policies").
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

/** The group a behaviour targets: the site bucket first, the API when the bucket has no such key. */
function expectSiteThenApi(config: Json, targetId: unknown) {
  const group = (config.OriginGroups as { Items: Json[] }).Items.find((g) => g.Id === targetId);
  expect(group, String(targetId)).toBeDefined();
  expect(group!.FailoverCriteria).toEqual({ StatusCodes: { Items: [403, 404], Quantity: 2 } });
  const [primary, fallback] = (group!.Members as { Items: { OriginId: string }[] }).Items.map(
    (m) => m.OriginId,
  );
  expect((config.Origins as Json[]).find((o) => o.Id === primary)!.S3OriginConfig).toBeDefined();
  expect(fallback).toBe(API_ORIGIN_ID);
}

let t: ReturnType<typeof synth>;
let dist: Json;
let behaviours: Json[];
beforeAll(() => {
  t = synth();
  dist = one(t.template, 'AWS::CloudFront::Distribution').props.DistributionConfig as Json;
  behaviours = dist.CacheBehaviors as Json[];
});

describe('site bucket', () => {
  it('is private, encrypted, TLS-only, logged and unversioned', () => {
    const buckets = t.template.findResources('AWS::S3::Bucket');
    const site = Object.entries(buckets).find(([id]) => /^PortalSite[0-9A-F]{8}$/.test(id))![1]
      .Properties as Json;
    expect(site.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(site.VersioningConfiguration).toBeUndefined();
    expect(site.BucketEncryption).toBeDefined();
    expect((site.LoggingConfiguration as Json).LogFilePrefix).toBe('site/');
    expect(site.WebsiteConfiguration).toBeUndefined();
  });

  it('lets only this distribution read objects, and nothing at all without TLS', () => {
    const policy = Object.values(t.template.findResources('AWS::S3::BucketPolicy')).find((p) =>
      JSON.stringify(p).includes('cloudfront.amazonaws.com'),
    )!.Properties as { PolicyDocument: { Statement: Json[] } };
    const statements = policy.PolicyDocument.Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]!.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(allows[0]!.Action).toBe('s3:GetObject');
    expect(
      arnText((allows[0]!.Condition as Json & { StringEquals: Json }).StringEquals['AWS:SourceArn']),
    ).toMatch(/:cloudfront::<AWS::AccountId>:distribution\/<PortalSiteDistribution\w+>$/);
    expect(
      statements.some((s) => s.Effect === 'Deny' && JSON.stringify(s).includes('aws:SecureTransport')),
    ).toBe(true);
  });

  it('is read through Origin Access Control (SigV4 always), never an OAI or website endpoint', () => {
    const oac = one(t.template, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.props.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const s3Origins = (dist.Origins as Json[]).filter((o) => o.S3OriginConfig);
    // One bucket origin and the API; the origin group refers to both.
    expect(s3Origins).toHaveLength(1);
    expect(dist.Origins).toHaveLength(2);
    for (const o of s3Origins) {
      expect(o.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oac.id, 'Id'] });
      expect(o.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    }
  });
});

describe('distribution', () => {
  it('serves HTTPS only over HTTP/2 and 3, IPv6, price class 100, with access logs', () => {
    expect(dist.HttpVersion).toBe('http2and3');
    expect(dist.IPV6Enabled).toBe(true);
    expect(dist.PriceClass).toBe('PriceClass_100');
    expect((dist.Logging as Json).Prefix).toBe('cloudfront/');
    for (const b of [dist.DefaultCacheBehavior as Json, ...behaviours])
      expect(b.ViewerProtocolPolicy, String(b.PathPattern)).toBe('redirect-to-https');
    const api = (dist.Origins as Json[]).find((o) => o.Id === API_ORIGIN_ID)!;
    expect(api.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  it.each([
    '/api/*',
    '/staff',
    '/staff/*',
    '/assets/staff.js',
    '/healthz',
    '/download/*/latest/*',
    '/results/*/latest/*',
  ])('sends %s to the API with caching disabled and the viewer request forwarded', (path) => {
    const b = behaviours.find((x) => x.PathPattern === path);
    expect(b, path).toBeDefined();
    expect(b!.TargetOriginId).toBe(API_ORIGIN_ID);
    expect(b!.CachePolicyId).toBe(CACHING_DISABLED);
    expect(b!.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect(b!.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']));
  });

  it('matches the latest aliases before the static download patterns (first match wins)', () => {
    const at = (p: string) => behaviours.findIndex((b) => b.PathPattern === p);
    expect(at('/download/*/latest/*')).toBeLessThan(at('/download/*'));
    expect(at('/results/*/latest/*')).toBeLessThan(at('/results/*'));
  });

  it('serves files from the bucket, falling back to the API for versions it does not hold', () => {
    for (const p of ['/download/*', '/results/*', '/data.json', '/openapi.json']) {
      const b = behaviours.find((x) => x.PathPattern === p)!;
      expect(b.CachePolicyId, p).toBe(CACHING_OPTIMIZED);
      expect(b.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
      expectSiteThenApi(dist, b.TargetOriginId);
    }
  });

  it('serves pages from the bucket through the viewer-request function, cached on the search parameters only', () => {
    const d = dist.DefaultCacheBehavior as Json;
    // Unknown pages get the app's 404 page rather than S3's XML AccessDenied.
    expectSiteThenApi(dist, d.TargetOriginId);
    expect(d.AllowedMethods).toEqual(['GET', 'HEAD']);
    const association = (d.FunctionAssociations as Json[])[0]!;
    expect(association.EventType).toBe('viewer-request');
    // The pages' function, not the API behaviours' (portal-edge.test.ts checks that one).
    const fnId = ((association.FunctionARN as Json)['Fn::GetAtt'] as string[])[0]!;
    const fn = (t.template.toJSON().Resources[fnId] as { Properties: Json }).Properties;
    expect((fn.FunctionConfig as Json).Runtime).toBe('cloudfront-js-2.0');
    const cache = one(t.template, 'AWS::CloudFront::CachePolicy').props.CachePolicyConfig as Json;
    const key = cache.ParametersInCacheKeyAndForwardedToOrigin as Json;
    expect(key.QueryStringsConfig).toEqual({
      QueryStringBehavior: 'whitelist',
      QueryStrings: ['q', 'keyword', 'type', 'version'],
    });
    expect(key.CookiesConfig).toEqual({ CookieBehavior: 'none' });
    expect(cache.MaxTTL).toBe(86400);
  });

  it('uses the *.cloudfront.net certificate by default and TLS 1.2 (2021) with a custom domain', () => {
    expect(dist.ViewerCertificate).toBeUndefined();
    const custom = synth({
      names: ['data.mpo.example'],
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    });
    const cfg = one(custom.template, 'AWS::CloudFront::Distribution').props.DistributionConfig as Json;
    expect(cfg.Aliases).toEqual(['data.mpo.example']);
    expect(cfg.ViewerCertificate).toMatchObject({
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(custom.acknowledged.map((a) => a.id)).not.toContain('AwsSolutions-CFR4');
    const fn = one(custom.template, 'AWS::Lambda::Function').props as { Environment: { Variables: Json } };
    expect(fn.Environment.Variables.CORRIDOR_PORTAL_ORIGIN).toBe('https://data.mpo.example');
  });
});

describe('security headers', () => {
  let appHeaders: Headers;
  const ctx = tempCtx();
  beforeAll(async () => {
    appHeaders = (await createApp({ ctx, limits: { ratePerMinute: 0 } }).request('/healthz')).headers;
  });
  afterAll(() => ctx.cleanup());

  it('are the ones the app sends, on pages and files alike; files add open-data CORS', () => {
    const policies = Object.values(t.template.findResources('AWS::CloudFront::ResponseHeadersPolicy')).map(
      (p) => (p.Properties as Json).ResponseHeadersPolicyConfig as Json,
    );
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      const sec = p.SecurityHeadersConfig as Record<string, Json>;
      expect(sec.ContentSecurityPolicy!.ContentSecurityPolicy).toBe(
        appHeaders.get('content-security-policy'),
      );
      const hsts = sec.StrictTransportSecurity!;
      expect(`max-age=${hsts.AccessControlMaxAgeSec}; includeSubDomains`).toBe(
        appHeaders.get('strict-transport-security'),
      );
      expect(hsts.IncludeSubdomains).toBe(true);
      expect(sec.FrameOptions!.FrameOption).toBe(appHeaders.get('x-frame-options'));
      expect(sec.ReferrerPolicy!.ReferrerPolicy).toBe(appHeaders.get('referrer-policy'));
      expect(sec.ContentTypeOptions).toEqual({ Override: true });
      expect(appHeaders.get('x-content-type-options')).toBe('nosniff');
      expect(sec.XSSProtection).toMatchObject({ Protection: false });
      expect(appHeaders.get('x-xss-protection')).toBe('0');
      const custom = (p.CustomHeadersConfig as { Items: { Header: string; Value: string }[] }).Items;
      expect(custom.length).toBeGreaterThan(0);
      for (const h of custom) expect(h.Value, h.Header).toBe(appHeaders.get(h.Header));
      // Nothing that tracks or reports on visitors.
      expect(JSON.stringify(p)).not.toMatch(/report-uri|report-to|Server-Timing|Set-Cookie/i);
    }
    const cors = policies.map((p) => p.CorsConfig as Json | undefined).filter(Boolean);
    expect(cors).toHaveLength(1);
    expect(cors[0]).toMatchObject({
      AccessControlAllowCredentials: false,
      AccessControlAllowOrigins: { Items: ['*'] },
      AccessControlAllowMethods: { Items: ['GET', 'HEAD', 'OPTIONS'] },
    });
  });
});

describe('publisher', () => {
  const fn = () =>
    one(t.template, 'AWS::Lambda::Function').props as Json & {
      Environment: { Variables: Record<string, Json> };
    };

  it('runs one at a time, knows the site bucket, the distribution and the public origin', () => {
    expect(fn().ReservedConcurrentExecutions).toBe(1);
    const env = fn().Environment.Variables;
    expect(env.CORRIDOR_SITE_BUCKET).toEqual({ Ref: expect.stringMatching(/^PortalSite[0-9A-F]{8}$/) });
    expect(env.CORRIDOR_DISTRIBUTION_ID).toEqual({ Ref: expect.stringMatching(/^PortalSiteDistribution/) });
    expect(arnText(env.CORRIDOR_PORTAL_ORIGIN)).toMatch(
      /^https:\/\/<PortalSiteDistribution\w+\.DomainName>$/,
    );
  });

  it('reads the data it shows, writes only its state in the data bucket, and rewrites only the site', () => {
    const st = statementsFor(t.template, 'PortalPublisherRole');
    const data = 'arn:<AWS::Partition>:s3:::corridor-data-<AWS::AccountId>-<AWS::Region>';
    const site = /^<PortalSite[0-9A-F]{8}\.Arn>/;
    expect(allowedResources(st, 's3:GetObject').sort()).toEqual(
      ['catalog/', 'curated/', 'portal/', 'results/'].map((p) => `${data}/${p}*`),
    );
    expect(
      allowedResources(st, 's3:PutObject')
        .map((r) => r.replace(site, '<site>'))
        .sort(),
    ).toEqual([`${data}/portal/*`, '<site>/*'].sort());
    expect(allowedResources(st, 's3:DeleteObject').map((r) => r.replace(site, '<site>'))).toEqual([
      '<site>/*',
    ]);
    expect(
      allowedResources(st, 's3:ListBucket')
        .map((r) => r.replace(site, '<site>'))
        .sort(),
    ).toEqual(['<site>', data].sort());
    expect(allowedResources(st, 'cloudfront:CreateInvalidation')).toEqual([
      expect.stringMatching(/:cloudfront::<AWS::AccountId>:distribution\/<PortalSiteDistribution\w+>$/),
    ]);
    // Nothing else: X-Ray (resource *), its own log group, and the grants above.
    const actions = new Set(st.flatMap((s) => s.actions));
    expect([...actions].sort()).toEqual(
      [
        'cloudfront:CreateInvalidation',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:AbortMultipartUpload',
        's3:DeleteObject',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
  });

  it('runs when a dataset manifest or a results index is written to the data bucket', () => {
    const rule = one(t.template, 'AWS::Events::Rule').props as Json & { EventPattern: Json };
    expect(rule.EventPattern).toMatchObject({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        object: { key: [{ wildcard: 'catalog/*/manifest.json' }, { wildcard: 'results/*/index.json' }] },
      },
    });
    const targets = rule.Targets as Json[];
    expect(targets).toHaveLength(1);
    expect(targets[0]!.Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PortalPublisherFn/), 'Arn'] });
  });
});

describe('cdk-nag', () => {
  it('passes the portal stack with these acknowledgements only, each with its reason', () => {
    expect([...new Set(t.acknowledged.map((a) => a.id.replace(/\[.*$/, '')))].sort()).toEqual([
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR4',
      'AwsSolutions-IAM5',
      'AwsSolutions-S1',
    ]);
    for (const a of t.acknowledged) expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThan(40);
    expect(t.acknowledged.filter((a) => a.id === 'AwsSolutions-S1').map((a) => a.path)).toEqual([
      '/CorridorPortal/PortalSite/Logs',
    ]);
  });
});

describe('viewer-request function', () => {
  // The function's source run in Node with a stand-in for the 'cloudfront' module.
  const run = (uri: string, query: Record<string, string> = {}) => {
    const selected: string[] = [];
    const cf = { selectRequestOriginById: (id: string) => selected.push(id) };
    const handler = new Function('cf', `${viewerRequestCode.replace(/^import .*$/m, '')}\nreturn handler;`)(
      cf,
    ) as (e: unknown) => { uri: string };
    const querystring = Object.fromEntries(Object.entries(query).map(([k, value]) => [k, { value }]));
    const out = handler({ request: { uri, querystring, headers: {} } });
    return { uri: out.uri, origin: selected[0] ?? 'site' };
  };

  it.each([
    ['/', '/index.html'],
    ['/datasets', '/datasets/index.html'],
    ['/datasets/', '/datasets/index.html'],
    ['/datasets/gtfs.septa', '/datasets/gtfs.septa/index.html'],
    ['/measures/pm3', '/measures/pm3/index.html'],
    ['/bca', '/bca/index.html'],
    ['/bca/20260101T000000Z-abc', '/bca/20260101T000000Z-abc/index.html'],
    ['/bca/20260101T000000Z-abc/report.html', '/bca/20260101T000000Z-abc/report.html'],
    ['/data.json', '/data.json'],
    ['/assets/docs.js', '/assets/docs.js'],
    ['/download/acs/v1/t.csv', '/download/acs/v1/t.csv'],
  ])('maps the page %s to the object %s', (uri, key) => {
    expect(run(uri)).toEqual({ uri: key, origin: 'site' });
  });

  it('sends a catalog search and an older dataset version to the API, unchanged', () => {
    expect(run('/datasets', { q: 'commute' })).toEqual({ uri: '/datasets', origin: API_ORIGIN_ID });
    expect(run('/datasets/', { type: 'gtfs' }).origin).toBe(API_ORIGIN_ID);
    expect(run('/datasets/acs', { version: 'v1' })).toEqual({ uri: '/datasets/acs', origin: API_ORIGIN_ID });
    // An empty search box is the plain catalog.
    expect(run('/datasets', { q: '' })).toEqual({ uri: '/datasets/index.html', origin: 'site' });
    expect(run('/measures/pm3', { version: 'v1' }).origin).toBe('site');
  });
});
