-- Departures per stop on the service date: count, routes, first/last departure (GTFS time and
-- UTC epoch: noon−12h of the service date in the agency's time zone + GTFS seconds, so times past
-- 24:00 and stops in other time zones are placed correctly), peak departures, and whether the stop
-- is frequent (≥ 60/frequent_headway_min departures, all routes together, in every hour 06:00–19:00).
-- grain: feed_id, stop_id
-- inputs: int_transit__stop_events, gtfs_stops, gtfs_agency
-- params: service_date, frequent_headway_min
-- reference: GTFS Schedule reference, "Field Types: Time"; research/transit.md §1.4, §2b
with events as (
    select * from int_transit__stop_events
),

feed_zone as (
    select feed_id, min(agency_timezone) as agency_timezone
    from gtfs_agency
    group by all
),

noon as (
    select feed_id, agency_timezone,
        epoch(make_timestamptz(year($service_date::date), month($service_date::date), day($service_date::date), 12, 0, 0, agency_timezone))::bigint - 43200 as day_start_epoch
    from feed_zone
),

per_stop as (
    select feed_id, stop_id,
        count(*) filter (where boards) as departures,
        count(*) as stop_events,
        count(distinct route_id) filter (where boards) as routes,
        string_agg(distinct route_id, ' ' order by route_id) as route_ids,
        min(departure_secs) filter (where boards) as first_departure_secs,
        max(departure_secs) filter (where boards) as last_departure_secs,
        min(arrival_secs) as first_arrival_secs,
        max(arrival_secs) as last_arrival_secs,
        count(*) filter (where boards and time_band = 'am_peak') as am_peak_departures,
        count(*) filter (where boards and time_band = 'pm_peak') as pm_peak_departures
    from events
    group by all
),

hourly as (
    select feed_id, stop_id, departure_secs // 3600 as hour, count(*) as departures
    from events
    where boards and departure_secs >= 6 * 3600 and departure_secs < 19 * 3600
    group by all
),

frequent as (
    select feed_id, stop_id
    from hourly
    where departures >= ceil(60 / $frequent_headway_min::double)
    group by all
    having count(*) = 13
),

final as (
    select
        p.feed_id, p.stop_id, s.stop_name, s.stop_lat, s.stop_lon, s.stop_timezone,
        p.departures, p.stop_events, p.routes, p.route_ids,
        p.first_departure_secs, p.last_departure_secs,
        n.day_start_epoch + p.first_arrival_secs as first_arrival_epoch,
        n.day_start_epoch + p.last_arrival_secs as last_arrival_epoch,
        strftime(timezone(coalesce(s.stop_timezone, n.agency_timezone), to_timestamp(n.day_start_epoch + p.first_departure_secs)), '%Y-%m-%d %H:%M') as first_departure_local,
        p.am_peak_departures, p.pm_peak_departures,
        f.stop_id is not null as frequent
    from per_stop as p
    left join gtfs_stops as s using (feed_id, stop_id)
    left join noon as n using (feed_id)
    left join frequent as f using (feed_id, stop_id)
)

select * from final
