// Refuses a ZIP before ingest when its central directory declares more than we accept (total
// size, entries, or compression ratio: a zip bomb), or when it is not a readable ZIP. The ingest
// also caps bytes while inflating (lib/ingest/sources.ts), so an archive that lies about its
// sizes is stopped there.
export const ZIP_GUARD = { maxTotalBytes: 4 * 1024 ** 3, maxEntries: 10_000, maxRatio: 100 };

export function inspectZip(buf: Uint8Array, limits = ZIP_GUARD): string | null {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return 'not a ZIP archive (no end-of-central-directory record)';
  const entries = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (entries === 0xffff || cdOffset === 0xffffffff)
    return 'ZIP64 archives are not accepted here; unzip it and upload the files';
  if (entries > limits.maxEntries) return `more than ${limits.maxEntries} entries`;
  if (cdOffset + cdSize > buf.length) return 'the archive is truncated or corrupt';
  let p = cdOffset;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || view.getUint32(p, true) !== 0x02014b50)
      return 'the archive is corrupt (bad central directory)';
    const compressed = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const name = Buffer.from(buf.subarray(p + 46, p + 46 + nameLen)).toString('utf8');
    if (name.startsWith('/') || name.split(/[/\\]/).includes('..') || /^[a-zA-Z]:/.test(name))
      return `unsafe path ${JSON.stringify(name)} inside the archive`;
    total += size;
    if (size > 1024 * 1024 && size / Math.max(compressed, 1) > limits.maxRatio)
      return `entry ${JSON.stringify(name)} expands ${Math.round(size / Math.max(compressed, 1))}× (a zip bomb?)`;
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (total > limits.maxTotalBytes) return `it expands to ${total} bytes, more than ${limits.maxTotalBytes}`;
  if (total > 1024 * 1024 && total / buf.length > limits.maxRatio)
    return `it expands ${Math.round(total / buf.length)}× its size (a zip bomb?)`;
  return null;
}
