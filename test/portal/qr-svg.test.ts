// The authenticator set-up QR code decodes, with an independent reader, to exactly the text given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qrSvg } from '../../lib/portal/qr-svg';
import { decodeQrSvg } from './qr-decode';

describe('qrSvg', () => {
  it('an otpauth URI as Cognito set-up produces it reads back exactly', () => {
    const uri =
      'otpauth://totp/Corridor%3Aplanner%40mpo.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSW&issuer=Corridor';
    expect(decodeQrSvg(qrSvg(uri, 'set-up code'))).toBe(uri);
  });
  it('keeps the 4-module quiet zone and escapes its label', () => {
    const svg = qrSvg('x', 'a "b" <c> & d');
    const n = Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
    const xs = [...svg.matchAll(/M(\d+) (\d+)h(\d+)/g)].flatMap((m) => [Number(m[1]), Number(m[2])]);
    expect(Math.min(...xs)).toBe(4);
    expect(Math.max(...xs)).toBe(n - 5);
    expect(svg).toContain('aria-label="a &quot;b&quot; &lt;c> &amp; d"');
  });
  it('any printable text up to 120 characters reads back', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 120, unit: fc.constantFrom(...'AZaz09:/?=&%.-_ @'.split('')) }),
        (t) => {
          expect(decodeQrSvg(qrSvg(t, 'q'))).toBe(t);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });
});
