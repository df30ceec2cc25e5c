// `cdk synth` / `cdk deploy` entry (cdk.json runs it with tsx). Configuration is read here, once.
import { execFileSync } from 'node:child_process';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addCorridorStacks } from './stacks/corridor-stacks';

/**
 * The code version every lineage record carries (CORRIDOR_CODE_VERSION), in lib/version.ts's
 * local form `git:<sha>` so cloud and local runs compare; `-dirty` when uncommitted changes ship.
 */
function codeVersion(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  try {
    const sha = git('rev-parse', '--short=12', 'HEAD');
    return `git:${sha}${git('status', '--porcelain', '--untracked-files=no') ? '-dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** `-c portalDomain=data.example.org -c portalCertificateArn=arn:aws:acm:us-east-1:…` (both or neither). */
function portalDomain() {
  const name = app.node.tryGetContext('portalDomain') as string | undefined;
  const certificateArn = app.node.tryGetContext('portalCertificateArn') as string | undefined;
  if (!name !== !certificateArn)
    throw new Error('set both portalDomain and portalCertificateArn, or neither');
  return name && certificateArn ? { names: [name], certificateArn } : undefined;
}

const app = new App();
// cdk-nag 3 is a policy-validation plugin: synth fails on any finding not acknowledged in code.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
addCorridorStacks(app, {
  stackPrefix: String(app.node.tryGetContext('stackPrefix') ?? 'Corridor'),
  codeVersion: codeVersion(),
  portalDomain: portalDomain(),
  staffDomainPrefix: (app.node.tryGetContext('staffDomainPrefix') as string | undefined) || undefined,
});
// Cost allocation and ownership in a shared account.
Tags.of(app).add('project', 'corridor');
app.synth();
