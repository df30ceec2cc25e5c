// A QR code as inline SVG, for the authenticator set-up page: phones add a TOTP account by
// scanning the otpauth:// URI, which is easier and less error-prone than typing a 32-letter key.
// Drawn as one path of dark runs per row (no script, no inline style, so the page's CSP holds).
import { encode } from 'uqr';

/** A 4-module light margin: the quiet zone ISO/IEC 18004 requires around the symbol. */
const QUIET = 4;

export function qrSvg(text: string, label: string): string {
  // Level M (15% recovery) keeps a TOTP URI at a small version while tolerating a glare spot.
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  const full = size + 2 * QUIET;
  let d = '';
  data.forEach((row, y) => {
    let x = 0;
    while (x < size) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && row[x]) x++;
      d += `M${start + QUIET} ${y + QUIET}h${x - start}v1h${start - x}z`;
    }
  });
  const esc = label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" width="${full * 5}" height="${full * 5}" role="img" aria-label="${esc}" shape-rendering="crispEdges"><rect width="${full}" height="${full}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`;
}
