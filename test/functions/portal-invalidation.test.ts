// The CloudFront invalidation request (lib/portal/cloudfront-invalidation.ts): its XML body, and
// its Signature V4 checked against the AWS SDK's own signer (@smithy/signature-v4, installed with
// @aws-sdk/client-s3), so a signing slip shows up here rather than as a 403 in AWS.
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { invalidate, invalidationBody, invalidationRequest } from '../../lib/portal/cloudfront-invalidation';

const creds = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const now = new Date('2026-11-24T03:04:05.678Z');

/** The SDK's Checksum interface over node:crypto (what @aws-crypto/sha256-js provides in the SDK). */
class NodeSha256 {
  private h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(private readonly secret?: string | Uint8Array) {
    this.h = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array) {
    this.h.update(data);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
  reset() {
    this.h = this.secret ? createHmac('sha256', this.secret) : createHash('sha256');
  }
}

describe('CloudFront invalidation request', () => {
  it('lists the paths, URL-encoded and XML-escaped, with their count', () => {
    const body = invalidationBody(['/datasets/a b', '/x&y'], 'ref-1');
    expect(body).toContain('<Quantity>2</Quantity>');
    expect(body).toContain('<Path>/datasets/a%20b</Path><Path>/x&amp;y</Path>');
    expect(body).toContain('<CallerReference>ref-1</CallerReference>');
  });

  it('is signed exactly as the AWS SDK signs it', async () => {
    const req = invalidationRequest('E2EXAMPLE', ['/', '/datasets'], creds, now, 'ref-1');
    const url = new URL(req.url);
    const { authorization, ...unsigned } = req.headers;
    const signer = new SignatureV4({
      service: 'cloudfront',
      region: 'us-east-1',
      credentials: creds,
      sha256: NodeSha256 as never,
    });
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: url.hostname,
        path: url.pathname,
        headers: { ...unsigned },
        body: req.body,
      },
      { signingDate: now },
    );
    expect(authorization).toBe(signed.headers.authorization);
  });

  it('sends one POST and returns the invalidation id; errors carry CloudFront’s answer', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const ok = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response('<Invalidation><Id>I2EXAMPLE</Id></Invalidation>', { status: 201 });
    }) as unknown as typeof fetch;
    expect(await invalidate('E2EXAMPLE', ['/'], creds, ok)).toBe('I2EXAMPLE');
    expect(calls[0]!.url).toBe(
      'https://cloudfront.amazonaws.com/2020-05-31/distribution/E2EXAMPLE/invalidation',
    );
    expect(calls[0]!.init.method).toBe('POST');
    const denied = (async () =>
      new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 })) as never;
    await expect(invalidate('E2EXAMPLE', ['/'], creds, denied)).rejects.toThrow(/403.*AccessDenied/);
  });
});
