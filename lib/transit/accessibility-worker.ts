// Worker side of the parallel accessibility run: receives the timetable once, then computes
// batches of origins and sends back their rows (see accessibility-parallel.ts).
import { parentPort } from 'node:worker_threads';
import { type AccessibilityOptions, computeAccessibility, type Zone } from './accessibility';
import type { Timetable } from './raptor/timetable';

interface Setup {
  tt: Timetable;
  coords: { lat: number; lon: number }[];
  zones: Zone[];
  opts: AccessibilityOptions;
}

let setup: Setup | undefined;

parentPort?.on('message', (msg: { setup?: Setup; batch?: [number, number] }) => {
  if (msg.setup) {
    setup = msg.setup;
    return;
  }
  if (!setup || !msg.batch) return;
  const [from, to] = msg.batch;
  const all = computeAccessibility(
    { tt: setup.tt, coords: setup.coords },
    setup.zones,
    setup.opts,
    undefined,
    [from, to],
  );
  const width = setup.opts.percentiles.length * setup.opts.cutoffsMin.length;
  const rows = all.slice(from * width, to * width);
  parentPort?.postMessage({ batch: msg.batch, rows }, [rows.buffer]);
});
