// Event-level transit safety records for the PTASP measures: one row per NTD reportable event, as
// an agency keeps them for its NTD Safety & Security reports (major events on form S&S-40;
// non-major counts summarised monthly on S&S-50). The columns are what the 2024 National Safety
// Plan's measures need (data/transit/nsp_measures.csv): mode, date, event type, collision partner,
// fatalities and injuries with their transit-worker subsets, and the assault-on-a-transit-worker
// flag. They are named by meaning, not after the S&S-40 field labels, which were not verified here.
import type { IngestJob } from '../ingest/job';
import { registerNspReference } from '../transit/ptasp-reference';
import type { TableSpec } from './spec';
import type { DatasetType } from './types';

export const safetyEventsFile: TableSpec = {
  name: 'ntd_safety_events',
  description: 'Transit safety events (one row per event)',
  columns: [
    {
      name: 'agency',
      type: 'VARCHAR',
      description: 'Agency (name or NTD ID)',
      required: true,
      notNull: true,
      aliases: ['ntd_id'],
    },
    {
      name: 'event_id',
      type: 'VARCHAR',
      description: "The agency's or NTD's event identifier",
      aliases: ['incident_number', 'id'],
    },
    {
      name: 'date',
      type: 'DATE',
      description: 'Date of the event',
      required: true,
      notNull: true,
      aliases: ['event_date', 'incident_date'],
    },
    {
      name: 'mode',
      type: 'VARCHAR',
      description:
        'NTD mode code (MB, DR, LR, …); grouped into the PTASP modal groups by data/transit/ptasp_mode_groups.csv',
      required: true,
      notNull: true,
    },
    {
      name: 'tos',
      type: 'VARCHAR',
      description: 'Type of service (DO, PT, TX, TN)',
      aliases: ['type_of_service'],
    },
    {
      name: 'event_type',
      type: 'VARCHAR',
      description: 'collision, derailment, fire, evacuation, assault, other …',
      required: true,
      notNull: true,
    },
    {
      name: 'collision_with',
      type: 'VARCHAR',
      description: 'For collisions: pedestrian, cyclist, motor_vehicle, rail_vehicle, object, other',
    },
    { name: 'fatalities', type: 'DOUBLE', description: 'People killed (all persons)', min: 0 },
    { name: 'injuries', type: 'DOUBLE', description: 'People injured (all persons)', min: 0 },
    {
      name: 'transit_worker_fatalities',
      type: 'DOUBLE',
      description: 'Of the fatalities, transit workers',
      min: 0,
    },
    {
      name: 'transit_worker_injuries',
      type: 'DOUBLE',
      description: 'Of the injuries, transit workers',
      min: 0,
    },
    {
      name: 'assault_on_transit_worker',
      type: 'BOOLEAN',
      description: 'The event is an assault on a transit worker (49 U.S.C. 5302 / NTD definition)',
      aliases: ['assault'],
    },
    {
      name: 'major',
      type: 'BOOLEAN',
      description: 'Meets the NTD major event threshold (S&S-40); empty means yes',
      aliases: ['major_event'],
    },
  ],
};

const COLLISION_PARTNERS = ['pedestrian', 'cyclist', 'motor_vehicle', 'rail_vehicle', 'object', 'other'];

export const dataset: DatasetType = {
  type: 'ntd_safety_events',
  title: 'Transit safety events (PTASP)',
  description:
    'One row per reportable safety or security event (date, mode, type, collision partner, fatalities and injuries incl. transit workers, assault on a transit worker), aggregated to the PTASP measures by year and modal group.',
  source: "The agencies' NTD Safety & Security event records (S&S-40 major events, S&S-50 summaries)",
  license: 'Public domain (NTD) or as provided by the agencies',
  keywords: ['transit', 'safety', 'ptasp', 'ntd'],
  tables: [{ ...safetyEventsFile, name: 'ptasp_events', key: [] }],
  async ingest(job: IngestJob) {
    const file = job.single(/\.(csv|xlsx)$/i, {
      code: 'no_events_file',
      message: 'no safety events CSV/XLSX was given',
      fix: 'give a CSV with agency, date, mode, event_type and the casualty counts',
    });
    if (!file) return;
    const read = await job.readTable(file, safetyEventsFile);
    if (!read) return;
    await registerNspReference(job.db);
    await job.checkRows(read, [
      {
        code: 'unknown_mode',
        severity: 'warning',
        quarantine: false,
        column: 'mode',
        where: 'upper(trim(mode)) not in (select ntd_mode from ptasp_mode_groups)',
        message:
          'not an NTD mode code of data/transit/ptasp_mode_groups.csv; the event is measured under its own mode',
        fix: 'use the NTD mode code (MB, CB, RB, DR, LR, HR, …)',
      },
      {
        code: 'unknown_collision_partner',
        severity: 'warning',
        quarantine: false,
        column: 'collision_with',
        where: `collision_with is not null and lower(trim(collision_with)) not in (${COLLISION_PARTNERS.map((p) => `'${p}'`).join(', ')})`,
        message: `collision partner is not one of ${COLLISION_PARTNERS.join(', ')}; it counts as a collision but neither pedestrian nor vehicular`,
      },
      {
        code: 'collision_partner_without_collision',
        severity: 'warning',
        quarantine: false,
        column: 'collision_with',
        where: "collision_with is not null and lower(trim(event_type)) <> 'collision'",
        message:
          'a collision partner is given but the event type is not collision; it is not counted as a collision',
      },
      {
        code: 'worker_casualties_exceed_total',
        severity: 'warning',
        quarantine: false,
        column: 'transit_worker_injuries',
        where:
          'coalesce(transit_worker_injuries, 0) > coalesce(injuries, 0) or coalesce(transit_worker_fatalities, 0) > coalesce(fatalities, 0)',
        message: 'more transit worker casualties than casualties in all; transit workers are a subset',
      },
      {
        code: 'duplicate_event',
        severity: 'error',
        column: 'event_id',
        where: `event_id is not null and __row in (select __row from (select __row, row_number() over (partition by agency, event_id order by __row) as n from ${read.table}) where n > 1)`,
        message: 'another row has the same agency and event_id; the first is kept',
      },
    ]);
    job.publish({ name: 'ptasp_events', table: read.table, orderBy: ['agency', 'date', 'event_id'] });
  },
};
