// Every dataset type, by id. New families add one line.
import type { DatasetType } from './types';

export const datasetTypes: Record<string, () => Promise<DatasetType>> = {
  acs_b08301: async () => (await import('./acs-b08301')).dataset,
  npmrds: async () => (await import('./npmrds')).dataset,
  speed_limits: async () => (await import('./speed-limits')).dataset,
  urbanized_area_population: async () => (await import('./urbanized-area-population')).dataset,
  hpms_travel_time_metrics: async () => (await import('./hpms-travel-time-metrics')).dataset,
  gtfs: async () => (await import('./gtfs')).dataset,
  zones: async () => (await import('./zones')).dataset,
  ntd_monthly: async () => (await import('./ntd-monthly')).dataset,
  ntd_tam: async () => (await import('./ntd-tam')).dataset,
  ntd_ptasp: async () => (await import('./ntd-ptasp')).dataset,
  ntd_safety_events: async () => (await import('./ntd-safety-events')).dataset,
};

export async function getDatasetType(type: string) {
  const load = datasetTypes[type];
  if (!load) throw new Error(`unknown dataset ${type}; known: ${Object.keys(datasetTypes).join(', ')}`);
  return load();
}

/** The catalog id of an ingest: the type, or type.name for named datasets (one per feed). */
export function datasetId(type: DatasetType, name?: string) {
  if (type.named && !name)
    throw new Error(`dataset ${type.type} needs --name (e.g. the agency or feed name)`);
  if (name && !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(name)) {
    throw new Error(`--name must be lower-case letters, digits, - or _ (got ${JSON.stringify(name)})`);
  }
  return name ? `${type.type}.${name}` : type.type;
}
