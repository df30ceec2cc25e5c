import { describe, expect, it } from 'vitest';
import { localAuthenticator } from '../../lib/auth/local-auth';
import { hashPassword, newToken, tokenSha256, verifyPassword } from '../../lib/auth/passwords';
import { hasRole } from '../../lib/auth/principal';

describe('passwords and tokens', () => {
  it('scrypt hashes verify, differ per salt, and reject wrong or malformed input', () => {
    const h = hashPassword('correct horse battery');
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hashPassword('correct horse battery')).not.toBe(h);
    expect(verifyPassword('correct horse battery', h)).toBe(true);
    expect(verifyPassword('correct horse batterY', h)).toBe(false);
    expect(verifyPassword('x', 'plain-text')).toBe(false);
    expect(verifyPassword('x', 'scrypt$99999999$8$1$AA$AA')).toBe(false);
  });

  it('tokens are random and stored only as their hash', () => {
    const t = newToken();
    expect(t).not.toBe(newToken());
    expect(tokenSha256(t)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('roles are ordered viewer < analyst < admin', () => {
    expect(hasRole({ user: 'a', role: 'admin', via: 'token' }, 'analyst')).toBe(true);
    expect(hasRole({ user: 'a', role: 'viewer', via: 'token' }, 'analyst')).toBe(false);
    expect(hasRole(null, 'viewer')).toBe(false);
  });

  it('no account is configured by default, so no default password exists', async () => {
    const a = localAuthenticator({ auth: {} });
    expect(a.enabled).toBe(false);
    expect(await a.signIn!('admin', 'admin')).toBeNull();
    expect(await a.signIn!('demo', 'corridor-demo')).toBeNull();
  });
});
