// Spreads the origins of an accessibility run over worker threads (one range-RAPTOR per origin is
// independent of the others). Batches are handed out as workers free up, so uneven origins
// balance. Any worker failure falls back to the single-threaded run: same numbers, just slower.
import { Worker } from 'node:worker_threads';
import { type AccessibilityOptions, computeAccessibility, type Zone } from './accessibility';
import type { Network } from './network';

export async function computeAccessibilityParallel(
  net: Network,
  zones: Zone[],
  opts: AccessibilityOptions,
  threads: number,
  onProgress?: (done: number, total: number) => void,
): Promise<Float64Array> {
  const Z = zones.length;
  if (threads <= 1 || Z < 40) return computeAccessibility(net, zones, opts, onProgress);
  try {
    return await computeAccessibilityInWorkers(net, zones, opts, threads, onProgress);
  } catch {
    return computeAccessibility(net, zones, opts, onProgress);
  }
}

export function computeAccessibilityInWorkers(
  net: Network,
  zones: Zone[],
  opts: AccessibilityOptions,
  threads: number,
  onProgress?: (done: number, total: number) => void,
) {
  const Z = zones.length;
  const width = opts.percentiles.length * opts.cutoffsMin.length;
  const out = new Float64Array(Z * width);
  const size = Math.max(5, Math.ceil(Z / (threads * 8)));
  const batches: [number, number][] = [];
  for (let o = 0; o < Z; o += size) batches.push([o, Math.min(Z, o + size)]);
  const { tripLabel: _labels, ...tt } = net.tt;
  const workers: Worker[] = [];
  let done = 0;
  return new Promise<Float64Array>((resolve, reject) => {
    const finish = (err?: unknown) => {
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(out);
    };
    const next = (w: Worker) => {
      const b = batches.shift();
      if (b) w.postMessage({ batch: b });
    };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./accessibility-worker.mjs', import.meta.url));
      workers.push(w);
      w.on('error', finish);
      w.on('exit', (code) => {
        if (done < Z) finish(new Error(`accessibility worker exited (${code}) before finishing`));
      });
      w.on('message', (m: { batch: [number, number]; rows: Float64Array }) => {
        out.set(m.rows, m.batch[0] * width);
        done += m.batch[1] - m.batch[0];
        onProgress?.(done, Z);
        if (done === Z) finish();
        else next(w);
      });
      w.postMessage({ setup: { tt: { ...tt, tripLabel: [] }, coords: net.coords, zones, opts } });
      next(w);
    }
  });
}
