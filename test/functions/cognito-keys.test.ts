// The api function's Cognito key set (lib/auth/cognito-auth.ts): fetched once per hour, shared by
// concurrent requests, and the last good set kept when a refresh fails.
import { describe, expect, it } from 'vitest';
import { cachedJwks } from '../../lib/auth/cognito-auth';

const URL_ = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST/.well-known/jwks.json';

function fakeFetch(answers: (() => Response)[]) {
  const calls: string[] = [];
  const f = (async (url: string | URL | Request) => {
    calls.push(String(url));
    const next = answers.shift();
    if (!next) throw new Error('network down');
    return next();
  }) as typeof fetch;
  return { f, calls };
}
const keys = (kid: string) => () => Response.json({ keys: [{ kty: 'RSA', kid, n: 'x', e: 'AQAB' }] });

describe('cachedJwks', () => {
  it('fetches once for concurrent callers and again after the TTL', async () => {
    let now = 0;
    const { f, calls } = fakeFetch([keys('a'), keys('b')]);
    const jwks = cachedJwks(URL_, { fetch: f, ttlMs: 1000, now: () => now });
    const [x, y] = await Promise.all([jwks(), jwks()]);
    expect(x.map((k) => k.kid)).toEqual(['a']);
    expect(y).toBe(x);
    now = 999;
    expect((await jwks())[0]?.kid).toBe('a');
    expect(calls).toEqual([URL_]);
    now = 1000;
    expect((await jwks())[0]?.kid).toBe('b');
    expect(calls).toHaveLength(2);
  });

  it('keeps the last good keys when a refresh fails, and fails when it never had any', async () => {
    let now = 0;
    const { f, calls } = fakeFetch([keys('a'), () => new Response('busy', { status: 503 })]);
    const jwks = cachedJwks(URL_, { fetch: f, ttlMs: 100_000, now: () => now });
    await jwks();
    now = 100_000;
    expect((await jwks())[0]?.kid).toBe('a');
    // After a failure it waits a minute before asking again, not a request per call.
    now = 159_999;
    expect((await jwks())[0]?.kid).toBe('a');
    expect(calls).toHaveLength(2);
    now = 160_000;
    expect((await jwks())[0]?.kid).toBe('a'); // network down: still the last good set
    expect(calls).toHaveLength(3);

    const never = cachedJwks(URL_, { fetch: fakeFetch([() => Response.json({ nokeys: 1 })]).f });
    await expect(never()).rejects.toThrow(/no keys/);
  });
});
