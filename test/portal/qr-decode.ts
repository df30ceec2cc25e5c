// Reads a QR code back from the SVG that lib/portal/qr-svg.ts draws: the path's rectangles are
// painted onto a pixel grid and handed to an independent decoder (jsQR), so a test checks what a
// phone would read, not how the SVG was built.
import jsQR from 'jsqr';

export function decodeQrSvg(svg: string, scale = 4): string | null {
  const box = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  const path = /<path fill="#000" d="([^"]*)"/.exec(svg);
  if (!box || !path) throw new Error('not a QR svg');
  const n = Number(box[1]);
  const w = n * scale;
  const px = new Uint8ClampedArray(w * w * 4).fill(255);
  for (const m of path[1]!.matchAll(/M(\d+) (\d+)h(\d+)v1h-?\d+z/g)) {
    const [x0, y0, len] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let y = y0 * scale; y < (y0 + 1) * scale; y++)
      for (let x = x0 * scale; x < (x0 + len) * scale; x++) px.fill(0, (y * w + x) * 4, (y * w + x) * 4 + 3);
  }
  return jsQR(px, w, w, { inversionAttempts: 'dontInvert' })?.data ?? null;
}
