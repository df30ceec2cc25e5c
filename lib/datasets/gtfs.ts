// GTFS Schedule feeds (one named dataset per feed: gtfs.<name>). The zip is read file by file with
// explicit CSV options; problems are MobilityData validator notices (lib/transit/notices.ts);
// the curated tables are typed, carry feed_id, and stop_times has blank times interpolated.
import type { IngestJob } from '../ingest/job';
import type { SourceFile } from '../ingest/sources';
import { curatedSpecs } from '../transit/gtfs-curated';
import { ingestGtfs } from '../transit/gtfs-ingest';
import type { DatasetType } from './types';

export const dataset: DatasetType = {
  type: 'gtfs',
  title: 'GTFS Schedule feed',
  description:
    "A transit agency's published schedule (GTFS Schedule): stops, routes, trips, stop times, service calendars, frequencies and shapes, validated with gtfs-validator notice codes.",
  source: 'The transit agency (GTFS Schedule zip, https://gtfs.org/documentation/schedule/reference/)',
  license: 'As published by the agency',
  keywords: ['transit', 'gtfs', 'schedule'],
  named: true,
  tables: curatedSpecs(),
  detect: (files: SourceFile[]) => {
    const names = new Set(files.map((f) => f.name.split('/').at(-1)));
    return names.has('stop_times.txt') && names.has('trips.txt');
  },
  ingest: (job: IngestJob) => ingestGtfs(job),
};
