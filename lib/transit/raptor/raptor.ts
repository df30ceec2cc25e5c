// Range RAPTOR, one origin at a time (Delling, Pajor, Werneck 2012 §4; r5 FastRaptorWorker):
// departure minutes are searched from the latest to the earliest, keeping every round's labels,
// because leaving earlier can never arrive later — each minute costs only its improvements.
// Two labels per round and stop: the earliest arrival by vehicle (footpaths start only there, so
// walks never chain) and the earliest arrival by any means (boarding starts there).
import type { Timetable } from './timetable';

export const UNREACHED = 0x3fffffff;

export interface RaptorOptions {
  /** Most vehicles boarded in one journey (r5r default max_rides = 3). */
  maxRides: number;
  /** Seconds between reaching a stop and boarding (r5: MINIMUM_BOARD_WAIT_SEC = 60). */
  boardSlack: number;
  /** Arrivals later than departure + this are not kept (r5: MAX_TRIP_DURATION_SEC = 120 min). */
  maxDurationSecs: number;
}

export interface Access {
  stop: number;
  secs: number;
}

export class RangeRaptor {
  /** Earliest arrival at each stop over all rounds (GTFS seconds), for the last search. */
  readonly best: Int32Array;
  /** Vehicles boarded on the journey behind best[s] (0 = walked from the origin). */
  readonly bestRides: Uint8Array;
  private readonly all: Int32Array[];
  private readonly transit: Int32Array[];
  private readonly marked: Uint8Array;
  private readonly markedList: Int32Array;
  private markedCount = 0;
  private readonly byVehicle: Uint8Array;
  private readonly byVehicleList: Int32Array;
  private byVehicleCount = 0;
  private readonly queue: Int32Array;
  private readonly queued: Int32Array;
  private queuedCount = 0;

  constructor(
    private readonly tt: Timetable,
    private readonly opts: RaptorOptions,
  ) {
    const S = tt.stopCount;
    this.best = new Int32Array(S);
    this.bestRides = new Uint8Array(S);
    this.all = Array.from({ length: opts.maxRides + 1 }, () => new Int32Array(S));
    this.transit = Array.from({ length: opts.maxRides + 1 }, () => new Int32Array(S));
    this.marked = new Uint8Array(S);
    this.markedList = new Int32Array(S);
    this.byVehicle = new Uint8Array(S);
    this.byVehicleList = new Int32Array(S);
    this.queue = new Int32Array(tt.patternCount).fill(-1);
    this.queued = new Int32Array(tt.patternCount);
    this.reset();
  }

  /** Forget every label (before the next origin). */
  reset() {
    for (const r of this.all) r.fill(UNREACHED);
    for (const r of this.transit) r.fill(UNREACHED);
  }

  /**
   * Earliest arrivals leaving the origin at `departure` with the given walking access to stops.
   * For one origin call it with decreasing departures (range RAPTOR); reset() between origins.
   * Results are in `best` / `bestRides`.
   */
  search(departure: number, access: Access[]) {
    const { tt, opts, best } = this;
    const S = tt.stopCount;
    const limit = departure + opts.maxDurationSecs;
    best.fill(UNREACHED);
    this.bestRides.fill(0);
    const a0 = this.all[0]!;
    this.markedCount = 0;
    for (const a of access) {
      const v = departure + a.secs;
      if (v < a0[a.stop]!) {
        a0[a.stop] = v;
        this.mark(a.stop);
      }
    }
    for (let s = 0; s < S; s++) if (a0[s]! <= limit) best[s] = a0[s]!;
    for (let k = 1; k <= opts.maxRides; k++) {
      const prevAll = this.all[k - 1]!;
      const curAll = this.all[k]!;
      const prevT = this.transit[k - 1]!;
      const curT = this.transit[k]!;
      // τk starts from τk−1 (a journey with fewer rides is also one with at most k rides)
      for (let s = 0; s < S; s++) {
        if (prevAll[s]! < curAll[s]!) curAll[s] = prevAll[s]!;
        if (prevT[s]! < curT[s]!) curT[s] = prevT[s]!;
      }
      if (this.markedCount > 0) {
        this.collectPatterns();
        this.byVehicleCount = 0;
        for (let q = 0; q < this.queuedCount; q++)
          this.scanPattern(this.queued[q]!, prevAll, curAll, curT, limit);
        this.queuedCount = 0;
        for (let i = 0; i < this.byVehicleCount; i++) {
          const s = this.byVehicleList[i]!;
          this.byVehicle[s] = 0;
          const at = curT[s]!;
          for (let f = tt.footStart[s]!; f < tt.footStart[s + 1]!; f++) {
            const u = tt.footTo[f]!;
            const v = at + tt.footSecs[f]!;
            if (v < curAll[u]! && v <= limit) {
              curAll[u] = v;
              this.mark(u);
            }
          }
        }
      }
      for (let s = 0; s < S; s++) {
        if (curAll[s]! < best[s]! && curAll[s]! <= limit) {
          best[s] = curAll[s]!;
          this.bestRides[s] = k;
        }
      }
    }
    for (let i = 0; i < this.markedCount; i++) this.marked[this.markedList[i]!] = 0;
    this.markedCount = 0;
  }

  private scanPattern(p: number, prevAll: Int32Array, curAll: Int32Array, curT: Int32Array, limit: number) {
    const { tt } = this;
    const from = this.queue[p]!;
    this.queue[p] = -1;
    const s0 = tt.patternStopStart[p]!;
    const n = tt.patternStopStart[p + 1]! - s0;
    const t0 = tt.tripStart[p]!;
    const t1 = tt.tripStart[p + 1]!;
    let trip = -1;
    let base = 0;
    for (let j = from; j < n; j++) {
      const s = tt.patternStops[s0 + j]!;
      if (trip >= 0 && tt.alight[base + j]) {
        const a = tt.arr[base + j]!;
        if (a < curT[s]! && a <= limit) {
          curT[s] = a;
          if (!this.byVehicle[s]) {
            this.byVehicle[s] = 1;
            this.byVehicleList[this.byVehicleCount++] = s;
          }
          if (a < curAll[s]!) {
            curAll[s] = a;
            this.mark(s);
          }
        }
      }
      const ready = prevAll[s]!;
      if (ready >= UNREACHED) continue;
      const boardAt = ready + this.opts.boardSlack;
      const end = trip >= 0 ? trip : t1;
      if (trip >= 0 && tt.dep[base + j]! < boardAt) continue;
      // earliest trip of the pattern leaving here at or after boardAt (patterns are FIFO)
      let lo = t0;
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (tt.dep[tt.timeStart[mid]! + j]! >= boardAt) hi = mid;
        else lo = mid + 1;
      }
      while (lo < end && !tt.board[tt.timeStart[lo]! + j]) lo++;
      if (lo < end) {
        trip = lo;
        base = tt.timeStart[lo]!;
      }
    }
  }

  private mark(s: number) {
    if (this.marked[s]) return;
    this.marked[s] = 1;
    this.markedList[this.markedCount++] = s;
  }

  private collectPatterns() {
    const { tt } = this;
    this.queuedCount = 0;
    for (let m = 0; m < this.markedCount; m++) {
      const s = this.markedList[m]!;
      this.marked[s] = 0;
      for (let o = tt.stopPatternStart[s]!; o < tt.stopPatternStart[s + 1]!; o++) {
        const p = tt.stopPatternP[o]!;
        const i = tt.stopPatternI[o]!;
        const q = this.queue[p]!;
        if (q < 0) {
          this.queue[p] = i;
          this.queued[this.queuedCount++] = p;
        } else if (i < q) this.queue[p] = i;
      }
    }
    this.markedCount = 0;
  }
}
