-- GTFS stop times with blank intermediate times filled in and flagged (`interpolated`).
-- Times are interpolated linearly on distance between the surrounding timed stops: on
-- shape_dist_traveled when the trip has it on every stop, else on straight-line distance between
-- consecutive stops, else evenly by position (the reference's "estimated or interpolated times").
-- An arrival or departure given alone is copied to the other (stop_time_with_only_arrival_or_departure_time).
-- grain: feed_id, trip_id, stop_sequence
-- inputs: gtfs_stop_times_parsed, gtfs_stops_parsed
-- reference: GTFS Schedule reference, stop_times.txt arrival_time/timepoint
with stop_times as (
    select * exclude (arrival_secs, departure_secs),
        coalesce(arrival_secs, departure_secs) as arrival_secs,
        coalesce(departure_secs, arrival_secs) as departure_secs
    from gtfs_stop_times_parsed
),

stops as (
    select feed_id, stop_id, stop_lat, stop_lon from gtfs_stops_parsed
),

legs as (
    select st.*,
        row_number() over w as position,
        -- haversine metres from the previous stop (earth radius 6,371,008.8 m, IUGG mean)
        2 * 6371008.8 * asin(sqrt(
            power(sin(radians(s.stop_lat - lag(s.stop_lat) over w) / 2), 2)
            + cos(radians(lag(s.stop_lat) over w)) * cos(radians(s.stop_lat))
            * power(sin(radians(s.stop_lon - lag(s.stop_lon) over w) / 2), 2)
        )) as leg_m,
        count(st.shape_dist_traveled) over (partition by st.feed_id, st.trip_id) = count(*) over (partition by st.feed_id, st.trip_id) as has_shape_dist,
        count(s.stop_lat) over (partition by st.feed_id, st.trip_id) = count(*) over (partition by st.feed_id, st.trip_id) as has_coords
    from stop_times as st
    left join stops as s using (feed_id, stop_id)
    window w as (partition by st.feed_id, st.trip_id order by st.stop_sequence)
),

measured as (
    select *,
        case
            when has_shape_dist then shape_dist_traveled
            when has_coords then coalesce(sum(leg_m) over (partition by feed_id, trip_id order by stop_sequence rows unbounded preceding), 0)
            else position
        end as along
    from legs
),

anchored as (
    select *,
        last_value(case when departure_secs is not null then along end ignore nulls) over before as prev_along,
        last_value(departure_secs ignore nulls) over before as prev_secs,
        last_value(case when departure_secs is not null then position end ignore nulls) over before as prev_position,
        first_value(case when arrival_secs is not null then along end ignore nulls) over after as next_along,
        first_value(arrival_secs ignore nulls) over after as next_secs,
        first_value(case when arrival_secs is not null then position end ignore nulls) over after as next_position
    from measured
    window
        before as (partition by feed_id, trip_id order by stop_sequence rows between unbounded preceding and 1 preceding),
        after as (partition by feed_id, trip_id order by stop_sequence rows between 1 following and unbounded following)
),

filled as (
    select *,
        case
            when arrival_secs is not null then null
            when prev_secs is null or next_secs is null then null
            -- no distance between the anchors (repeated stop, missing coordinates): space evenly
            when next_along > prev_along then (along - prev_along) / (next_along - prev_along)
            else (position - prev_position) / (next_position - prev_position)
        end as fraction
    from anchored
),

final as (
    select
        feed_id, trip_id, stop_sequence, stop_id,
        coalesce(arrival_secs, round(prev_secs + fraction * (next_secs - prev_secs))::integer) as arrival_secs,
        coalesce(departure_secs, round(prev_secs + fraction * (next_secs - prev_secs))::integer) as departure_secs,
        arrival_secs is null and fraction is not null as interpolated,
        pickup_type, drop_off_type, shape_dist_traveled, timepoint
    from filled
)

select * from final
