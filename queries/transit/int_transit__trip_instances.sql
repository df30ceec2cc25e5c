-- Every trip run on the service date: scheduled trips of running services, and trips of
-- frequencies.txt expanded to departures start_time + k·headway_secs while < end_time (both
-- exact_times values; for exact_times = 0 these are the scheduled-equivalent departures).
-- offset_secs shifts the template trip's stop times to the instance.
-- grain: feed_id, trip_id, instance
-- inputs: int_transit__active_services, int_transit__trip_stats, gtfs_frequencies
-- reference: GTFS Schedule reference, frequencies.txt (start_time, end_time, exact_times); research/transit.md §1.5
with running as (
    select s.*
    from int_transit__trip_stats as s
    semi join int_transit__active_services using (feed_id, service_id)
    where s.first_departure_secs is not null and s.last_arrival_secs is not null
),

frequencies as (
    select * from gtfs_frequencies
),

expanded as (
    select
        r.feed_id, r.trip_id,
        f.start_secs + k.k * f.headway_secs as start_secs,
        coalesce(f.exact_times, 0) = 0 as frequency_based,
        f.headway_secs
    from running as r
    join frequencies as f using (feed_id, trip_id)
    cross join lateral (select unnest(range(0, ((f.end_secs - f.start_secs + f.headway_secs - 1) // f.headway_secs)::bigint)) as k) as k
    where f.end_secs > f.start_secs
),

instances as (
    select feed_id, trip_id, 0 as instance, first_departure_secs as start_secs, false as frequency_based, null::integer as headway_secs
    from running
    anti join (select distinct feed_id, trip_id from frequencies) using (feed_id, trip_id)
    union all
    select feed_id, trip_id, row_number() over (partition by feed_id, trip_id order by start_secs) as instance, start_secs, frequency_based, headway_secs
    from expanded
),

final as (
    select
        i.feed_id, i.trip_id, i.instance, r.route_id, r.direction_id, r.service_id, r.shape_id, r.pattern_id,
        i.start_secs - r.first_departure_secs as offset_secs,
        i.start_secs as first_departure_secs,
        r.last_arrival_secs + i.start_secs - r.first_departure_secs as last_arrival_secs,
        r.duration_secs, r.distance_m, r.distance_source, r.stops,
        r.first_stop_id, r.last_stop_id, i.frequency_based, i.headway_secs
    from instances as i
    join running as r using (feed_id, trip_id)
)

select * from final
