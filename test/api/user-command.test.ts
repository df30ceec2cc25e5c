// `corridor user`: the printed environment lines configure an account that signs in.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localAuthenticator } from '../../lib/auth/local-auth';
import { tokenSha256 } from '../../lib/auth/passwords';

const CLI = fileURLToPath(new URL('../../bin/corridor.js', import.meta.url));
const env = (out: string) =>
  Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => /^(\w+)='?(.*?)'?$/.exec(l)!)
      .map((m) => [m[1], m[2]]),
  );

describe('corridor user', () => {
  it('hash-password prints a hash the local authenticator accepts', async () => {
    const out = execFileSync(
      process.execPath,
      [CLI, 'user', 'hash-password', '--user', 'planner', '--role', 'analyst'],
      { input: 'a long enough password\n', encoding: 'utf8' },
    );
    const e = env(out);
    expect(e.CORRIDOR_ADMIN_USER).toBe('planner');
    const auth = localAuthenticator({
      auth: {
        adminUser: e.CORRIDOR_ADMIN_USER,
        adminPasswordHash: e.CORRIDOR_ADMIN_PASSWORD_HASH,
        adminRole: e.CORRIDOR_ADMIN_ROLE,
      },
    });
    expect(await auth.signIn!('planner', 'a long enough password')).toEqual({
      user: 'planner',
      role: 'analyst',
      via: 'session',
    });
    expect(await auth.signIn!('planner', 'wrong')).toBeNull();
  });

  it('refuses short passwords and prints a token with only its hash in the environment', async () => {
    expect(() =>
      execFileSync(process.execPath, [CLI, 'user', 'hash-password'], { input: 'short\n', stdio: 'pipe' }),
    ).toThrow();
    const r = spawnSync(process.execPath, [CLI, 'user', 'token', '--user', 'bot'], { encoding: 'utf8' });
    const e = env(r.stdout);
    expect(r.stdout).not.toMatch(/cor_/); // the token itself goes to stderr only
    const token = /(cor_[\w-]+)/.exec(r.stderr)![1]!;
    expect(e.CORRIDOR_ADMIN_TOKEN_SHA256).toBe(tokenSha256(token));
    const auth = localAuthenticator({
      auth: { adminUser: 'bot', adminTokenSha256: e.CORRIDOR_ADMIN_TOKEN_SHA256 },
    });
    expect(await auth.authenticate({ bearer: token })).toEqual({ user: 'bot', role: 'admin', via: 'token' });
  });
});
