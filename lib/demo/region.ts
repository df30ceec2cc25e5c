// The demo region: a fictional five-county metro ("Demo Valley"), generated deterministically so
// every clone sees the same numbers. State code 99 is not a real FIPS state, on purpose.
export const DEMO_COUNTIES = [
  { fips: '99001', name: 'Harbor County', workers: 412_000, sov: 0.61 },
  { fips: '99003', name: 'Ridge County', workers: 188_000, sov: 0.78 },
  { fips: '99005', name: 'Mill County', workers: 96_500, sov: 0.82 },
  { fips: '99007', name: 'Lake County', workers: 143_200, sov: 0.75 },
  { fips: '99009', name: 'Orchard County', workers: 61_800, sov: 0.84 },
] as const;

/** A small seeded PRNG (mulberry32): same seed, same sequence, on every machine. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
