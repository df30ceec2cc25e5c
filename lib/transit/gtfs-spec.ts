// The GTFS Schedule files we read, with the spec's required columns and each column's type
// (google/transit reference.md @ 2dd229bb, "Dataset Files" and "Field Types"). Everything is read
// as text first (research/transit.md §1.2: typed auto-detection loses leading zeros and cannot hold
// 25:30:00) and converted by our own rules, so each bad value becomes a notice with its line.
import type { TableSpec } from '../datasets/spec';

export type GtfsKind = 'id' | 'text' | 'time' | 'date' | 'int' | 'float';

export interface GtfsColumn {
  name: string;
  kind: GtfsKind;
  /** Column required by the spec (missing column: missing_required_column). */
  required?: boolean;
  /** Value required on every row (empty value: missing_required_field). */
  notNull?: boolean;
  min?: number;
  max?: number;
  description: string;
}

export interface GtfsFile {
  file: string;
  table: string;
  /** required: the feed is unusable without it; calendar files are checked as a pair. */
  presence: 'required' | 'conditional' | 'optional';
  key: string[];
  columns: GtfsColumn[];
}

const id = (name: string, description: string, required = true): GtfsColumn => ({
  name,
  kind: 'id',
  required,
  notNull: required,
  description,
});
const text = (name: string, description: string): GtfsColumn => ({ name, kind: 'text', description });
const int = (name: string, description: string, min?: number, max?: number): GtfsColumn => ({
  name,
  kind: 'int',
  min,
  max,
  description,
});
const flag = (name: string): GtfsColumn => ({
  name,
  kind: 'int',
  required: true,
  notNull: true,
  min: 0,
  max: 1,
  description: `1 if service runs on ${name}s`,
});

export const GTFS_FILES: GtfsFile[] = [
  {
    file: 'agency.txt',
    table: 'agency',
    presence: 'required',
    key: ['agency_id'],
    columns: [
      id('agency_id', 'Agency id (may be empty in single-agency feeds)', false),
      { name: 'agency_name', kind: 'text', required: true, notNull: true, description: 'Agency name' },
      { name: 'agency_url', kind: 'text', required: true, description: 'Agency web site' },
      {
        name: 'agency_timezone',
        kind: 'text',
        required: true,
        notNull: true,
        description: 'IANA time zone all stop_times are expressed in',
      },
      text('agency_lang', 'Language'),
    ],
  },
  {
    file: 'stops.txt',
    table: 'stops',
    presence: 'required',
    key: ['stop_id'],
    columns: [
      id('stop_id', 'Stop id'),
      text('stop_code', 'Rider-facing stop code'),
      text('stop_name', 'Stop name'),
      { name: 'stop_lat', kind: 'float', min: -90, max: 90, description: 'Latitude (WGS84)' },
      { name: 'stop_lon', kind: 'float', min: -180, max: 180, description: 'Longitude (WGS84)' },
      text('zone_id', 'Fare zone'),
      int('location_type', '0 stop/platform, 1 station, 2 entrance, 3 generic node, 4 boarding area', 0, 4),
      text('parent_station', 'Parent station stop_id'),
      text('stop_timezone', 'Stop time zone (display only: stop_times are in agency time)'),
      int('wheelchair_boarding', 'Wheelchair boarding 0/1/2', 0, 2),
    ],
  },
  {
    file: 'routes.txt',
    table: 'routes',
    presence: 'required',
    key: ['route_id'],
    columns: [
      id('route_id', 'Route id'),
      text('agency_id', 'Agency id'),
      text('route_short_name', 'Short name'),
      text('route_long_name', 'Long name'),
      {
        name: 'route_type',
        kind: 'int',
        required: true,
        notNull: true,
        min: 0,
        max: 1702,
        description: 'GTFS route type (0 tram … 12 monorail; 100–1702 extended)',
      },
      text('route_color', 'Route color (hex)'),
    ],
  },
  {
    file: 'trips.txt',
    table: 'trips',
    presence: 'required',
    key: ['trip_id'],
    columns: [
      id('route_id', 'Route id'),
      id('service_id', 'Service id (calendar)'),
      id('trip_id', 'Trip id'),
      text('trip_headsign', 'Headsign'),
      int('direction_id', 'Direction 0/1', 0, 1),
      text('block_id', 'Block id'),
      text('shape_id', 'Shape id'),
    ],
  },
  {
    file: 'stop_times.txt',
    table: 'stop_times',
    presence: 'required',
    key: ['trip_id', 'stop_sequence'],
    columns: [
      id('trip_id', 'Trip id'),
      {
        name: 'arrival_time',
        kind: 'time',
        required: true,
        description: 'Arrival, GTFS time (seconds since noon−12h of the service day)',
      },
      { name: 'departure_time', kind: 'time', required: true, description: 'Departure, GTFS time' },
      id('stop_id', 'Stop id'),
      {
        name: 'stop_sequence',
        kind: 'int',
        required: true,
        notNull: true,
        min: 0,
        description: 'Order of the stop in the trip',
      },
      int('pickup_type', 'Pickup 0 regular, 1 none, 2 phone, 3 driver', 0, 3),
      int('drop_off_type', 'Drop-off 0 regular, 1 none, 2 phone, 3 driver', 0, 3),
      {
        name: 'shape_dist_traveled',
        kind: 'float',
        min: 0,
        description: 'Distance along the shape (feed units)',
      },
      int('timepoint', '1 exact time, 0 approximate', 0, 1),
    ],
  },
  {
    file: 'calendar.txt',
    table: 'calendar',
    presence: 'conditional',
    key: ['service_id'],
    columns: [
      id('service_id', 'Service id'),
      flag('monday'),
      flag('tuesday'),
      flag('wednesday'),
      flag('thursday'),
      flag('friday'),
      flag('saturday'),
      flag('sunday'),
      { name: 'start_date', kind: 'date', required: true, notNull: true, description: 'First service date' },
      {
        name: 'end_date',
        kind: 'date',
        required: true,
        notNull: true,
        description: 'Last service date (inclusive)',
      },
    ],
  },
  {
    file: 'calendar_dates.txt',
    table: 'calendar_dates',
    presence: 'conditional',
    key: ['service_id', 'date'],
    columns: [
      id('service_id', 'Service id'),
      { name: 'date', kind: 'date', required: true, notNull: true, description: 'Service date' },
      {
        name: 'exception_type',
        kind: 'int',
        required: true,
        notNull: true,
        min: 1,
        max: 2,
        description: '1 service added, 2 service removed',
      },
    ],
  },
  {
    file: 'frequencies.txt',
    table: 'frequencies',
    presence: 'optional',
    key: ['trip_id', 'start_time'],
    columns: [
      id('trip_id', 'Template trip id'),
      {
        name: 'start_time',
        kind: 'time',
        required: true,
        notNull: true,
        description: 'First departure from the first stop',
      },
      {
        name: 'end_time',
        kind: 'time',
        required: true,
        notNull: true,
        description: 'Departures run while start + k·headway < end_time',
      },
      {
        name: 'headway_secs',
        kind: 'int',
        required: true,
        notNull: true,
        min: 1,
        description: 'Seconds between departures',
      },
      int('exact_times', '0/empty frequency-based, 1 schedule-based', 0, 1),
    ],
  },
  {
    file: 'shapes.txt',
    table: 'shapes',
    presence: 'optional',
    key: ['shape_id', 'shape_pt_sequence'],
    columns: [
      id('shape_id', 'Shape id'),
      {
        name: 'shape_pt_lat',
        kind: 'float',
        required: true,
        notNull: true,
        min: -90,
        max: 90,
        description: 'Latitude',
      },
      {
        name: 'shape_pt_lon',
        kind: 'float',
        required: true,
        notNull: true,
        min: -180,
        max: 180,
        description: 'Longitude',
      },
      {
        name: 'shape_pt_sequence',
        kind: 'int',
        required: true,
        notNull: true,
        min: 0,
        description: 'Point order',
      },
      {
        name: 'shape_dist_traveled',
        kind: 'float',
        min: 0,
        description: 'Distance along the shape (feed units)',
      },
    ],
  },
  {
    file: 'transfers.txt',
    table: 'transfers',
    presence: 'optional',
    key: [],
    columns: [
      text('from_stop_id', 'From stop'),
      text('to_stop_id', 'To stop'),
      {
        name: 'transfer_type',
        kind: 'int',
        required: true,
        min: 0,
        max: 5,
        description: '0 recommended, 1 timed, 2 minimum time, 3 not possible, 4–5 in-seat',
      },
      int('min_transfer_time', 'Seconds needed to transfer', 0),
    ],
  },
  {
    file: 'feed_info.txt',
    table: 'feed_info',
    presence: 'optional',
    key: [],
    columns: [
      text('feed_publisher_name', 'Publisher'),
      text('feed_lang', 'Language'),
      { name: 'feed_start_date', kind: 'date', description: 'Feed valid from' },
      { name: 'feed_end_date', kind: 'date', description: 'Feed valid to' },
      text('feed_version', 'Version label'),
    ],
  },
];

/** Other files defined by the spec: accepted, not used by our measures (no unknown_file notice). */
export const KNOWN_UNUSED_FILES = new Set([
  'fare_attributes.txt',
  'fare_rules.txt',
  'pathways.txt',
  'levels.txt',
  'translations.txt',
  'attributions.txt',
  'timeframes.txt',
  'fare_media.txt',
  'fare_products.txt',
  'fare_leg_rules.txt',
  'fare_leg_join_rules.txt',
  'fare_transfer_rules.txt',
  'areas.txt',
  'stop_areas.txt',
  'networks.txt',
  'route_networks.txt',
  'location_groups.txt',
  'location_group_stops.txt',
  'locations.geojson',
  'booking_rules.txt',
  'rider_categories.txt',
]);

/** The read spec: every column as text; required-ness is checked by our header check. */
export function readSpec(f: GtfsFile): TableSpec {
  return {
    name: f.table,
    description: `GTFS ${f.file}`,
    columns: f.columns.map((c) => ({ name: c.name, type: 'VARCHAR', description: c.description })),
  };
}
