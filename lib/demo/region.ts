// The demo region: a fictional five-county metro ("Demo Valley"), generated deterministically so
// every clone sees the same numbers. State code 99 is not a real FIPS state, on purpose.
export const DEMO_COUNTIES = [
  { fips: '99001', name: 'Harbor County', workers: 412_000, sov: 0.61 },
  { fips: '99003', name: 'Ridge County', workers: 188_000, sov: 0.78 },
  { fips: '99005', name: 'Mill County', workers: 96_500, sov: 0.82 },
  { fips: '99007', name: 'Lake County', workers: 143_200, sov: 0.75 },
  { fips: '99009', name: 'Orchard County', workers: 61_800, sov: 0.84 },
] as const;

export { rng } from '../util/rng';
