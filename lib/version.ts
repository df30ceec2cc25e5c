// The code version recorded in every lineage record: CORRIDOR_CODE_VERSION (set at deploy time),
// else the git commit (local clones), else the package version.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function codeVersion(): string {
  cached ??= process.env.CORRIDOR_CODE_VERSION || gitCommit() || packageVersion();
  return cached;
}

function gitCommit() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      cwd: new URL('..', import.meta.url),
    })
      .toString()
      .trim();
    return sha ? `git:${sha}` : undefined;
  } catch {
    return undefined; // not a git checkout (Lambda bundle, tarball)
  }
}

function packageVersion() {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return `corridor@${pkg.version}`;
  } catch {
    return 'corridor@unknown';
  }
}
