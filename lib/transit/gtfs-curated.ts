// The data dictionary of the curated GTFS tables (what `corridor datasets` and the API show).
import type { ColumnType, TableSpec } from '../datasets/spec';
import { GTFS_FILES, type GtfsKind } from './gtfs-spec';

const TYPES: Record<GtfsKind, ColumnType> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  time: 'INTEGER',
  date: 'DATE',
  int: 'INTEGER',
  float: 'DOUBLE',
};

export function curatedSpecs(): TableSpec[] {
  return GTFS_FILES.map((f) => {
    const columns = [
      {
        name: 'feed_id',
        type: 'VARCHAR' as ColumnType,
        description: 'Feed name given at ingest (gtfs.<feed_id>)',
        required: true,
      },
      ...f.columns.map((c) => ({
        name: c.kind === 'time' ? c.name.replace(/_time$/, '_secs') : c.name,
        type: TYPES[c.kind],
        description: c.description,
        unit: c.kind === 'time' ? 'seconds since noon−12h of the service day' : undefined,
        required: c.required,
      })),
    ];
    if (f.table === 'stop_times') {
      columns.push({
        name: 'interpolated',
        type: 'BOOLEAN',
        description: 'Times were blank in the feed and interpolated by distance',
        required: true,
      });
    }
    return {
      name: f.table,
      description: `GTFS ${f.file} (typed)`,
      columns,
      key: ['feed_id', ...f.key.map((k) => k.replace(/_time$/, '_secs'))],
    };
  });
}
