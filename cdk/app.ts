// `cdk synth` / `cdk deploy` entry (cdk.json runs it with tsx). Configuration is read here, once.
import { execFileSync } from 'node:child_process';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addCorridorStacks } from './stacks/corridor-stacks';

function gitShortSha(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return '';
  }
}

const app = new App();
// cdk-nag 3 is a policy-validation plugin: synth fails on any finding not acknowledged in code.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
addCorridorStacks(app, {
  stackPrefix: String(app.node.tryGetContext('stackPrefix') ?? 'Corridor'),
  codeVersion: gitShortSha() || 'unknown',
});
// Cost allocation and ownership in a shared account.
Tags.of(app).add('project', 'corridor');
app.synth();
