// GTFS problems are reported with MobilityData gtfs-validator notice codes (@ 03717cb, the
// validator's own severities below) so a planner can look each one up in the validator's rules.
// What we *do* about a notice (research/transit.md §1.8 policy) is our severity: reject the feed
// (error on a file), drop the row (error, quarantined), repair or exclude and warn, or inform.
import type { IssueCollector, Severity } from '../ingest/issues';

/** The validator's severity for every code we emit (checked against the validator's list in test). */
export const VALIDATOR_SEVERITY = {
  duplicate_key: 'ERROR',
  duplicated_column: 'ERROR',
  empty_column_name: 'ERROR',
  empty_file: 'ERROR',
  foreign_key_violation: 'ERROR',
  inconsistent_agency_timezone: 'ERROR',
  invalid_date: 'ERROR',
  invalid_float: 'ERROR',
  invalid_input_files_in_subfolder: 'ERROR',
  invalid_integer: 'ERROR',
  invalid_row_length: 'ERROR',
  invalid_time: 'ERROR',
  invalid_timezone: 'ERROR',
  missing_calendar_and_calendar_date_files: 'ERROR',
  missing_required_column: 'ERROR',
  missing_required_field: 'ERROR',
  missing_required_file: 'ERROR',
  missing_trip_edge: 'ERROR',
  number_out_of_range: 'ERROR',
  overlapping_frequency: 'ERROR',
  point_near_origin: 'ERROR',
  stop_time_with_arrival_before_previous_departure_time: 'ERROR',
  stop_time_with_only_arrival_or_departure_time: 'ERROR',
  leading_or_trailing_whitespaces: 'WARNING',
  service_has_no_active_day_of_the_week: 'WARNING',
  unusable_trip: 'WARNING',
  unused_trip: 'WARNING',
  unknown_column: 'INFO',
  unknown_file: 'INFO',
} as const;

export type NoticeCode = keyof typeof VALIDATOR_SEVERITY;

export interface NoticeInput {
  file?: string;
  line?: number;
  column?: string;
  message: string;
  fix?: string;
  value?: string;
  count?: number;
}

/**
 * Records a validator notice with our action's severity. The message says what the validator calls
 * it when our action is milder (a repair), so nobody is surprised by the validator's own report.
 */
export function notice(issues: IssueCollector, code: NoticeCode, action: Severity, n: NoticeInput) {
  const v = VALIDATOR_SEVERITY[code];
  const note = v.toLowerCase() !== action ? ` (gtfs-validator: ${v})` : '';
  issues.add({ code, severity: action, ...n, message: `${n.message}${note}` });
}
