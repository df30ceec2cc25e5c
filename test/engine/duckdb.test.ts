// DuckDB's settings are what make the same code run on Lambda (read-only /var/task, no network):
// spill and home under scratch, no extension auto-install, a memory limit that spills, not fails.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDb, queryRows } from '../../lib/engine/duckdb';

describe('DuckDB settings', () => {
  it('keeps spill and home under scratch and never installs extensions', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'duck-'));
    const db = await createDb({ scratchDir: scratch, duckdb: { threads: 1, memoryLimit: '256MB' } });
    const [s] = await queryRows<Record<string, string>>(
      db,
      `select current_setting('temp_directory') as temp, current_setting('home_directory') as home,
              current_setting('autoinstall_known_extensions')::varchar as autoinstall,
              current_setting('autoload_known_extensions')::varchar as autoload,
              current_setting('threads')::varchar as threads, current_setting('memory_limit') as mem,
              current_setting('TimeZone') as tz`,
    );
    expect(s!.temp).toBe(join(scratch, 'duckdb', 'spill'));
    expect(s!.home).toBe(join(scratch, 'duckdb', 'home'));
    expect(s).toMatchObject({ autoinstall: 'false', autoload: 'false', threads: '1', tz: 'UTC' });
    expect(s!.mem).toMatch(/^2\d\d\.\d MiB$/);
  });

  it('spills a sort larger than the memory limit to scratch instead of failing', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'duck-'));
    const db = await createDb({ scratchDir: scratch, duckdb: { threads: 1, memoryLimit: '64MB' } });
    // ~200 MB of rows sorted into a table: without the spill folder this fails (checked:
    // "Out of Memory Error: could not allocate block").
    await db.run(
      `create table sorted as select hash(range) as k, repeat('x', 40) as pad from range(4000000) order by k`,
    );
    const rows = await queryRows<{ n: number }>(db, 'select count(*)::bigint as n from sorted');
    expect(rows[0]!.n).toBe(4_000_000);
  });
});
