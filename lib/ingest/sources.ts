// Turns what a user hands us (a file, a folder, a ZIP) into a list of local files. ZIPs are
// streamed to scratch with a cap on total and per-entry size, so a zip bomb is refused rather
// than filling the disk.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, normalize, relative } from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';
import type { IssueCollector } from './issues';

export interface SourceFile {
  /** The file's name as the user knows it (inside a ZIP: its path in the archive). */
  name: string;
  localPath: string;
  bytes: number;
}

// Real NPMRDS and GTFS archives expand 5–15×; 200× (with a floor, so small archives of
// repetitive text still pass) is far past any honest file.
export const ZIP_LIMITS = { totalBytes: 8 * 1024 ** 3, entries: 10_000, ratio: 200, minAllowance: 1024 ** 2 };

export async function expandSources(
  paths: string[],
  scratch: string,
  issues: IssueCollector,
): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (!s) {
      issues.error({
        code: 'file_not_found',
        file: p,
        message: 'no such file or folder',
        fix: 'check the path',
      });
      continue;
    }
    if (s.isDirectory()) {
      for (const f of await walk(p)) {
        const fs = await stat(f);
        if (f.toLowerCase().endsWith('.zip'))
          out.push(...(await unzipTo(f, relative(p, f), scratch, issues)));
        else out.push({ name: relative(p, f), localPath: f, bytes: fs.size });
      }
    } else if (p.toLowerCase().endsWith('.zip')) {
      out.push(...(await unzipTo(p, basename(p), scratch, issues)));
    } else {
      out.push({ name: basename(p), localPath: p, bytes: s.size });
    }
  }
  return out.filter((f) => !isJunk(f.name));
}

/** macOS resource forks and OS metadata that ride along in user ZIPs. */
function isJunk(name: string) {
  const b = basename(name);
  return name.includes('__MACOSX/') || b === '.DS_Store' || b === 'Thumbs.db' || b.startsWith('._');
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const ent of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) out.push(...(await walk(p)));
    else if (ent.isFile()) out.push(p);
  }
  return out;
}

export async function unzipTo(zipPath: string, zipName: string, scratch: string, issues: IssueCollector) {
  const dest = join(scratch, `unzip-${Math.random().toString(36).slice(2)}`);
  await mkdir(dest, { recursive: true });
  const zipBytes = (await stat(zipPath)).size;
  const files: SourceFile[] = [];
  const pending: Promise<void>[] = [];
  let total = 0;
  let entries = 0;
  let failure: string | undefined;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (entry) => {
    if (failure) return;
    entries++;
    if (entries > ZIP_LIMITS.entries) {
      failure = `more than ${ZIP_LIMITS.entries} entries`;
      return;
    }
    if (entry.name.endsWith('/')) return;
    // Names that would land outside the extraction folder are refused, not rewritten.
    const safe = normalize(entry.name.replaceAll('\\', '/'));
    if (
      safe.startsWith('/') ||
      safe.split('/').includes('..') ||
      safe === '' ||
      /^[a-zA-Z]:/.test(safe) ||
      safe.includes('\0')
    ) {
      failure = `unsafe path ${JSON.stringify(entry.name)} inside the archive`;
      return;
    }
    const target = join(dest, safe);
    let bytes = 0;
    const done = (async () => {
      await mkdir(dirname(target), { recursive: true });
      const ws = createWriteStream(target);
      await new Promise<void>((resolve, reject) => {
        entry.ondata = (err, chunk, final) => {
          if (err) return reject(err);
          bytes += chunk.length;
          total += chunk.length;
          if (
            total > ZIP_LIMITS.totalBytes ||
            total > Math.max(zipBytes, ZIP_LIMITS.minAllowance) * ZIP_LIMITS.ratio
          ) {
            failure ??= `it expands to more than the allowed size (${ZIP_LIMITS.ratio}× its own size or ${ZIP_LIMITS.totalBytes / 1024 ** 3} GiB)`;
            entry.terminate();
            ws.end();
            return resolve();
          }
          ws.write(chunk);
          if (final) ws.end(() => resolve());
        };
        ws.on('error', reject);
        entry.start();
      });
      files.push({ name: `${zipName}/${safe}`, localPath: target, bytes });
    })();
    pending.push(done);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const rs = createReadStream(zipPath);
      rs.on('data', (chunk) => {
        try {
          unzip.push(chunk as Buffer, false);
        } catch (e) {
          rs.destroy();
          reject(e);
        }
      });
      rs.on('end', () => {
        try {
          unzip.push(new Uint8Array(0), true);
          resolve();
        } catch (e) {
          reject(e);
        }
      });
      rs.on('error', reject);
    });
    await Promise.all(pending);
  } catch (e) {
    failure ??= `it is not a readable ZIP archive (${(e as Error).message})`;
  }
  if (failure) {
    issues.error({
      code: 'zip_refused',
      file: zipName,
      message: `archive refused: ${failure}`,
      fix: 'check the archive, or unzip it and ingest the files',
    });
    return [];
  }
  if (entries === 0) {
    issues.error({
      code: 'zip_empty',
      file: zipName,
      message: 'the archive holds no files (or is not a ZIP)',
      fix: 'check the download',
    });
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}
