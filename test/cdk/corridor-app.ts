// Builds the deployment as `cdk synth` does (cdk.json's feature flags, cdk-nag registered first)
// but without bundling, so a synth takes a second or two instead of an esbuild + npm ci per function.
import { readFileSync } from 'node:fs';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addCorridorStacks } from '../../cdk/stacks/corridor-stacks';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export function testApp() {
  return new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
}

export function synthCorridor() {
  const app = testApp();
  // Before any Template.fromStack: the first synth is cached and a later plugin reports nothing.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stacks = addCorridorStacks(app, { stackPrefix: 'Corridor', codeVersion: 'abc1234' });
  // One synth for all three (Template.fromStack would synthesise, and validate, once per stack).
  const assembly = app.synth();
  const template = (s: Stack) => Template.fromJSON(assembly.getStackArtifact(s.artifactId).template);
  const acknowledged: { path: string; id: string; reason: string }[] = [];
  for (const stack of Object.values(stacks)) {
    for (const e of assembly
      .getStackArtifact(stack.artifactId)
      .findMetadataByType('aws:cdk:acknowledged-rules')) {
      for (const [id, reason] of Object.entries(e.data as unknown as Record<string, string>)) {
        acknowledged.push({ path: e.path, id: id.replace(/^Annotation::/, ''), reason });
      }
    }
  }
  return {
    app,
    acknowledged,
    data: template(stacks.data),
    pipeline: template(stacks.pipeline),
    api: template(stacks.api),
  };
}

type Json = unknown;

/** An IAM resource or ARN as text: Fn::Join parts concatenated, {Ref: X} as <X>, GetAtt as <X.Attr>. */
export function arnText(v: Json): string {
  if (typeof v === 'string') return v;
  const o = v as Record<string, Json>;
  if (o['Fn::Join']) {
    const [sep, parts] = o['Fn::Join'] as [string, Json[]];
    return parts.map(arnText).join(sep);
  }
  if (o.Ref) return `<${o.Ref as string}>`;
  if (o['Fn::GetAtt']) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(v);
}

export interface Statement {
  effect: string;
  actions: string[];
  resources: string[];
  notResources: string[];
}

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** Every policy statement attached to roles whose logical id starts with `rolePrefix`. */
export function statementsFor(template: Template, rolePrefix: string): Statement[] {
  const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) =>
    id.startsWith(rolePrefix),
  );
  if (roles.length === 0) throw new Error(`no role whose logical id starts with ${rolePrefix}`);
  const out: Statement[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const props = policy.Properties as { Roles: { Ref: string }[]; PolicyDocument: { Statement: Json[] } };
    if (!props.Roles.some((r) => roles.includes(r.Ref))) continue;
    for (const s of props.PolicyDocument.Statement as Record<string, Json>[]) {
      out.push({
        effect: s.Effect as string,
        actions: list(s.Action as string | string[]),
        resources: list(s.Resource).map(arnText),
        notResources: list(s.NotResource).map(arnText),
      });
    }
  }
  return out;
}

/** The resources on which `action` is allowed (exact action names or trailing-* patterns). */
export function allowedResources(statements: Statement[], action: string): string[] {
  const matches = (a: string) =>
    a === action || a === '*' || (a.endsWith('*') && action.startsWith(a.slice(0, -1)));
  return statements
    .filter((s) => s.effect === 'Allow' && s.actions.some(matches))
    .flatMap((s) => s.resources);
}
