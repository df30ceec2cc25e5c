-- One row per GTFS trip: first departure, last arrival, stops, stop pattern and distance.
-- Distance follows the shape between the points nearest the first and last stop (the whole shape
-- when those points are out of order, as on loops), else the straight-line sum between stops.
-- grain: feed_id, trip_id
-- inputs: gtfs_trips, gtfs_stop_times, gtfs_stops, gtfs_shapes
-- reference: research/transit.md §1.6 (gtfs_kit compute_trip_stats), §2b revenue hours
with trips as (
    select * from gtfs_trips
),

stop_times as (
    select st.*, s.stop_lat, s.stop_lon
    from gtfs_stop_times as st
    left join gtfs_stops as s using (feed_id, stop_id)
),

legs as (
    select *,
        2 * 6371008.8 * asin(sqrt(
            power(sin(radians(stop_lat - lag(stop_lat) over w) / 2), 2)
            + cos(radians(lag(stop_lat) over w)) * cos(radians(stop_lat))
            * power(sin(radians(stop_lon - lag(stop_lon) over w) / 2), 2)
        )) as leg_m
    from stop_times
    window w as (partition by feed_id, trip_id order by stop_sequence)
),

per_trip as (
    select
        feed_id, trip_id,
        count(*) as stops,
        arg_min(departure_secs, stop_sequence) as first_departure_secs,
        arg_max(arrival_secs, stop_sequence) as last_arrival_secs,
        arg_min(stop_id, stop_sequence) as first_stop_id,
        arg_max(stop_id, stop_sequence) as last_stop_id,
        arg_min(stop_lat, stop_sequence) as first_lat, arg_min(stop_lon, stop_sequence) as first_lon,
        arg_max(stop_lat, stop_sequence) as last_lat, arg_max(stop_lon, stop_sequence) as last_lon,
        sum(coalesce(leg_m, 0)) as stop_distance_m,
        count(leg_m) = count(*) - 1 as stops_located,
        md5(string_agg(stop_id, '|' order by stop_sequence)) as pattern_id,
        bool_or(interpolated) as has_interpolated_times
    from legs
    group by feed_id, trip_id
),

shape_legs as (
    select feed_id, shape_id, shape_pt_sequence, shape_pt_lat as lat, shape_pt_lon as lon,
        row_number() over w as i,
        2 * 6371008.8 * asin(sqrt(
            power(sin(radians(shape_pt_lat - lag(shape_pt_lat) over w) / 2), 2)
            + cos(radians(lag(shape_pt_lat) over w)) * cos(radians(shape_pt_lat))
            * power(sin(radians(shape_pt_lon - lag(shape_pt_lon) over w) / 2), 2)
        )) as leg_m
    from gtfs_shapes
    window w as (partition by feed_id, shape_id order by shape_pt_sequence)
),

shape_points as (
    select *, coalesce(sum(leg_m) over (partition by feed_id, shape_id order by i rows unbounded preceding), 0) as along_m
    from shape_legs
),

ends as (
    select distinct t.feed_id, t.shape_id, p.first_lat, p.first_lon, p.last_lat, p.last_lon
    from trips as t
    join per_trip as p using (feed_id, trip_id)
    where t.shape_id is not null
),

nearest as (
    select e.feed_id, e.shape_id, e.first_lat, e.first_lon, e.last_lat, e.last_lon,
        arg_min(sp.along_m, power(sp.lat - e.first_lat, 2) + power((sp.lon - e.first_lon) * cos(radians(e.first_lat)), 2)) as from_m,
        arg_min(sp.i, power(sp.lat - e.first_lat, 2) + power((sp.lon - e.first_lon) * cos(radians(e.first_lat)), 2)) as from_i,
        arg_min(sp.along_m, power(sp.lat - e.last_lat, 2) + power((sp.lon - e.last_lon) * cos(radians(e.last_lat)), 2)) as to_m,
        arg_min(sp.i, power(sp.lat - e.last_lat, 2) + power((sp.lon - e.last_lon) * cos(radians(e.last_lat)), 2)) as to_i,
        max(sp.along_m) as shape_m,
        count(*) as points
    from ends as e
    join shape_points as sp using (feed_id, shape_id)
    group by all
),

final as (
    select
        p.feed_id, p.trip_id, t.route_id, t.service_id, t.direction_id, t.shape_id,
        p.stops, p.first_stop_id, p.last_stop_id,
        p.first_departure_secs, p.last_arrival_secs,
        p.last_arrival_secs - p.first_departure_secs as duration_secs,
        p.pattern_id, p.has_interpolated_times,
        case
            when n.points >= 2 and n.to_i > n.from_i then n.to_m - n.from_m
            when n.points >= 2 then n.shape_m
            when p.stops_located then p.stop_distance_m
        end as distance_m,
        case when n.points >= 2 then 'shape' when p.stops_located then 'stops' end as distance_source,
        p.stop_distance_m
    from per_trip as p
    join trips as t using (feed_id, trip_id)
    left join nearest as n
        on n.feed_id = p.feed_id and n.shape_id = t.shape_id
        and n.first_lat is not distinct from p.first_lat and n.first_lon is not distinct from p.first_lon
        and n.last_lat is not distinct from p.last_lat and n.last_lon is not distinct from p.last_lon
    where p.stops >= 2
)

select * from final
