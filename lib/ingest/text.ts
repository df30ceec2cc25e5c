// Encoding: agency files arrive as UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"),
// or Windows-1252. DuckDB reads UTF-8; anything else is transcoded to scratch first, and the
// choice is reported. Binary files (an .xlsx renamed .csv, a PDF) are refused up front.

import { isUtf8 } from 'node:buffer';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IssueCollector } from './issues';
import type { SourceFile } from './sources';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export async function sniffEncoding(
  path: string,
): Promise<{ encoding: Encoding; bom: number; binary: boolean }> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
      return { encoding: 'utf-8', bom: 3, binary: false };
    if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, binary: false };
    if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2, binary: false };
    // UTF-16 without a BOM: every other byte is NUL in ASCII-range text.
    const nul = head.reduce((n, b) => n + (b === 0 ? 1 : 0), 0);
    if (nul > 0) {
      let evenNul = 0;
      let oddNul = 0;
      for (let i = 0; i < head.length; i++) if (head[i] === 0) i % 2 ? oddNul++ : evenNul++;
      if (oddNul > head.length * 0.3 && evenNul === 0) return { encoding: 'utf-16le', bom: 0, binary: false };
      if (evenNul > head.length * 0.3 && oddNul === 0) return { encoding: 'utf-16be', bom: 0, binary: false };
      return { encoding: 'utf-8', bom: 0, binary: true };
    }
    return { encoding: 'utf-8', bom: 0, binary: false };
  } finally {
    await fh.close();
  }
}

/** Whole-file UTF-8 check in chunks (a multibyte sequence may straddle two chunks). */
export async function firstInvalidUtf8(path: string, skip = 0): Promise<{ line: number } | null> {
  let carry = Buffer.alloc(0);
  let line = 1;
  for await (const chunk of createReadStream(path, { start: skip, highWaterMark: 1 << 20 })) {
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    // Hold back up to 3 trailing bytes that may start an unfinished sequence.
    let cut = buf.length;
    for (let i = Math.max(0, buf.length - 3); i < buf.length; i++) if ((buf[i]! & 0xc0) === 0xc0) cut = i;
    const body = buf.subarray(0, cut);
    if (!isUtf8(body)) {
      // Find the line for the message: decode line by line until one fails.
      let start = 0;
      for (let i = 0; i <= body.length; i++) {
        if (i === body.length || body[i] === 0x0a) {
          if (!isUtf8(body.subarray(start, i))) return { line };
          line++;
          start = i + 1;
        }
      }
      return { line };
    }
    for (const b of body) if (b === 0x0a) line++;
    carry = Buffer.from(buf.subarray(cut));
  }
  return carry.length && !isUtf8(carry) ? { line } : null;
}

/**
 * A UTF-8 (BOM-less) path DuckDB can read: the file itself when it already is, else a transcoded
 * copy in scratch. Returns null (with an issue) when the file is not text.
 */
export async function asUtf8(
  file: SourceFile,
  scratch: string,
  issues: IssueCollector,
): Promise<string | null> {
  const sniff = await sniffEncoding(file.localPath);
  if (sniff.binary) {
    issues.error({
      code: 'not_text',
      file: file.name,
      message: 'this is not a text (CSV) file: it contains binary data',
      fix: 'export the sheet as CSV (UTF-8), or ingest the .xlsx/.zip itself',
    });
    return null;
  }
  let encoding: Encoding = sniff.encoding;
  if (encoding === 'utf-8') {
    const bad = await firstInvalidUtf8(file.localPath, sniff.bom);
    if (!bad && sniff.bom === 0) return file.localPath;
    if (bad) {
      encoding = 'windows-1252';
      issues.warn({
        code: 'encoding_fallback',
        file: file.name,
        line: bad.line,
        message: "the file is not valid UTF-8; read it as Windows-1252 (Excel's usual CSV encoding)",
        fix: 'check accented names came through; re-save as "CSV UTF-8" to silence this',
      });
    }
  } else {
    issues.info({
      code: 'encoding_transcoded',
      file: file.name,
      message: `read as ${encoding} and converted to UTF-8`,
    });
  }
  const out = join(scratch, `utf8-${Math.random().toString(36).slice(2)}.csv`);
  const decoder = new TextDecoder(encoding === 'windows-1252' ? 'windows-1252' : encoding);
  const toUtf8 = new Transform({
    transform(chunk, _enc, cb) {
      cb(null, Buffer.from(decoder.decode(chunk as Buffer, { stream: true }), 'utf8'));
    },
    flush(cb) {
      cb(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
  await pipeline(createReadStream(file.localPath, { start: sniff.bom }), toUtf8, createWriteStream(out));
  return out;
}

/** The first physical line (the header) of a UTF-8 file. */
export async function readFirstLine(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const nl = text.search(/\r?\n/);
    return nl >= 0 ? text.slice(0, nl) : text;
  } finally {
    await fh.close();
  }
}

/** True when the file's last byte is not a newline: the sign of a cut-off download. */
export async function endsWithoutNewline(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size === 0) return false;
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - 1);
    return b[0] !== 0x0a && b[0] !== 0x0d;
  } finally {
    await fh.close();
  }
}
