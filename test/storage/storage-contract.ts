// One contract for every Storage adapter (fs-storage.ts, s3-storage.ts): the same calls must give
// the same answers, so local mode and AWS cannot drift. Each test gets a fresh, empty store.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson, PreconditionFailedError, putJson, type Storage } from '../../lib/storage/storage';

export interface StorageFixture {
  storage: Storage;
  cleanup(): Promise<void>;
}

const MiB = 1024 * 1024;
/** Above the S3 adapter's single-PUT threshold (16 MiB), with a ragged last 8 MiB part. */
const LARGE_SIZE = 20 * MiB + 12_345;

export function storageContract(name: string, make: () => Promise<StorageFixture>) {
  describe(`storage contract: ${name}`, () => {
    let fixture: StorageFixture;
    let s: Storage;
    beforeEach(async () => {
      fixture = await make();
      s = fixture.storage;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('put, get, head', () => {
      it('round-trips a string', async () => {
        const { etag } = await s.put('a/hello.txt', 'hello, corridor');
        expect(etag).toMatch(/\S/);
        const got = await s.get('a/hello.txt');
        expect(got?.body.toString('utf8')).toBe('hello, corridor');
        expect(got?.etag).toBe(etag);
        const info = await s.head('a/hello.txt');
        expect(info).toMatchObject({ key: 'a/hello.txt', size: 15, etag });
        expect(info?.lastModified).toBeInstanceOf(Date);
        expect(Math.abs(info!.lastModified.getTime() - Date.now())).toBeLessThan(10 * 60_000);
      });

      it('round-trips binary Buffer and Uint8Array bodies byte for byte', async () => {
        const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        await s.put('bin/buffer', bytes);
        await s.put('bin/u8', new Uint8Array(bytes).subarray(10, 20));
        expect((await s.get('bin/buffer'))?.body.equals(bytes)).toBe(true);
        expect((await s.get('bin/u8'))?.body.equals(bytes.subarray(10, 20))).toBe(true);
        expect((await s.head('bin/u8'))?.size).toBe(10);
      });

      it('round-trips a stream body', async () => {
        const chunks = ['id,count\n', '1,10\n', '2,20\n'].map((c) => Buffer.from(c));
        const { etag } = await s.put('raw/counts/stream.csv', Readable.from(chunks), {
          contentType: 'text/csv',
        });
        const got = await s.get('raw/counts/stream.csv');
        expect(got?.body.toString()).toBe('id,count\n1,10\n2,20\n');
        expect(got?.etag).toBe(etag);
        expect((await s.head('raw/counts/stream.csv'))?.etag).toBe(etag);
      });

      it('round-trips JSON through getJson/putJson', async () => {
        await putJson(s, 'catalog/x.json', { a: 1, b: ['c'] });
        expect((await getJson(s, 'catalog/x.json'))?.value).toEqual({ a: 1, b: ['c'] });
      });

      it('streams an object with getStream', async () => {
        await s.put('s/x.txt', 'streamed bytes');
        const stream = await s.getStream('s/x.txt');
        expect(stream).not.toBeNull();
        expect((await readAll(stream!)).toString()).toBe('streamed bytes');
      });

      it('returns null for missing keys and rejects localPath', async () => {
        await s.put('present/a.txt', 'x');
        expect(await s.head('present/b.txt')).toBeNull();
        expect(await s.get('present/b.txt')).toBeNull();
        expect(await s.getStream('present/b.txt')).toBeNull();
        expect(await s.head('absent/dir/file.txt')).toBeNull();
        // A "directory" is not an object.
        expect(await s.head('present')).toBeNull();
        expect(await s.get('present')).toBeNull();
        // Nor is anything "inside" an object.
        expect(await s.head('present/a.txt/child')).toBeNull();
        expect(await s.get('present/a.txt/child')).toBeNull();
        expect(await s.getStream('present/a.txt/child')).toBeNull();
        await expect(s.localPath('present/b.txt')).rejects.toThrow(/no object at/);
      });

      it('changes the ETag on overwrite, even with the same size', async () => {
        const first = await s.put('o/v.txt', 'aaaa');
        const second = await s.put('o/v.txt', 'bbbb');
        expect(second.etag).not.toBe(first.etag);
        expect((await s.get('o/v.txt'))?.body.toString()).toBe('bbbb');
        expect((await s.head('o/v.txt'))?.etag).toBe(second.etag);
      });
    });

    describe('conditional writes', () => {
      it("ifNoneMatch:'*' creates once, then refuses", async () => {
        const created = await s.put('c/once.json', '{"v":1}', { ifNoneMatch: '*' });
        await expect(s.put('c/once.json', '{"v":2}', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(
          PreconditionFailedError,
        );
        await expect(
          s.put('c/once.json', Readable.from([Buffer.from('{"v":3}')]), { ifNoneMatch: '*' }),
        ).rejects.toBeInstanceOf(PreconditionFailedError);
        const got = await s.get('c/once.json');
        expect(got?.body.toString()).toBe('{"v":1}');
        expect(got?.etag).toBe(created.etag);
      });

      it('ifMatch replaces with the current ETag and refuses a stale or absent one', async () => {
        const v1 = await s.put('c/cas.json', 'one');
        const v2 = await s.put('c/cas.json', 'two', { ifMatch: v1.etag });
        expect(v2.etag).not.toBe(v1.etag);
        expect((await s.get('c/cas.json'))?.body.toString()).toBe('two');
        const stale = s.put('c/cas.json', 'three', { ifMatch: v1.etag });
        await expect(stale).rejects.toBeInstanceOf(PreconditionFailedError);
        await expect(stale).rejects.toMatchObject({ code: 'PreconditionFailed', key: 'c/cas.json' });
        expect((await s.get('c/cas.json'))?.body.toString()).toBe('two');
        await expect(s.put('c/absent.json', 'x', { ifMatch: v1.etag })).rejects.toBeInstanceOf(
          PreconditionFailedError,
        );
        expect(await s.head('c/absent.json')).toBeNull();
      });

      it('compare-and-swap from concurrent writers loses no increment', async () => {
        const writers = 4;
        const perWriter = 6;
        const key = 'c/counter.json';
        await putJson(s, key, { count: 0, by: [] as number[] }, { ifNoneMatch: '*' });
        let conflicts = 0;
        const writer = async (id: number) => {
          // Bounded, so a store that refuses every swap fails here instead of timing out.
          for (let done = 0, tries = 0; done < perWriter; tries++) {
            if (tries > perWriter * 50) throw new Error(`writer ${id} gave up after ${tries} attempts`);
            const cur = await getJson<{ count: number; by: number[] }>(s, key);
            if (!cur) throw new Error('counter vanished');
            try {
              const next = { count: cur.value.count + 1, by: [...cur.value.by, id] };
              await putJson(s, key, next, { ifMatch: cur.etag });
              done++;
            } catch (e) {
              if (!(e instanceof PreconditionFailedError)) throw e;
              conflicts++;
            }
          }
        };
        await Promise.all(Array.from({ length: writers }, (_, id) => writer(id)));
        const final = await getJson<{ count: number; by: number[] }>(s, key);
        expect(final?.value.count).toBe(writers * perWriter);
        expect(final?.value.by).toHaveLength(writers * perWriter);
        for (let id = 0; id < writers; id++) {
          expect(final?.value.by.filter((w) => w === id)).toHaveLength(perWriter);
        }
        // Not asserted (scheduling decides), but reported so a run shows the race was exercised.
        console.info(`[${name}] compare-and-swap: ${conflicts} conflicts retried`);
      });
    });

    describe('list', () => {
      const keys = [
        'raw/counts/2025/b.csv',
        'raw/counts/2025/a.csv',
        'raw/counts/2026/c.csv',
        'raw/crashes/x.csv',
        'raw/readme.txt',
        'rawdata.txt',
        'curated/y.parquet',
      ];
      const seed = async () => {
        for (const k of keys) await s.put(k, `body of ${k}`);
      };
      const listed = async (prefix: string, delimiter?: string) => {
        const r = await s.list(prefix, delimiter ? { delimiter } : {});
        return { objects: r.objects.map((o) => o.key), prefixes: r.prefixes };
      };

      it('lists by prefix, including partial names, sorted by key', async () => {
        await seed();
        expect(await listed('raw/')).toEqual({
          objects: [
            'raw/counts/2025/a.csv',
            'raw/counts/2025/b.csv',
            'raw/counts/2026/c.csv',
            'raw/crashes/x.csv',
            'raw/readme.txt',
          ],
          prefixes: [],
        });
        expect((await listed('raw/c')).objects).toEqual([
          'raw/counts/2025/a.csv',
          'raw/counts/2025/b.csv',
          'raw/counts/2026/c.csv',
          'raw/crashes/x.csv',
        ]);
        expect((await listed('raw/counts/20')).objects).toHaveLength(3);
        expect((await listed('raw/counts/2025/a')).objects).toEqual(['raw/counts/2025/a.csv']);
        expect((await listed('raw')).objects).toEqual([
          'raw/counts/2025/a.csv',
          'raw/counts/2025/b.csv',
          'raw/counts/2026/c.csv',
          'raw/crashes/x.csv',
          'raw/readme.txt',
          'rawdata.txt',
        ]);
        expect((await listed('')).objects).toEqual([...keys].sort());
        expect(await listed('nothing/')).toEqual({ objects: [], prefixes: [] });
        expect(await listed('raw/counts/2025/a.csv/')).toEqual({ objects: [], prefixes: [] });
      });

      it('reports size and the same ETag as head', async () => {
        await seed();
        const { objects } = await s.list('raw/crashes/');
        expect(objects).toHaveLength(1);
        const head = await s.head('raw/crashes/x.csv');
        expect(objects[0]).toMatchObject({
          key: 'raw/crashes/x.csv',
          size: 'body of raw/crashes/x.csv'.length,
        });
        expect(objects[0]?.etag).toBe(head?.etag);
        expect(objects[0]?.lastModified).toBeInstanceOf(Date);
      });

      it("groups CommonPrefixes at any depth with delimiter '/'", async () => {
        await seed();
        expect(await listed('raw/', '/')).toEqual({
          objects: ['raw/readme.txt'],
          prefixes: ['raw/counts/', 'raw/crashes/'],
        });
        expect(await listed('raw/counts/', '/')).toEqual({
          objects: [],
          prefixes: ['raw/counts/2025/', 'raw/counts/2026/'],
        });
        expect(await listed('raw/counts/2025/', '/')).toEqual({
          objects: ['raw/counts/2025/a.csv', 'raw/counts/2025/b.csv'],
          prefixes: [],
        });
        expect(await listed('', '/')).toEqual({ objects: ['rawdata.txt'], prefixes: ['curated/', 'raw/'] });
        expect(await listed('raw/c', '/')).toEqual({
          objects: [],
          prefixes: ['raw/counts/', 'raw/crashes/'],
        });
        expect(await listed('ra', '/')).toEqual({ objects: ['rawdata.txt'], prefixes: ['raw/'] });
      });

      it('sorts keys by code point, not by folder', async () => {
        // '-' (0x2d) < '/' (0x2f) < '0' (0x30) < 'A' < '_' < 'a': a folder walk would get this wrong.
        const shuffled = ['k/a0', 'k/a/b', 'k/A', 'k/a-b', 'k/a_', 'k/a/a/z', 'k/B', 'k/a.txt'];
        for (const k of shuffled) await s.put(k, k);
        expect((await listed('k/')).objects).toEqual([
          'k/A',
          'k/B',
          'k/a-b',
          'k/a.txt',
          'k/a/a/z',
          'k/a/b',
          'k/a0',
          'k/a_',
        ]);
      });

      it('returns every object and prefix past 1000 (S3 pages ListObjectsV2)', async () => {
        const n = 520;
        const pad = (i: number) => String(i).padStart(4, '0');
        const all = Array.from({ length: n }, (_, i) => [`p/o-${pad(i)}`, `p/d-${pad(i)}/x`]).flat();
        await inBatches(all, 32, (k) => s.put(k, 'x'));
        const flat = await s.list('p/');
        expect(flat.objects).toHaveLength(2 * n);
        expect(flat.objects.map((o) => o.key)).toEqual([...all].sort());
        const grouped = await s.list('p/', { delimiter: '/' });
        expect(grouped.objects.map((o) => o.key)).toEqual(all.filter((k) => k.startsWith('p/o-')).sort());
        expect(grouped.prefixes).toEqual(Array.from({ length: n }, (_, i) => `p/d-${pad(i)}/`));
      });
    });

    describe('delete', () => {
      it('removes an object; deleting a missing key is not an error', async () => {
        await s.put('d/a.txt', 'a');
        await s.put('d/b.txt', 'b');
        await s.delete('d/a.txt');
        expect(await s.head('d/a.txt')).toBeNull();
        expect(await s.get('d/a.txt')).toBeNull();
        expect((await s.list('d/')).objects.map((o) => o.key)).toEqual(['d/b.txt']);
        await expect(s.delete('d/a.txt')).resolves.toBeUndefined();
        await expect(s.delete('never/was.txt')).resolves.toBeUndefined();
        // Deleted keys can be created again with ifNoneMatch.
        await s.put('d/a.txt', 'again', { ifNoneMatch: '*' });
        expect((await s.get('d/a.txt'))?.body.toString()).toBe('again');
      });
    });

    describe('large objects', () => {
      let dir: string;
      let file: string;
      let sha: string;
      beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), 'corridor-contract-'));
        file = join(dir, 'large.bin');
        const bytes = randomBytes(LARGE_SIZE);
        sha = sha256(bytes);
        await pipeline(Readable.from([bytes]), createWriteStream(file));
      });
      afterAll(async () => {
        await rm(dir, { recursive: true, force: true });
      });

      it('putFile of ~20 MiB reads back byte-exact via getStream and localPath', async () => {
        const { etag } = await s.putFile('curated/big/part-0.parquet', file);
        const info = await s.head('curated/big/part-0.parquet');
        expect(info).toMatchObject({ size: LARGE_SIZE, etag });
        const listedInfo = (await s.list('curated/big/')).objects[0];
        expect(listedInfo).toMatchObject({ key: 'curated/big/part-0.parquet', size: LARGE_SIZE, etag });
        expect(sha256(await readAll((await s.getStream('curated/big/part-0.parquet'))!))).toBe(sha);
        const path = await s.localPath('curated/big/part-0.parquet');
        expect(sha256(await readFile(path))).toBe(sha);
        expect(await s.localPath('curated/big/part-0.parquet')).toBe(path);
      });

      it('localPath follows an overwrite', async () => {
        await s.put('curated/v.csv', 'a,b\n1,2\n');
        expect((await readFile(await s.localPath('curated/v.csv'))).toString()).toBe('a,b\n1,2\n');
        await s.put('curated/v.csv', 'a,b\n3,4\n');
        expect((await readFile(await s.localPath('curated/v.csv'))).toString()).toBe('a,b\n3,4\n');
      });

      it('put of a large stream of unknown length', async () => {
        const bytes = randomBytes(17 * MiB + 1);
        const chunks = Array.from({ length: 18 }, (_, i) => bytes.subarray(i * MiB, (i + 1) * MiB));
        const { etag } = await s.put('raw/big/stream.bin', Readable.from(chunks));
        expect(await s.head('raw/big/stream.bin')).toMatchObject({ size: bytes.length, etag });
        expect((await s.get('raw/big/stream.bin'))?.body.equals(bytes)).toBe(true);
      });

      it('conditional writes hold for large bodies too', async () => {
        const first = await s.putFile('raw/big/once.bin', file, { ifNoneMatch: '*' });
        await expect(s.putFile('raw/big/once.bin', file, { ifNoneMatch: '*' })).rejects.toBeInstanceOf(
          PreconditionFailedError,
        );
        await expect(s.putFile('raw/big/once.bin', file, { ifMatch: '"stale"' })).rejects.toBeInstanceOf(
          PreconditionFailedError,
        );
        await expect(
          s.put('raw/big/once.bin', randomBytes(17 * MiB), { ifMatch: '"stale"' }),
        ).rejects.toBeInstanceOf(PreconditionFailedError);
        expect((await s.head('raw/big/once.bin'))?.etag).toBe(first.etag);
        const second = await s.putFile('raw/big/once.bin', file, { ifMatch: first.etag });
        expect((await s.head('raw/big/once.bin'))?.etag).toBe(second.etag);
      });
    });

    describe('presigned PUT', () => {
      // Each store's own refusal is a 403 (S3: SignatureDoesNotMatch / AccessDenied).
      const put = (url: string, headers: Record<string, string>, body: Uint8Array) =>
        fetch(url, { method: 'PUT', headers, body });

      it('accepts the signed bytes from a client without credentials, then reads them back', async () => {
        const bytes = randomBytes(3 * 1024 + 7);
        const p = await s.presignPut('incoming/u1/target.csv', {
          expiresSeconds: 60,
          contentType: 'text/csv',
          bytes: bytes.length,
        });
        expect(p).toMatchObject({ method: 'PUT', headers: { 'content-type': 'text/csv' } });
        expect(Date.parse(p.expiresAt)).toBeGreaterThan(Date.now());
        const res = await put(p.url, p.headers, bytes);
        expect(res.status, await res.text()).toBe(200);
        expect((await s.get('incoming/u1/target.csv'))?.body.equals(bytes)).toBe(true);
        expect(await s.head('incoming/u1/target.csv')).toMatchObject({ size: bytes.length });
        // Without a declared type the URL is for application/octet-stream.
        const q = await s.presignPut('incoming/u1/other.bin', { expiresSeconds: 60 });
        expect(q.headers).toEqual({ 'content-type': 'application/octet-stream' });
        expect((await put(q.url, q.headers, bytes)).status).toBe(200);
      });

      it('refuses another size, another content type, a tampered key and an expired URL', async () => {
        const body = Buffer.from('a,b\n1,2\n');
        const p = await s.presignPut('incoming/u2/target.csv', {
          expiresSeconds: 60,
          contentType: 'text/csv',
          bytes: body.length,
        });
        expect((await put(p.url, p.headers, Buffer.concat([body, Buffer.from('3,4\n')]))).status).toBe(403);
        expect((await put(p.url, { 'content-type': 'text/plain' }, body)).status).toBe(403);
        // The key appears in the URL (path for S3, query for the folder): swap a segment of it.
        expect(p.url).toContain('target');
        expect((await put(p.url.replace('target', 'victim'), p.headers, body)).status).toBe(403);
        expect(await s.head('incoming/u2/target.csv')).toBeNull();
        expect(await s.head('incoming/u2/victim.csv')).toBeNull();
        const short = await s.presignPut('incoming/u2/late.csv', { expiresSeconds: 1, bytes: body.length });
        // Signatures carry whole seconds: wait past the next one.
        await new Promise((r) => setTimeout(r, 2200));
        expect((await put(short.url, short.headers, body)).status).toBe(403);
        expect(await s.head('incoming/u2/late.csv')).toBeNull();
      });

      it('refuses to presign an invalid key', async () => {
        await expect(s.presignPut('../x', { expiresSeconds: 60 })).rejects.toThrow(/invalid storage key/);
      });
    });

    describe('keys', () => {
      const bad = ['../x', '/abs', 'a//b', 'a/./b', 'a/../b', 'trailing/', '', 'back\\slash'];
      it.each(bad)('rejects %j in every operation', async (key) => {
        const invalid = /invalid storage key/;
        await expect(s.head(key)).rejects.toThrow(invalid);
        await expect(s.get(key)).rejects.toThrow(invalid);
        await expect(s.getStream(key)).rejects.toThrow(invalid);
        await expect(s.put(key, 'x')).rejects.toThrow(invalid);
        await expect(s.putFile(key, '/dev/null')).rejects.toThrow(invalid);
        await expect(s.delete(key)).rejects.toThrow(invalid);
        await expect(s.localPath(key)).rejects.toThrow(invalid);
      });

      it('rejects a list prefix that climbs out', async () => {
        await expect(s.list('../')).rejects.toThrow(/invalid storage key/);
        await expect(s.list('a/../b/')).rejects.toThrow(/invalid storage key/);
      });
    });
  });
}

async function readAll(stream: Readable) {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

function sha256(bytes: Uint8Array) {
  return createHash('sha256').update(bytes).digest('hex');
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
