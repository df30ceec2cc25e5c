// Side effects come in as parameters (STYLE.md §6): every command, handler and computation gets
// a Ctx, built once at the entry point from the configuration.
import { mkdirSync } from 'node:fs';
import { type Config, loadConfig } from './config';
import { createDb, type Db } from './engine/duckdb';
import { createStorage, type Storage } from './storage';

export interface Log {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface Progress {
  /** Report progress of a long step; drawn on a TTY, silent in CI and on Lambda. */
  update(label: string, done: number, total?: number, unit?: string): void;
  done(label?: string): void;
}

export interface Ctx {
  config: Config;
  storage: Storage;
  log: Log;
  progress: Progress;
  clock: () => Date;
  /** A fresh DuckDB connection (each computation gets its own in-memory database). */
  db(): Promise<Db>;
}

export const consoleLog: Log = {
  info: (m) => console.error(m),
  warn: (m) => console.error(`warning: ${m}`),
  error: (m) => console.error(`error: ${m}`),
};

export const silentLog: Log = { info() {}, warn() {}, error() {} };

export function ttyProgress(enabled: boolean): Progress {
  let last = 0;
  return {
    update(label, done, total, unit = '') {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && (!total || done < total)) return;
      last = now;
      const pct = total ? ` ${((100 * done) / total).toFixed(0)}%` : '';
      const count = `${done.toLocaleString('en-US')}${total ? `/${total.toLocaleString('en-US')}` : ''}${unit ? ` ${unit}` : ''}`;
      process.stderr.write(`\r\x1b[2K${label}: ${count}${pct}`);
    },
    done(label) {
      if (!enabled) return;
      process.stderr.write(`\r\x1b[2K${label ? `${label}\n` : ''}`);
    },
  };
}

export async function createContext(overrides: Partial<Config> = {}, log: Log = consoleLog): Promise<Ctx> {
  const config = loadConfig(process.env, overrides);
  mkdirSync(config.scratchDir, { recursive: true });
  const storage = await createStorage(config);
  return {
    config,
    storage,
    log,
    progress: ttyProgress(config.interactive),
    clock: () => new Date(),
    db: () => createDb(config),
  };
}
