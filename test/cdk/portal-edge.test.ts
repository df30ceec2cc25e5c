// How the app learns the portal address behind CloudFront (lib/api/public-origin.ts), in the
// templates: a viewer-request function on every API behaviour copies the viewer's Host into the
// forwarded-host header, those behaviours forward every viewer header but Host, the API origin
// carries the api stack's edge secret as a custom header (a Secrets Manager reference, never a
// literal), and the api function is told the secret and the portal's custom domain.
import { type App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRequestCode } from '../../cdk/constructs/portal-site-api-request';
import { apiPaths, filePaths } from '../../cdk/constructs/portal-site-defaults';
import { API_ORIGIN_ID } from '../../cdk/constructs/portal-viewer-request';
import { staffAppPaths } from '../../cdk/constructs/staff-user-pool-defaults';
import { addCorridorStacks } from '../../cdk/stacks/corridor-stacks';
import { EDGE_SECRET_HEADER, VIEWER_HOST_HEADER } from '../../lib/api/public-origin';
import { arnText, testApp } from './corridor-app';

type Json = Record<string, unknown>;
// AWS docs, "Use managed origin request policies": AllViewerExceptHostHeader sends every viewer
// header except Host, so the header the function adds reaches API Gateway and the app.
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const DOMAIN = 'data.mpo.example';

function synth(portalDomain?: { names: string[]; certificateArn: string }) {
  const app: App = testApp();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stacks = addCorridorStacks(app, { stackPrefix: 'Corridor', codeVersion: 'abc1234', portalDomain });
  const assembly = app.synth();
  const template = (id: string) => Template.fromJSON(assembly.getStackArtifact(id).template);
  return { api: template(stacks.api.artifactId), portal: template(stacks.portal.artifactId) };
}

function apiFunctionEnv(api: Template) {
  const fn = Object.values(api.findResources('AWS::Lambda::Function')).find((r) =>
    String((r.Properties as Json).Description).includes('HTTP API'),
  )!;
  return ((fn.Properties as Json).Environment as { Variables: Record<string, unknown> }).Variables;
}

let plain: ReturnType<typeof synth>;
let custom: ReturnType<typeof synth>;
let dist: Json;
beforeAll(() => {
  plain = synth();
  custom = synth({ names: [DOMAIN], certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' });
  const [d] = Object.values(custom.portal.findResources('AWS::CloudFront::Distribution'));
  dist = (d!.Properties as Json).DistributionConfig as Json;
});

describe('the API behaviours', () => {
  it('run the forwarding function on viewer requests and forward every viewer header but Host', () => {
    const behaviours = dist.CacheBehaviors as Json[];
    const fnIds = new Set<string>();
    for (const path of apiPaths) {
      const b = behaviours.find((x) => x.PathPattern === path)!;
      expect(b.TargetOriginId, path).toBe(API_ORIGIN_ID);
      expect(b.OriginRequestPolicyId, path).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
      const assoc = b.FunctionAssociations as { EventType: string; FunctionARN: Json }[];
      expect(assoc, path).toHaveLength(1);
      expect(assoc[0]!.EventType).toBe('viewer-request');
      fnIds.add((assoc[0]!.FunctionARN['Fn::GetAtt'] as string[])[0]!);
    }
    // One function for all of them, whose code is the forwarding code.
    expect(fnIds.size).toBe(1);
    const fn = custom.portal.toJSON().Resources[[...fnIds][0]!] as { Properties: Json };
    expect(fn.Properties.FunctionCode).toBe(apiRequestCode);
    expect((fn.Properties.FunctionConfig as Json).Runtime).toBe('cloudfront-js-2.0');
  });

  it('leave the site-bound behaviours alone (their viewer headers are not forwarded)', () => {
    const behaviours = dist.CacheBehaviors as Json[];
    for (const p of [...filePaths.documents, ...filePaths.downloads]) {
      const b = behaviours.find((x) => x.PathPattern === p)!;
      expect(b.FunctionAssociations, p).toBeUndefined();
    }
  });

  it('send the api stack’s edge secret to the API origin only, as a Secrets Manager reference', () => {
    const origins = dist.Origins as Json[];
    const api = origins.find((o) => o.Id === API_ORIGIN_ID)!;
    const headers = api.OriginCustomHeaders as { HeaderName: string; HeaderValue: unknown }[];
    expect(headers.map((h) => h.HeaderName)).toEqual([EDGE_SECRET_HEADER]);
    const value = headers[0]!.HeaderValue as { 'Fn::Join': [string, unknown[]] };
    const parts = value['Fn::Join'][1];
    expect(parts[0]).toBe('{{resolve:secretsmanager:');
    expect(parts[2]).toBe(':SecretString:::}}');
    // The secret's ARN comes from the api stack's output of its EdgeKey (a stack-output reference
    // or an export, whichever cross-stack form cdk.json's flags choose).
    const ref = parts[1] as {
      'Fn::GetStackOutput'?: { StackName: string; OutputName: string };
      'Fn::ImportValue'?: string;
    };
    const outputs = custom.api.toJSON().Outputs as Record<string, { Value: Json; Export?: { Name: string } }>;
    const output = ref['Fn::GetStackOutput']
      ? outputs[ref['Fn::GetStackOutput'].OutputName]
      : Object.values(outputs).find((o) => o.Export?.Name === ref['Fn::ImportValue']);
    expect(output, JSON.stringify(ref)).toBeDefined();
    expect(arnText(output!.Value)).toMatch(/^<EdgeKey\w+>$/);
    for (const o of origins.filter((x) => x.Id !== API_ORIGIN_ID))
      expect(o.OriginCustomHeaders).toBeUndefined();
  });
});

describe('the forwarding function', () => {
  // Its source run in Node: no 'cloudfront' import, a plain handler.
  const handler = new Function(`${apiRequestCode}\nreturn handler;`)() as (e: unknown) => {
    headers: Record<string, { value: string }>;
  };
  const run = (headers: Record<string, string>) =>
    handler({
      request: {
        uri: '/staff',
        headers: Object.fromEntries(Object.entries(headers).map(([k, value]) => [k, { value }])),
      },
    }).headers;

  it('forwards the Host CloudFront routed on and drops what the viewer sent under either name', () => {
    const out = run({
      host: DOMAIN,
      [VIEWER_HOST_HEADER]: 'evil.example',
      [EDGE_SECRET_HEADER]: 'a-guess',
      cookie: 'corridor_session=x',
    });
    expect(out[VIEWER_HOST_HEADER]).toEqual({ value: DOMAIN });
    expect(out[EDGE_SECRET_HEADER]).toBeUndefined();
    expect(out.cookie).toEqual({ value: 'corridor_session=x' });
    expect(out.host).toEqual({ value: DOMAIN });
    expect(run({ [VIEWER_HOST_HEADER]: 'evil.example' })[VIEWER_HOST_HEADER]).toBeUndefined();
  });
});

describe('the api function and the staff sign-in', () => {
  it('gets the edge secret as a reference to its own secret, never a literal', () => {
    for (const t of [plain, custom]) {
      expect(arnText(apiFunctionEnv(t.api).CORRIDOR_EDGE_SECRET)).toMatch(
        /^\{\{resolve:secretsmanager:<EdgeKey\w+>:SecretString:::\}\}$/,
      );
    }
    custom.api.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: `Corridor: header value the portal distribution sends the API (lib/api/public-origin.ts)`,
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    });
  });

  it('with a custom domain: trusts it as a public origin and registers its callback and sign-out URLs', () => {
    const env = apiFunctionEnv(custom.api);
    expect(env.CORRIDOR_PUBLIC_ORIGINS).toBe(`https://${DOMAIN}`);
    const [client] = Object.values(custom.api.findResources('AWS::Cognito::UserPoolClient'));
    const p = client!.Properties as { CallbackURLs: unknown[]; LogoutURLs: unknown[] };
    expect(p.CallbackURLs.map(arnText)).toContain(`https://${DOMAIN}${staffAppPaths.callback}`);
    expect(p.LogoutURLs.map(arnText)).toContain(`https://${DOMAIN}${staffAppPaths.signedOut}`);
  });

  it('without one: no public origins (the *.cloudfront.net name cannot be registered, sign-in goes round the API URL)', () => {
    expect(apiFunctionEnv(plain.api).CORRIDOR_PUBLIC_ORIGINS).toBeUndefined();
  });
});
