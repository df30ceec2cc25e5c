// Each benchmark owns one "## Section" of bench/RESULTS.md and replaces only that section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

export function machineLine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} cores (${cpu}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${loadavg()[0]!.toFixed(1)} at the end of the run`;
}

export function writeSection(title: string, body: string) {
  const head =
    '# Benchmark results\n\nEach section is written by its script under `bench/`; rerun it to refresh. Figures are medians of alternating runs on a shared, noisy machine: read ratios before absolute times.\n';
  let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : head;
  const start = text.indexOf(`\n## ${title}\n`);
  const section = `\n## ${title}\n\n${body.trim()}\n`;
  if (start < 0) text = `${text.trimEnd()}\n${section}`;
  else {
    const next = text.indexOf('\n## ', start + 4);
    text = text.slice(0, start) + section + (next < 0 ? '' : text.slice(next));
  }
  writeFileSync(FILE, `${text.trimEnd()}\n`);
}

export function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
