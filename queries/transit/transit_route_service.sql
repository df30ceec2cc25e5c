-- Service per route on the service date: trips, scheduled revenue hours (Σ last arrival − first
-- departure per trip; excludes layover/deadhead, so below NTD VRH), revenue miles (shape, else
-- stop-to-stop), span, peak trips and headways, route length and stop spacing of the busiest
-- pattern per direction, and whether the route is frequent (≥ 60/frequent_headway_min departures
-- in every clock hour 06:00–19:00 in some direction).
-- grain: feed_id, route_id
-- inputs: int_transit__trip_instances, transit_route_headways, int_transit__trip_stats, gtfs_routes
-- params: frequent_headway_min
-- reference: research/transit.md §2b (trips, revenue hours/miles, span, frequent service)
with instances as (
    select * from int_transit__trip_instances
),

totals as (
    select
        feed_id, route_id,
        count(*) as trips,
        sum(last_arrival_secs - first_departure_secs) / 3600 as revenue_hours,
        sum(distance_m) / 1609.344 as revenue_miles,
        min(first_departure_secs) as first_departure_secs,
        max(last_arrival_secs) as last_arrival_secs,
        count(*) filter (where distance_source = 'stops') as trips_with_stop_distance,
        count(*) filter (where frequency_based) as frequency_based_trips,
        -- frequencies.txt templates counted once, as peers that do not expand them report
        count(*) filter (where instance <= 1) as unexpanded_trips,
        sum(duration_secs) filter (where instance <= 1) / 3600 as unexpanded_revenue_hours
    from instances
    group by all
),

hourly as (
    select feed_id, route_id, coalesce(direction_id, 0) as direction_id, first_departure_secs // 3600 as hour, count(*) as departures
    from instances
    where first_departure_secs >= 6 * 3600 and first_departure_secs < 19 * 3600
    group by all
),

frequent as (
    select feed_id, route_id
    from hourly
    where departures >= ceil(60 / $frequent_headway_min::double)
    group by feed_id, route_id, direction_id
    having count(*) = 13
),

patterns as (
    select feed_id, route_id, coalesce(direction_id, 0) as direction_id, pattern_id,
        count(*) as trips, any_value(distance_m) as distance_m, any_value(stops) as stops
    from instances
    group by feed_id, route_id, coalesce(direction_id, 0), pattern_id
    qualify row_number() over (partition by feed_id, route_id, coalesce(direction_id, 0) order by count(*) desc, pattern_id) = 1
),

-- trips in service at once (first departure to last arrival): the scheduled counterpart of NTD VOMS
-- (without spares, layovers and interlining, which GTFS does not show)
sweep as (
    select feed_id, route_id, t, sum(delta) over (partition by feed_id, route_id order by t, delta rows unbounded preceding) as in_service
    from (
        select feed_id, route_id, first_departure_secs as t, 1 as delta from instances
        union all
        select feed_id, route_id, last_arrival_secs as t, -1 as delta from instances
    )
),

peak_vehicles as (
    select feed_id, route_id, max(in_service) as peak_trips_in_service from sweep group by all
),

shape as (
    select feed_id, route_id,
        avg(distance_m) / 1609.344 as route_length_miles,
        sum(distance_m) / nullif(sum(stops - 1), 0) * 3.28084 as mean_stop_spacing_ft
    from patterns
    group by all
),

peaks as (
    select feed_id, route_id,
        sum(departures) filter (where time_band = 'am_peak') as am_peak_trips,
        sum(departures) filter (where time_band = 'midday') as midday_trips,
        sum(departures) filter (where time_band = 'pm_peak') as pm_peak_trips,
        min(mean_headway_min) filter (where time_band = 'am_peak') as am_peak_headway_min,
        min(mean_headway_min) filter (where time_band = 'midday') as midday_headway_min,
        min(mean_headway_min) filter (where time_band = 'pm_peak') as pm_peak_headway_min
    from transit_route_headways
    group by all
),

final as (
    select
        t.feed_id, t.route_id, r.agency_id, r.route_short_name, r.route_long_name, r.route_type,
        t.trips,
        round(t.revenue_hours, 4) as revenue_hours,
        round(t.revenue_miles, 3) as revenue_miles,
        printf('%02d:%02d:%02d', t.first_departure_secs // 3600, t.first_departure_secs % 3600 // 60, t.first_departure_secs % 60) as first_departure,
        printf('%02d:%02d:%02d', t.last_arrival_secs // 3600, t.last_arrival_secs % 3600 // 60, t.last_arrival_secs % 60) as last_arrival,
        round((t.last_arrival_secs - t.first_departure_secs) / 3600, 2) as span_hours,
        coalesce(p.am_peak_trips, 0) as am_peak_trips,
        coalesce(p.midday_trips, 0) as midday_trips,
        coalesce(p.pm_peak_trips, 0) as pm_peak_trips,
        p.am_peak_headway_min, p.midday_headway_min, p.pm_peak_headway_min,
        round(s.route_length_miles, 3) as route_length_miles,
        round(s.mean_stop_spacing_ft, 0) as mean_stop_spacing_ft,
        f.route_id is not null as frequent,
        case when t.trips_with_stop_distance = 0 then 'shape' when t.trips_with_stop_distance = t.trips then 'stops' else 'mixed' end as miles_source,
        t.frequency_based_trips,
        v.peak_trips_in_service,
        t.unexpanded_trips,
        round(t.unexpanded_revenue_hours, 4) as unexpanded_revenue_hours
    from totals as t
    left join gtfs_routes as r using (feed_id, route_id)
    left join peaks as p using (feed_id, route_id)
    left join shape as s using (feed_id, route_id)
    left join peak_vehicles as v using (feed_id, route_id)
    left join (select distinct feed_id, route_id from frequent) as f using (feed_id, route_id)
)

select * from final
