// The Cognito-shaped JWT authenticator, with a key pair made here (no network): valid tokens map
// groups to roles; wrong signature, issuer, audience, expiry, algorithm or no staff group → null.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { jwtAuthenticator } from '../../lib/auth/jwt-auth';
import { tempCtx } from '../helpers';

const ISS = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST';
const CLIENT = 'client-123';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
function token(
  payload: Record<string, unknown>,
  key: KeyObject = privateKey,
  header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' },
) {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${sign('RSA-SHA256', Buffer.from(head), key).toString('base64url')}`;
}
const now = Math.floor(Date.now() / 1000);
const good = {
  iss: ISS,
  aud: CLIENT,
  token_use: 'id',
  exp: now + 600,
  email: 'planner@mpo.example',
  'cognito:groups': ['viewer', 'analyst'],
};

describe('jwtAuthenticator', () => {
  const auth = jwtAuthenticator({ jwks: async () => [jwk], issuer: ISS, clientId: CLIENT });

  it('accepts a valid ID or access token and takes the highest staff group', async () => {
    expect(await auth.authenticate({ bearer: token(good) })).toEqual({
      user: 'planner@mpo.example',
      role: 'analyst',
      via: 'jwt',
    });
    const access = {
      iss: ISS,
      client_id: CLIENT,
      token_use: 'access',
      exp: now + 600,
      username: 'p2',
      'cognito:groups': ['admin'],
    };
    expect(await auth.authenticate({ bearer: token(access) })).toEqual({
      user: 'p2',
      role: 'admin',
      via: 'jwt',
    });
  });

  it('refuses forged, foreign, expired, unknown-key, none-alg and group-less tokens', async () => {
    for (const bad of [
      token(good, other.privateKey),
      token({ ...good, iss: 'https://evil.example' }),
      token({ ...good, aud: 'other-client' }),
      token({ ...good, exp: now - 10 }),
      token(good, privateKey, { alg: 'RS256', kid: 'nope' }),
      `${b64({ alg: 'none', kid: 'k1' })}.${b64({ ...good, 'cognito:groups': ['admin'] })}.`,
      token({ ...good, 'cognito:groups': ['everyone'] }),
      'not.a.jwt',
      'garbage',
    ])
      expect(await auth.authenticate({ bearer: bad })).toBeNull();
  });

  it('plugs into the app in place of the local authenticator', async () => {
    const ctx = tempCtx();
    try {
      const app = createApp({ ctx, auth, limits: { ratePerMinute: 0 } });
      const ok = await app.request('/api/v1/staff/me', {
        headers: { authorization: `Bearer ${token(good)}` },
      });
      expect(await ok.json()).toMatchObject({ role: 'analyst', via: 'jwt' });
      const audit = await app.request('/api/v1/staff/audit', {
        headers: { authorization: `Bearer ${token(good)}` },
      });
      expect(audit.status).toBe(403);
    } finally {
      ctx.cleanup();
    }
  });
});
