// The CLI as a user runs it: a real process, exit codes, messages on stderr.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempCtx } from '../helpers';

const CLI = fileURLToPath(new URL('../../bin/corridor.js', import.meta.url));
const ctx = tempCtx();
afterAll(() => ctx.cleanup());

function corridor(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: {
      ...process.env,
      CORRIDOR_DATA_DIR: join(ctx.root, 'store'),
      CORRIDOR_SCRATCH_DIR: join(ctx.root, 'scratch'),
      CI: 'true',
    },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('corridor CLI', () => {
  it('lists its commands', () => {
    const r = corridor('--help');
    expect(r.code).toBe(0);
    for (const c of ['ingest', 'datasets', 'compute', 'serve', 'demo']) expect(r.out).toContain(`  ${c}`);
  });

  it('rejects a bad file with exit code 1 and a readable summary naming file, line and column', () => {
    const dir = join(ctx.root, 'bad');
    mkdirSync(dir, { recursive: true });
    const f = join(dir, 'ACSDT1Y2019.B08301-Data.csv');
    writeFileSync(
      f,
      '"GEO_ID","NAME","B08301_001E","B08301_003E"\n"Geography","Name","Total","Alone"\n"0500000US99001","A","12x","5"\n',
    );
    const r = corridor('ingest', f, '--dataset', 'acs_b08301');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'ERROR bad_value [ACSDT1Y2019.B08301-Data.csv, line 3, column B08301_001E]: "12x" is not a valid whole number',
    );
    expect(r.err).toContain('acs_b08301: REJECTED — nothing was published.');
    // Progress drawing stays off when CI is set: no carriage-return redraws in the log.
    expect(r.err).not.toContain('\r');
    expect(corridor('datasets').out).toContain('no datasets yet');
  });

  it('an unknown command or dataset is a clear error, not a stack trace', () => {
    expect(corridor('frobnicate').code).toBe(2);
    const r = corridor('ingest', 'x.csv', '--dataset', 'nope');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown dataset nope; known: acs_b08301/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('`demo --serve` loads the demo region and serves it (what npm start runs)', async () => {
    const child: ChildProcess = spawn(process.execPath, [CLI, 'demo', '--serve', '--port', '0'], {
      env: {
        ...process.env,
        CORRIDOR_DATA_DIR: join(ctx.root, 'demo'),
        CORRIDOR_SCRATCH_DIR: join(ctx.root, 'scratch'),
        CI: 'true',
      },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error(`no serving line in time: ${buf}`)), 180_000);
        child.stdout!.on('data', (d) => {
          buf += d;
          const m = /serving .* at (http:\/\/localhost:\d+\/)/.exec(buf);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!.replace('localhost', '127.0.0.1'));
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${buf}`)));
      });
      const health = await fetch(`${url}healthz`);
      expect(await health.json()).toMatchObject({ ok: true, storage: 'fs' });
      const datasets = (await (await fetch(`${url}api/datasets`)).json()) as { datasets: { id: string }[] };
      expect(datasets.datasets.map((d) => d.id)).toContain('acs_b08301');
      const home = await fetch(url);
      expect(home.headers.get('content-type')).toMatch(/text\/html/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
