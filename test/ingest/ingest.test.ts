import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getManifest, getVersion } from '../../lib/catalog/catalog';
import { generateAcsDemo } from '../../lib/demo/acs';
import { queryRows } from '../../lib/engine/duckdb';
import { registerInput } from '../../lib/engine/runner';
import { ingest } from '../../lib/ingest/ingest';
import { ZIP_LIMITS } from '../../lib/ingest/sources';
import { type TestCtx, tempCtx } from '../helpers';

let ctx: TestCtx;
let files: string[];
let dir: string;

beforeEach(async () => {
  ctx = tempCtx();
  dir = join(ctx.root, 'in');
  files = await generateAcsDemo(join(dir, 'acs'));
});
afterEach(() => ctx.cleanup());

const one = (year: number) => files.find((f) => f.includes(`Y${year}.`))!;

function rewrite(path: string, name: string, edit: (text: string) => string | Buffer) {
  const out = join(dir, 'edited');
  mkdirSync(out, { recursive: true });
  const p = join(out, name);
  writeFileSync(p, edit(readFileSync(path, 'utf8')));
  return p;
}

async function currentRows() {
  const v = await getVersion(ctx.storage, 'acs_b08301');
  if (!v) return null;
  const db = await ctx.db();
  await registerInput(db, 'acs', {
    kind: 'parquet',
    files: await Promise.all(v.tables[0]!.files.map((k) => ctx.storage.localPath(k))),
  });
  return (await queryRows<{ n: number }>(db, 'select count(*)::bigint n from acs'))[0]!.n;
}

describe('ingest: the happy path', () => {
  it('publishes a version with every row, keeps the raw files, and records lineage', async () => {
    const out = await ingest(ctx, files, { dataset: 'acs_b08301' });
    expect(out.status).toBe('published');
    expect(out.rowsRead).toBe(45);
    expect(out.rowsPublished).toBe(45);
    expect(await currentRows()).toBe(45);
    const v = (await getVersion(ctx.storage, 'acs_b08301'))!;
    expect(v.raw_keys).toHaveLength(9);
    expect(readFileSync(await ctx.storage.localPath(v.raw_keys[0]!), 'utf8')).toBe(
      readFileSync(files[0]!, 'utf8'),
    );
    expect(v.lineage.sources).toHaveLength(9);
    expect(v.lineage.sources[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('re-ingesting identical bytes creates no new version', async () => {
    const a = await ingest(ctx, files, { dataset: 'acs_b08301' });
    const b = await ingest(ctx, files, { dataset: 'acs_b08301' });
    expect(b.status).toBe('unchanged');
    expect(b.version).toBe(a.version);
    expect((await getManifest(ctx.storage, 'acs_b08301'))!.versions).toHaveLength(1);
  });

  it('detects the dataset from the file names when --dataset is not given', async () => {
    const out = await ingest(ctx, [files[0]!]);
    expect(out.status).toBe('published');
    expect(out.datasetId).toBe('acs_b08301');
  });
});

describe('ingest: malformed files are rejected and change nothing already published', () => {
  let before: string | null;
  beforeEach(async () => {
    await ingest(ctx, files.slice(0, 3), { dataset: 'acs_b08301' });
    before = (await getManifest(ctx.storage, 'acs_b08301'))!.current_version;
  });

  async function expectRejected(paths: string[], code: string) {
    const out = await ingest(ctx, paths, { dataset: 'acs_b08301' });
    expect(out.status).toBe('rejected');
    const err = out.issues.find((i) => i.code === code);
    expect(err, JSON.stringify(out.issues, null, 1)).toBeDefined();
    expect((await getManifest(ctx.storage, 'acs_b08301'))!.current_version).toBe(before);
    expect(await currentRows()).toBe(15);
    // The report is kept beside the raw files, not in the catalog.
    expect(out.reportKey).toMatch(/^raw\/acs_b08301\//);
    expect(await ctx.storage.head(out.reportKey!)).not.toBeNull();
    return err!;
  }

  it('wrong columns: names the missing columns in words a planner understands', async () => {
    const p = rewrite(
      one(2019),
      'ACSDT1Y2019.B08301-Data.csv',
      () => 'county,workers,transit\nHarbor,100,5\n',
    );
    const err = await expectRejected([p], 'missing_columns');
    expect(err.message).toMatch(/lacks the column\(s\) "GEO_ID", "NAME", "B08301_001E"/);
    expect(err.line).toBe(1);
    expect(err.fix).toMatch(/export the table/);
  });

  it('bad numbers: every bad cell is reported with line and column', async () => {
    const p = rewrite(one(2019), 'ACSDT1Y2019.B08301-Data.csv', (t) =>
      t
        .split('\n')
        .map((l, i) => (i >= 2 && l ? l.replace(/^("[^"]*","[^"]*",)"\d+"/, '$1"12O00"') : l))
        .join('\n'),
    );
    const err = await expectRejected([p], 'bad_value');
    expect(err).toMatchObject({ line: 3, column: 'B08301_001E', file: 'ACSDT1Y2019.B08301-Data.csv' });
    expect(err.message).toBe('"12O00" is not a valid whole number');
  });

  it('truncated: a file cut off mid-row is called truncated', async () => {
    const p = rewrite(one(2019), 'ACSDT1Y2019.B08301-Data.csv', (t) => t.slice(0, t.length - 60));
    const err = await expectRejected([p], 'truncated_file');
    expect(err.line).toBe(7);
    expect(err.message).toMatch(/cut off/);
  });

  it('wrong encoding: a binary file posing as CSV is refused', async () => {
    const p = join(dir, 'ACSDT1Y2019.B08301-Data.csv');
    writeFileSync(p, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xff, 0x00, 0x12]));
    const err = await expectRejected([p], 'not_text');
    expect(err.fix).toMatch(/CSV/);
  });

  it('an empty file is refused', async () => {
    const p = rewrite(one(2019), 'ACSDT1Y2019.B08301-Data.csv', () => '');
    await expectRejected([p], 'empty_file');
  });
});

describe('ingest: row problems are quarantined, not dropped', () => {
  it('publishes the good rows and keeps the bad one with its line and raw text', async () => {
    const p = rewrite(one(2019), 'ACSDT1Y2019.B08301-Data.csv', (t) => {
      const lines = t.split('\n');
      lines[4] = lines[4]!.replace(/^("[^"]*","[^"]*",)"\d+"/, '$1"n/a?"');
      return lines.join('\n');
    });
    const out = await ingest(ctx, [p], { dataset: 'acs_b08301', maxBadRowFraction: 0.5 });
    expect(out.status).toBe('published');
    expect(out.rowsRead).toBe(5);
    expect(out.rowsPublished).toBe(4);
    expect(out.rowsQuarantined).toBe(1);
    const v = (await getVersion(ctx.storage, 'acs_b08301'))!;
    const q = readFileSync(await ctx.storage.localPath(v.issues.quarantine_key!), 'utf8').split('\n');
    expect(q[0]).toBe('file,line,record,code,column,message,raw_row');
    expect(q[1]).toMatch(/^ACSDT1Y2019\.B08301-Data\.csv,5,,bad_value,B08301_001E,/);
    expect(q[1]).toContain('n/a?');
  });

  it('rule checks report the physical line even after rejected rows above them', async () => {
    const p = rewrite(one(2019), 'ACSDT1Y2019.B08301-Data.csv', (t) => {
      const lines = t.split('\n');
      lines[2] = lines[2]!.replace(/^("[^"]*","[^"]*",)"\d+"/, '$1"x"'); // line 3: cast error
      // line 6: drove alone (B08301_003E) above workers — a rule violation, not a parse error.
      const cells = lines[5]!.split('","');
      cells[6] = '99999999';
      lines[5] = cells.join('","');
      return lines.join('\n');
    });
    const out = await ingest(ctx, [p], { dataset: 'acs_b08301', maxBadRowFraction: 0.5 });
    expect(out.status).toBe('published');
    const rule = out.issues.find((i) => i.code === 'drove_alone_exceeds_workers');
    expect(rule).toMatchObject({ line: 6, column: 'B08301_003E', value: '99999999' });
    expect(out.rowsPublished).toBe(3);
  });

  it('suppressed estimates ("null") are kept as missing, with a warning, never as zero', async () => {
    const p = rewrite(one(2019), 'ACSDT1Y2019.B08301-Data.csv', (t) => {
      const lines = t.split('\n');
      lines[2] = lines[2]!.replace(/^("[^"]*","[^"]*",)"\d+"/, '$1"null"');
      return lines.join('\n');
    });
    const out = await ingest(ctx, [p], { dataset: 'acs_b08301' });
    expect(out.status).toBe('published');
    expect(out.rowsPublished).toBe(5);
    expect(out.issues.find((i) => i.code === 'suppressed_estimate')).toMatchObject({
      line: 3,
      severity: 'warning',
    });
    const db = await ctx.db();
    const v = (await getVersion(ctx.storage, 'acs_b08301'))!;
    await registerInput(db, 'acs', {
      kind: 'parquet',
      files: [await ctx.storage.localPath(v.tables[0]!.files[0]!)],
    });
    const rows = await queryRows<{ workers: number | null }>(
      db,
      `select workers from acs where geo_id = '0500000US99001'`,
    );
    expect(rows).toEqual([{ workers: null }]);
  });
});

describe('ingest: encodings, ZIP and Excel', () => {
  it('reads UTF-16 (with BOM) and a UTF-8 BOM the same as plain UTF-8', async () => {
    const text = readFileSync(one(2019), 'utf8');
    const p16 = join(dir, 'u16', 'ACSDT1Y2019.B08301-Data.csv');
    mkdirSync(join(dir, 'u16'));
    writeFileSync(p16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const a = await ingest(ctx, [p16], { dataset: 'acs_b08301' });
    expect(a.status).toBe('published');
    expect(a.rowsPublished).toBe(5);
    const pBom = rewrite(one(2019), 'ACSDT1Y2019.B08301-Data.csv', (t) => `\uFEFF${t}`);
    const b = await ingest(ctx, [pBom], { dataset: 'acs_b08301' });
    expect(b.status).toBe('published');
    expect(b.rowsPublished).toBe(5);
  });

  it('falls back to Windows-1252 for non-UTF-8 text and says so', async () => {
    const text = readFileSync(one(2019), 'utf8').replace('Harbor County', 'Doña Ana County');
    const p = join(dir, 'ACSDT1Y2019.B08301-Data.csv');
    writeFileSync(p, Buffer.from(text, 'latin1'));
    const out = await ingest(ctx, [p], { dataset: 'acs_b08301' });
    expect(out.status).toBe('published');
    expect(out.issues.find((i) => i.code === 'encoding_fallback')).toMatchObject({
      line: 3,
      severity: 'warning',
    });
    const db = await ctx.db();
    const v = (await getVersion(ctx.storage, 'acs_b08301'))!;
    await registerInput(db, 'acs', {
      kind: 'parquet',
      files: [await ctx.storage.localPath(v.tables[0]!.files[0]!)],
    });
    expect(await queryRows(db, `select name from acs where geo_id = '0500000US99001'`)).toEqual([
      { name: 'Doña Ana County, Demo State' },
    ]);
  });

  it('ingests a ZIP of the yearly files, and keeps the ZIP itself as the raw file', async () => {
    const zip = join(dir, 'acs.zip');
    writeFileSync(
      zip,
      zipSync(Object.fromEntries(files.map((f) => [`export/${f.split('/').at(-1)}`, readFileSync(f)]))),
    );
    const out = await ingest(ctx, [zip], { dataset: 'acs_b08301' });
    expect(out.status).toBe('published');
    expect(out.rowsPublished).toBe(45);
    expect((await getVersion(ctx.storage, 'acs_b08301'))!.raw_keys).toEqual([
      expect.stringMatching(/\/acs\.zip$/),
    ]);
  });

  it('refuses a zip bomb and an archive with path-escaping names', async () => {
    // The real limits (200x and at least 200 MiB) are lowered so the bomb can be small and quick.
    const saved = { ...ZIP_LIMITS };
    Object.assign(ZIP_LIMITS, { ratio: 50, minAllowance: 64 * 1024 });
    const bomb = join(dir, 'bomb.zip');
    writeFileSync(
      bomb,
      zipSync({ 'ACSDT1Y2019.B08301-Data.csv': new Uint8Array(16 * 1024 * 1024) }, { level: 9 }),
    );
    const a = await ingest(ctx, [bomb], { dataset: 'acs_b08301' }).finally(() =>
      Object.assign(ZIP_LIMITS, saved),
    );
    expect(a.status).toBe('rejected');
    expect(a.issues[0]).toMatchObject({ code: 'zip_refused' });
    expect(a.issues[0]!.message).toMatch(/expands to more than/);
    const evil = join(dir, 'evil.zip');
    writeFileSync(evil, zipSync({ '../../etc/ACSDT1Y2019.B08301-Data.csv': readFileSync(one(2019)) }));
    const b = await ingest(ctx, [evil], { dataset: 'acs_b08301' });
    expect(b.status).toBe('rejected');
    expect(b.issues[0]!.message).toMatch(/unsafe path/);
    expect(await getManifest(ctx.storage, 'acs_b08301')).toBeNull();
  });

  it('reads the first sheet of an Excel workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('B08301');
    for (const line of readFileSync(one(2019), 'utf8').trim().split('\n')) {
      ws.addRow(
        line
          .replace(/,$/, '')
          .split('","')
          .map((c) => c.replaceAll('"', '')),
      );
    }
    const p = join(dir, 'ACSDT1Y2019.B08301-Data.xlsx');
    await wb.xlsx.writeFile(p);
    const out = await ingest(ctx, [p], { dataset: 'acs_b08301', flags: { year: '2019' } });
    expect(out.status, JSON.stringify(out.issues)).toBe('published');
    expect(out.rowsPublished).toBe(5);
  });
});

describe('ingest: atomic publish', () => {
  it('a crash between the data write and the manifest write leaves the previous version current and readable', async () => {
    await ingest(ctx, files.slice(0, 2), { dataset: 'acs_b08301' });
    const before = (await getManifest(ctx.storage, 'acs_b08301'))!;
    await expect(
      ingest(ctx, files, {
        dataset: 'acs_b08301',
        beforeManifest: async () => {
          throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    const after = (await getManifest(ctx.storage, 'acs_b08301'))!;
    expect(after).toEqual(before);
    expect(await currentRows()).toBe(10);
    // The orphaned version's data exists but is not reachable through the manifest.
    const { objects } = await ctx.storage.list('curated/acs_b08301/');
    expect(new Set(objects.map((o) => o.key.split('/')[2])).size).toBe(2);
  });

  it('copies a file into place with the same bytes', () => {
    const p = join(dir, 'copy.csv');
    copyFileSync(files[0]!, p);
    expect(readFileSync(p)).toEqual(readFileSync(files[0]!));
  });
});
