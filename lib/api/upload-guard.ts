// Refuses a ZIP before ingest when its central directory declares more than we accept (total
// size, entries, or compression ratio: a zip bomb), or when it is not a readable ZIP. The ingest
// also caps bytes while inflating (lib/ingest/sources.ts), so an archive that lies about its
// sizes is stopped there.
import { open } from 'node:fs/promises';

export const ZIP_GUARD = { maxTotalBytes: 4 * 1024 ** 3, maxEntries: 10_000, maxRatio: 100 };

const EOCD_SEARCH = 65_557; // the 22-byte record plus a comment of at most 65,535 bytes

export function inspectZip(buf: Uint8Array, limits = ZIP_GUARD): string | null {
  const cd = locate(buf.subarray(Math.max(0, buf.length - EOCD_SEARCH)), buf.length);
  if (typeof cd === 'string') return cd;
  return checkEntries(cd, buf.subarray(cd.offset, cd.offset + cd.size), buf.length, limits);
}

/**
 * The same check on a file on disk (a direct upload, which may be gigabytes): reads only the
 * tail and the central directory.
 */
export async function inspectZipFile(path: string, limits = ZIP_GUARD): Promise<string | null> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const read = async (from: number, to: number) => {
      const out = Buffer.alloc(Math.max(0, to - from));
      const { bytesRead } = await fh.read(out, 0, out.length, from);
      return out.subarray(0, bytesRead);
    };
    const cd = locate(await read(Math.max(0, size - EOCD_SEARCH), size), size);
    if (typeof cd === 'string') return cd;
    return checkEntries(cd, await read(cd.offset, cd.offset + cd.size), size, limits);
  } finally {
    await fh.close();
  }
}

interface CentralDirectory {
  entries: number;
  size: number;
  offset: number;
}

/** The end-of-central-directory record (signature 0x06054b50) near the end, or why not. */
function locate(tail: Uint8Array, total: number): CentralDirectory | string {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return 'not a ZIP archive (no end-of-central-directory record)';
  const entries = view.getUint16(eocd + 10, true);
  const size = view.getUint32(eocd + 12, true);
  const offset = view.getUint32(eocd + 16, true);
  if (entries === 0xffff || offset === 0xffffffff)
    return 'ZIP64 archives are not accepted here; unzip it and upload the files';
  if (offset + size > total) return 'the archive is truncated or corrupt';
  return { entries, size, offset };
}

/** The central directory's entries against the limits; `total` is the archive's size. */
function checkEntries(
  cd: CentralDirectory,
  buf: Uint8Array,
  total: number,
  limits: typeof ZIP_GUARD,
): string | null {
  if (cd.entries > limits.maxEntries) return `more than ${limits.maxEntries} entries`;
  if (buf.length < cd.size) return 'the archive is truncated or corrupt';
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let p = 0;
  let sum = 0;
  for (let n = 0; n < cd.entries; n++) {
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
    sum += size;
    if (size > 1024 * 1024 && size / Math.max(compressed, 1) > limits.maxRatio)
      return `entry ${JSON.stringify(name)} expands ${Math.round(size / Math.max(compressed, 1))}× (a zip bomb?)`;
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (sum > limits.maxTotalBytes) return `it expands to ${sum} bytes, more than ${limits.maxTotalBytes}`;
  if (sum > 1024 * 1024 && sum / total > limits.maxRatio)
    return `it expands ${Math.round(sum / total)}× its size (a zip bomb?)`;
  return null;
}
